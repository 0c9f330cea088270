import sys, pickle
sys.path.insert(0, 'runs/verifier')
import harness as H
from harness import *
from defs import rule
from collections import Counter
base_feats = H.feats
H.feats = lambda s, e: {k: v for k, v in base_feats(s, e).items() if '|w:' not in k and not k.startswith('w:')}
w = pickle.load(open('runs/verifier/w-nobag-rep1.0.pkl','rb'))
pre = thr_keep(SHIPPED)
rules = {'ratio','change','floor'}
k = lambda s, e: pre(s, e) and (rule(SHORT[e[1]], s['tokens'], e[0]) or 'none') not in rules and (s['vp'][(e[0], e[1])] >= 0.30 or (e[2] >= 0.8 and DEBT.search(' '.join(s['tokens'])) is not None))
for name in ('wd-test', 'wd-val'):
    wd = load(name, 'ix'); attach(w, wd)
    per = Counter(); files = {s['source'] for s in wd}
    for s in wd:
        if s['tagged']: continue
        for e in s['ents']:
            if k(s, e) and e[0] not in s['repeats']: per[s['source']] += 1
    v = sorted([per[f] for f in files], reverse=True)
    n = len(files); tot = sum(v)
    print(name, n, 'filings, others/filing', round(tot/n, 2), 'median', v[n//2], 'top5 share', round(sum(v[:5])/tot, 2), 'top10 share', round(sum(v[:10])/tot, 2), v[:10])
    print('  10-Q share', sum(1 for f in files if '10-Q' in f), 'others in 10-K', sum(per[f] for f in files if '10-K' in f), 'in 10-Q', sum(per[f] for f in files if '10-Q' in f))
wd = load('wd-test', 'ix'); attach(w, wd)
per = Counter(); sents = Counter()
for s in wd:
    if s['tagged']: continue
    for e in s['ents']:
        if k(s, e) and e[0] not in s['repeats']: per[s['source']] += 1
print(per.most_common(3))
