import sys, os, pickle, itertools
sys.path.insert(0, 'runs/verifier')
import harness as H
from harness import *
dev = load('dev', 'sub'); test = load('test-neg2', 'sub'); sample = load('sample', 'sub'); val = load('val-neg2', 'sub')
wd = load('wd-test', 'ix')
base_feats = H.feats
H.feats = lambda s, e: {k: v for k, v in base_feats(s, e).items() if '|w:' not in k and not k.startswith('w:')}
w = pickle.load(open('runs/verifier/w-nobag-rep1.0.pkl','rb'))
for S in (dev, test, sample, val, wd):
    attach(w, S)
    for s in S: s['debt'] = DEBT.search(' '.join(s['tokens'])) is not None
def show(name, k):
    (f, p, r), per = score(dev, k)
    print(f'{name}: dev {100*f:.1f} (P {100*p:.1f} R {100*r:.1f}) {per} test {100*score(test, k)[0][0]:.1f} sample {100*score(sample, k)[0][0]:.1f} {score(sample,k)[1]} val {100*score(val, k)[0][0]:.1f}', wholedoc(wd, k), flush=True)
thr = thr_keep(SHIPPED)
def resc(c, h, r):
    return lambda s, e: (thr(s, e) and (s['vp'][(e[0], e[1])] >= c or (e[2] >= h and s['debt']))) or s['vp'][(e[0], e[1])] >= r
for r in (0.5, 0.6, 0.7, 0.8, 0.9, 1.01):
    show(f'rescue r {r}', resc(0.30, 0.8, r))
