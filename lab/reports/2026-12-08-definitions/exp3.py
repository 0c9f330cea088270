import sys, os, pickle
sys.path.insert(0, 'runs/verifier')
import harness as H
from harness import *
dev = load('dev', 'sub'); test = load('test-neg2', 'sub'); sample = load('sample', 'sub'); val = load('val-neg2', 'sub')
wd = load('wd-test', 'ix')
tr = [s for n in ['wd-train', 'wd-train2', 'wd-train3'] for s in load(n, 'ix')]
variant = sys.argv[1]
base_feats = H.feats
def feats_v(s, e):
    f = base_feats(s, e)
    if 'notbag' in variant: f = {k: v for k, v in f.items() if '|w:' not in k}
    if 'nobag' in variant: f = {k: v for k, v in f.items() if '|w:' not in k and not k.startswith('w:')}
    return f
H.feats = feats_v
rep = float(os.environ.get('REP', '1'))
X, y = examples(tr, rep)
w = train_lr(X, y)
pickle.dump(w, open(f'runs/verifier/w-{variant}-rep{rep}.pkl', 'wb'))
for S in (dev, test, sample, val, wd): attach(w, S)
raw = lambda s, e: True
v0 = score(val, raw)[0][0]; s0 = score(sample, raw)[0][0]
def hyb(c, h):
    return lambda s, e: s['vp'][(e[0], e[1])] >= c or (e[2] >= h and DEBT.search(' '.join(s['tokens'])) is not None)
best = None
for c in [0.05 * k for k in range(1, 13)]:
    for h in [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.01]:
        k = hyb(c, h)
        dv = score(dev, k)[0][0]; vv = score(val, k)[0][0]; sv = score(sample, k)[0][0]
        if vv < v0 - 0.01 or sv < s0 - 0.01: continue
        if best is None or dv > best[0]: best = (dv, c, h)
dv, c, h = best
k = hyb(c, h)
(f, p, r), per = score(dev, k)
print(f'{variant} rep {rep}: picked c {c:.2f} h {h}: dev {100*f:.1f} (P {100*p:.1f} R {100*r:.1f}) {per} test {100*score(test, k)[0][0]:.1f} sample {100*score(sample, k)[0][0]:.1f} val {100*score(val, k)[0][0]:.1f}', wholedoc(wd, k), flush=True)
