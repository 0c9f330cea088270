import { describe, expect, it } from 'vitest';
import { AdamW, clipGradNorm, clipScale, GradAccumulator, globalNorm } from '../../src/engine/adamw.ts';
import { learningRate } from '../../src/engine/schedule.ts';

describe('AdamW', () => {
  it('matches a hand-computed two-step example, with and without weight decay', () => {
    // lr 0.1, wd 0.1, betas (0.9, 0.999), eps 1e-8. For w[0]: g1 = 0.5, g2 = 0.1
    //   step 1: p = 1 * 0.99 = 0.99; m = 0.05, v = 2.5e-4; m^ = 0.5, v^ = 0.25 -> p = 0.99 - 0.1 = 0.89
    //   step 2: p = 0.89 * 0.99 = 0.8811; m = 0.055, v = 2.5975e-4; m^ = 0.055 / 0.19, v^ = 2.5975e-4 / 0.001999
    //           p = 0.8811 - 0.1 * 0.2894737 / 0.3604719 = 0.8007959
    // The bias b gets the same gradients but no decay: 0.5 - 0.1 - 0.0803041 = 0.3196959.
    const specs = [
      { name: 'w', shape: [2], decay: true },
      { name: 'b', shape: [1], decay: false },
    ];
    const params = new Map([
      ['w', Float32Array.of(1.0, -2.0)],
      ['b', Float32Array.of(0.5)],
    ]);
    const opt = new AdamW(specs, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 });
    opt.update(params, new Map([['w', Float32Array.of(0.5, -1.0)], ['b', Float32Array.of(0.5)]]), 0.1);
    expect(params.get('w')![0]).toBeCloseTo(0.89, 6);
    opt.update(params, new Map([['w', Float32Array.of(0.1, 0.2)], ['b', Float32Array.of(0.1)]]), 0.1);
    expect(params.get('w')![0]).toBeCloseTo(0.8007959, 6);
    expect(params.get('w')![1]).toBeCloseTo(-1.8100974, 6);
    expect(params.get('b')![0]).toBeCloseTo(0.3196959, 6);
    expect(opt.t).toBe(2);
  });
});

/** A seeded stream in [-0.5, 0.5) (mulberry32). */
function randoms(seed: number, n: number): Float32Array {
  let a = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32 - 0.5;
  });
}

describe('AdamW SIMD kernel', () => {
  // lengths that are not multiples of 4 and cross the 4096-float chunks of the kernel
  const specs = [
    { name: 'w', shape: [3, 2731], decay: true }, // 8193 = 2 chunks + 1
    { name: 'b', shape: [5], decay: false },
  ];

  it('matches the update computed in doubles, element for element, over three steps', () => {
    const o = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 };
    const opt = new AdamW(specs, o);
    const params = new Map(specs.map((s, k) => [s.name, randoms(k + 1, s.shape.reduce((a, b) => a * b))]));
    const ref = new Map([...params].map(([name, p]) => [name, { p: Float64Array.from(p), m: new Float64Array(p.length), v: new Float64Array(p.length) }]));
    for (let t = 1; t <= 3; t++) {
      const grads = new Map([...params].map(([name, p], k) => [name, randoms(100 * t + k, p.length)]));
      const lr = 1e-2 * t;
      const scale = 0.5;
      opt.update(params, grads, lr, scale);
      specs.forEach((s) => {
        const r = ref.get(s.name)!;
        const g = grads.get(s.name)!;
        const shrink = s.decay ? 1 - lr * o.weightDecay : 1;
        for (let i = 0; i < g.length; i++) {
          const gi = g[i]! * scale;
          r.m[i] = o.beta1 * r.m[i]! + (1 - o.beta1) * gi;
          r.v[i] = o.beta2 * r.v[i]! + (1 - o.beta2) * gi * gi;
          const mHat = r.m[i]! / (1 - o.beta1 ** t);
          r.p[i] = r.p[i]! * shrink - (lr * mHat) / (Math.sqrt(r.v[i]! / (1 - o.beta2 ** t)) + o.eps);
        }
      });
    }
    let worst = 0;
    for (const [name, p] of params) {
      const r = ref.get(name)!;
      for (let i = 0; i < p.length; i++) worst = Math.max(worst, Math.abs(p[i]! - r.p[i]!), Math.abs(opt.m.get(name)![i]! - r.m[i]!));
    }
    expect(worst).toBeLessThan(1e-6);
    expect(worst).toBeGreaterThan(0); // f32 arithmetic: not the doubles, only close to them
  });

  it('continues bit-for-bit after restoring its moments into a fresh optimizer', () => {
    const grads = (t: number) => new Map(specs.map((s, k) => [s.name, randoms(10 * t + k, s.shape.reduce((a, b) => a * b))]));
    const start = () => new Map(specs.map((s, k) => [s.name, randoms(k + 7, s.shape.reduce((a, b) => a * b))]));
    const straight = new AdamW(specs);
    const p1 = start();
    for (let t = 1; t <= 3; t++) straight.update(p1, grads(t), 1e-3, 0.7);
    const first = new AdamW(specs);
    const p2 = start();
    for (let t = 1; t <= 2; t++) first.update(p2, grads(t), 1e-3, 0.7);
    const resumed = new AdamW(specs);
    resumed.restore({ t: first.t, m: new Map([...first.m].map(([k, a]) => [k, a.slice()])), v: new Map([...first.v].map(([k, a]) => [k, a.slice()])) });
    resumed.update(p2, grads(3), 1e-3, 0.7);
    for (const s of specs) {
      expect([...p2.get(s.name)!]).toEqual([...p1.get(s.name)!]);
      expect([...resumed.v.get(s.name)!]).toEqual([...straight.v.get(s.name)!]);
    }
  });

  it('globalNorm matches the norm summed in doubles', () => {
    const grads = new Map([['a', randoms(3, 8193)], ['b', randoms(4, 7)]]);
    let sum = 0;
    for (const g of grads.values()) for (const x of g) sum += x * x;
    expect(globalNorm(grads)).toBeCloseTo(Math.sqrt(sum), 10);
  });
});

