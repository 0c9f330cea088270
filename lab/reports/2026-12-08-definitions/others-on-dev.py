import sys, json, pickle
sys.path.insert(0, 'runs/verifier')
import harness as H
from harness import *
from defs import rule
wd = load('wd-val', 'ix')
dev = {}
for l in open('training/devset/whole-doc/whole-doc.jsonl'):
    d = json.loads(l); dev[(d['source'], d['start'])] = d
srcs = {k[0] for k in dev}
# wd-val rows with source/start: reload raw to get start
raw = [json.loads(l) for l in open('runs/verifier/wd-val.pred.jsonl')]
base_feats = H.feats
H.feats = lambda s, e: {k: v for k, v in base_feats(s, e).items() if '|w:' not in k and not k.startswith('w:')}
w = pickle.load(open('runs/verifier/w-nobag-rep1.0.pkl','rb'))
attach(w, wd)
pre = thr_keep(SHIPPED)
rules = {'ratio','change','floor'}
k = lambda s, e: pre(s, e) and (rule(SHORT[e[1]], s['tokens'], e[0]) or 'none') not in rules and (s['vp'][(e[0], e[1])] >= 0.30 or (e[2] >= 0.8 and DEBT.search(' '.join(s['tokens'])) is not None))
M = {1: TYPES[0], 2: TYPES[1], 3: TYPES[2], 4: TYPES[3]}
from collections import Counter
c = Counter(); matched = 0
for s, r in zip(wd, raw):
    if r['source'] not in srcs: continue
    d = dev.get((r['source'], r['start']))
    if d is None: continue
    matched += 1
    if s['tagged']: continue
    for e in s['ents']:
        if not k(s, e): continue
        right = d['ner_tags'][e[0]] != 0 and M[d['ner_tags'][e[0]]] == e[1]
        kind = 'repeat' if e[0] in s['repeats'] else 'other'
        c[(kind, right)] += 1
print('matched', matched, 'of', len(dev), dict(c), 'filings', len(srcs))
