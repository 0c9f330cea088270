import sys, os, pickle, itertools
sys.path.insert(0, 'runs/verifier')
import harness as H
from harness import *
dev = load('dev', 'sub'); test = load('test-neg2', 'sub'); sample = load('sample', 'sub'); val = load('val-neg2', 'sub')
wd = load('wd-test', 'ix')
base_feats = H.feats
H.feats = lambda s, e: {k: v for k, v in base_feats(s, e).items() if '|w:' not in k and not k.startswith('w:')}
w = pickle.load(open('runs/verifier/w-nobag-rep1.0.pkl','rb'))
for S in (dev, test, sample, val, wd): attach(w, S)
def show(name, k):
    (f, p, r), per = score(dev, k)
    print(f'{name}: dev {100*f:.1f} (P {100*p:.1f} R {100*r:.1f}) {per} test {100*score(test, k)[0][0]:.1f} sample {100*score(sample, k)[0][0]:.1f} {score(sample,k)[1]} val {100*score(val, k)[0][0]:.1f}', wholedoc(wd, k), flush=True)
show('raw', lambda s, e: True)
show('thr', thr_keep(SHIPPED))
debt = lambda s: DEBT.search(' '.join(s['tokens'])) is not None
def hyb(pre, c, h):
    return lambda s, e: pre(s, e) and (s['vp'][(e[0], e[1])] >= c or (e[2] >= h and debt(s)))
show('thr+check .30/.8', hyb(thr_keep(SHIPPED), 0.30, 0.8))
show('check only .30/.8', hyb(lambda s, e: True, 0.30, 0.8))
for T in TYPES:
    th = dict(SHIPPED); th[T] = 0
    show(f'thr without {SHORT[T]} +check', hyb(thr_keep(th), 0.30, 0.8))
if len(sys.argv) > 1:
    k = hyb(thr_keep(SHIPPED), 0.30, 0.8)
    raw = lambda s, e: True
    for s in sample:
        for e in s['ents']:
            x = (e[0], e[1])
            if SHORT[e[1]] == 'cap' and x in s['gold'] and not k(s, e):
                t = s['tokens']; i = e[0]
                print(f"lost cap sc {e[2]:.2f} vp {s['vp'][x]:.2f} | {' '.join(t[max(0,i-15):i])} [[{t[i]}]] {' '.join(t[i+1:i+10])}")