describe('clipping folded into AdamW', () => {
  it('clipScale is maxNorm / (norm + 1e-6) above the max norm, else 1; maxNorm <= 0 disables it', () => {
    expect(clipScale(13, 1)).toBe(1 / (13 + 1e-6));
    expect(clipScale(0.5, 1)).toBe(1);
    expect(clipScale(13, 0)).toBe(1);
  });

  it('update(..., gradScale) equals clipping the gradients first, and leaves them unchanged', () => {
    const specs = [{ name: 'w', shape: [3], decay: true }];
    const steps = [Float32Array.of(3, 4, 12), Float32Array.of(-1, 2, 0.5)]; // norms 13 and 2.29
    const run = (fold: 'clip-first' | 'folded' | 'none'): Float32Array => {
      const params = new Map([['w', Float32Array.of(0.5, -0.25, 1)]]);
      const opt = new AdamW(specs, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 });
      for (const g of steps) {
        const grads = new Map([['w', g.slice()]]);
        if (fold === 'clip-first') {
          clipGradNorm(grads, 1);
          opt.update(params, grads, 0.1);
        } else if (fold === 'folded') {
          opt.update(params, grads, 0.1, clipScale(globalNorm(grads), 1));
          expect([...grads.get('w')!]).toEqual([...g]);
        } else opt.update(params, grads, 0.1);
      }
      return params.get('w')!;
    };
    const clipped = run('clip-first');
    const folded = run('folded');
    const unclipped = run('none');
    for (let i = 0; i < 3; i++) expect(folded[i]).toBeCloseTo(clipped[i]!, 6);
    // the second step's update depends on the relative sizes of the clipped gradients
    expect(Math.abs(unclipped[0]! - clipped[0]!)).toBeGreaterThan(1e-3);
  });
});

describe('clipGradNorm', () => {
  it('scales gradients to the max norm and reports the norm before clipping', () => {
    // norm = sqrt(3^2 + 4^2 + 12^2) = 13
    const grads = new Map([['a', Float32Array.of(3, 4)], ['b', Float32Array.of(12)]]);
    expect(clipGradNorm(grads, 1)).toBeCloseTo(13, 6);
    expect(globalNorm(grads)).toBeCloseTo(1, 5);
    expect(grads.get('a')![0]).toBeCloseTo(3 / 13, 6);
  });

  it('leaves small gradients alone', () => {
    const grads = new Map([['a', Float32Array.of(0.3, 0.4)]]);
    expect(clipGradNorm(grads, 1)).toBeCloseTo(0.5, 6);
    expect([...grads.get('a')!]).toEqual([Float32Array.of(0.3)[0], Float32Array.of(0.4)[0]]);
  });
});

describe('GradAccumulator', () => {
  it('averages micro-batch gradients and resets', () => {
    const acc = new GradAccumulator();
    acc.add(new Map([['a', Float32Array.of(1, 2)]]));
    acc.add(new Map([['a', Float32Array.of(3, 6)]]));
    expect([...acc.take().get('a')!]).toEqual([2, 4]);
    acc.add(new Map([['a', Float32Array.of(5, 5)]]));
    expect([...acc.take().get('a')!]).toEqual([5, 5]);
  });
});

describe('learningRate', () => {
  it('warms up linearly to the peak, then decays linearly toward zero', () => {
    const s = { peakLr: 1, warmupSteps: 4, totalSteps: 12 };
    const lrs = Array.from({ length: 12 }, (_, i) => learningRate(s, i));
    expect(lrs.slice(0, 4)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(lrs[4]).toBe(1);
    expect(lrs[8]).toBe(0.5);
    expect(lrs[11]).toBe(0.125);
    for (let i = 4; i < 11; i++) expect(lrs[i + 1]!).toBeLessThan(lrs[i]!);
  });
});
