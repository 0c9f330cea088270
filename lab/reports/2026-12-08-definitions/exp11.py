"""Each type's threshold refitted with the check (and its rules) after it: does the check let a type's threshold fall?"""
import sys, os, pickle
sys.path.insert(0, 'runs/verifier')
import harness as H
from harness import *
from defs import rule
dev = load('dev', 'sub'); test = load('test-neg2', 'sub'); sample = load('sample', 'sub'); val = load('val-neg2', 'sub')
wd = load('wd-test', 'ix')
base_feats = H.feats
H.feats = lambda s, e: {k: v for k, v in base_feats(s, e).items() if '|w:' not in k and not k.startswith('w:')}
w = pickle.load(open('runs/verifier/w-nobag-rep1.0.pkl','rb'))
for S in (dev, test, sample, val, wd):
    attach(w, S)
    for s in S: s['debt'] = DEBT.search(' '.join(s['tokens'])) is not None
RULES = {'ratio', 'change', 'floor'}
def keep(th, c=0.30, h=0.8):
    return lambda s, e: e[2] >= th.get(e[1], 0) and (rule(SHORT[e[1]], s['tokens'], e[0]) or 'none') not in RULES and (s['vp'][(e[0], e[1])] >= c or (e[2] >= h and s['debt']))
def show(name, k):
    (f, p, r), per = score(dev, k)
    print(f'{name}: dev {100*f:.1f} {per} test {100*score(test, k)[0][0]:.1f} sample {100*score(sample, k)[0][0]:.1f} {score(sample,k)[1]} val {100*score(val, k)[0][0]:.1f}', wholedoc(wd, k), flush=True)
show('shipped thresholds', keep(SHIPPED))
T = TYPES[1]
for t in (0, 0.3, 0.4, 0.45, 0.5, 0.53):
    th = dict(SHIPPED); th[T] = t
    show(f'capacity threshold {t}', keep(th))
# guarded refit of every type's threshold with the check after it (val guard per type, 1 point), coordinate ascent once
GRID = [0] + [round(0.05 * k, 2) for k in range(1, 20)]
th = dict(SHIPPED)
for T in TYPES:
    base_v = score(val, keep({}))[1][SHORT[T]]
    best = None
    for t in GRID:
        tt = dict(th); tt[T] = t
        if score(val, keep(tt))[1][SHORT[T]] < base_v - 1.0: continue
        f = score(dev, keep(tt))[1][SHORT[T]]
        if best is None or f > best[0] + 1e-9: best = (f, t)
    th[T] = best[1]
print('refitted after the check', {SHORT[k]: v for k, v in th.items()})
show('refitted thresholds', keep(th))
