import { describe, expect, it } from 'vitest';
import * as op from '../../src/autodiff/ops.ts';
import type { OpDef } from '../../src/autodiff/tape.ts';
import * as E from '../../src/onnx/emit.ts';
import { FLOAT32, FLOAT64, WorstError, gradcheck, type CheckInput, type CheckOptions } from './gradcheck.ts';
import type { Tape } from '../../src/autodiff/tape.ts';
import { tensor, type Value } from '../../src/onnx/graph.ts';

const f64 = (...dims: number[]): CheckInput => ({ dtype: 'float64', dims, grad: true });
const f32 = (...dims: number[]): CheckInput => ({ dtype: 'float32', dims, grad: true });

interface Case {
  name: string;
  inputs: CheckInput[];
  build: (t: Tape, x: Value[]) => Value;
  opts?: CheckOptions;
}

// Every rule in the op table, in float64 where onnxruntime's CPU kernels take doubles.
const cases: Case[] = [
  { name: 'MatMul 2-D (Gemm rules)', inputs: [f64(3, 4), f64(4, 2)], build: (t, [a, b]) => op.matmul(t, a!, b!) },
  { name: 'MatMul batched with broadcast', inputs: [f64(2, 1, 3, 4), f64(1, 2, 4, 2)], build: (t, [a, b]) => op.matmul(t, a!, b!) },
  { name: 'MatMul 3-D by a 2-D weight', inputs: [f64(2, 3, 4), f64(4, 5)], build: (t, [a, b]) => op.matmul(t, a!, b!) },
  { name: 'Gemm (linear: transB, bias [n])', inputs: [f64(3, 4), f64(5, 4), f64(5)], build: (t, [x, w, b]) => op.linear(t, x!, w!, b!) },
  { name: 'Gemm transA', inputs: [f64(4, 3), f64(4, 5), f64(1, 5)], build: (t, [a, b, c]) => op.gemm(t, a!, b!, c!, true, false) },
  { name: 'Gemm transA transB, bias [m, n]', inputs: [f64(4, 3), f64(5, 4), f64(3, 5)], build: (t, [a, b, c]) => op.gemm(t, a!, b!, c!, true, true) },
  { name: 'Gemm plain', inputs: [f64(3, 4), f64(4, 5)], build: (t, [a, b]) => op.gemm(t, a!, b!, null) },
  { name: 'Add broadcast [2,3,4] + [4]', inputs: [f64(2, 3, 4), f64(4)], build: (t, [a, b]) => op.add(t, a!, b!) },
  { name: 'Add broadcast [2,1,4] + [3,1]', inputs: [f64(2, 1, 4), f64(3, 1)], build: (t, [a, b]) => op.add(t, a!, b!) },
  { name: 'Sub broadcast', inputs: [f64(3), f64(2, 3)], build: (t, [a, b]) => op.sub(t, a!, b!) },
  { name: 'Mul broadcast', inputs: [f64(2, 3, 4), f64(3, 1)], build: (t, [a, b]) => op.mul(t, a!, b!) },
  { name: 'Mul of a value by itself (fan-out)', inputs: [f64(2, 3)], build: (t, [a]) => op.mul(t, a!, a!) },
  {
    name: 'Div broadcast',
    inputs: [f64(2, 3), { dtype: 'float64', dims: [3], values: [1.5, -2, 0.7], grad: true }],
    build: (t, [a, b]) => op.div(t, a!, b!),
  },
  { name: 'Concat', inputs: [f64(2, 3), f64(2, 1), f64(2, 2)], build: (t, [a, b, c]) => op.concat(t, [a!, b!, c!], 1) },
  {
    name: 'Split (both pieces used)',
    inputs: [f64(5, 2)],
    build: (t, [x]) => {
      const [a, b] = op.split(t, x!, 0, [2, 3]);
      return op.add(t, op.reduceSum(t, op.mul(t, a!, a!), [0]), op.reduceSum(t, b!, [0]));
    },
  },
  { name: 'Split with an unused piece', inputs: [f64(2, 5)], build: (t, [x]) => op.split(t, x!, 1, [1, 3, 1])[1]! },
  { name: 'Reshape', inputs: [f64(2, 3, 4)], build: (t, [x]) => op.reshape(t, x!, [6, 4]) },
  { name: 'Transpose', inputs: [f64(2, 3, 4)], build: (t, [x]) => op.transpose(t, x!, [2, 0, 1]) },
  { name: 'Softmax last axis', inputs: [f64(2, 3, 5)], build: (t, [x]) => op.softmax(t, x!, -1) },
  { name: 'Softmax axis 1', inputs: [f64(2, 3, 5)], build: (t, [x]) => op.softmax(t, x!, 1) },
  { name: 'ReduceSum keepdims', inputs: [f64(2, 3, 4)], build: (t, [x]) => op.reduceSum(t, x!, [1], true) },
  { name: 'ReduceSum', inputs: [f64(2, 3, 4)], build: (t, [x]) => op.reduceSum(t, x!, [0, 2]) },
  { name: 'ReduceMean', inputs: [f64(2, 3, 4)], build: (t, [x]) => op.reduceMean(t, x!, [0, 2]) },
  { name: 'ReduceMean keepdims', inputs: [f64(2, 3, 4)], build: (t, [x]) => op.reduceMean(t, x!, [-1], true) },
  {
    name: 'Where with broadcast',
    inputs: [{ dtype: 'bool', dims: [3, 1], values: [1, 0, 1], grad: false }, f64(3, 4), f64(4)],
    build: (t, [c, a, b]) => op.where(t, c!, a!, b!),
  },
  {
    name: 'Gather (embedding, repeated ids)',
    inputs: [f64(5, 3), { dtype: 'int64', dims: [2, 3], values: [0, 4, 4, 2, 0, 4], grad: false }],
    build: (t, [w, ids]) => op.gather(t, w!, ids!),
  },
  {
    name: 'Gather with padding_idx (that row gets no gradient)',
    inputs: [f64(5, 3), { dtype: 'int64', dims: [2, 3], values: [0, 4, 4, 2, 0, 4], grad: false }],
    build: (t, [w, ids]) => op.gather(t, w!, ids!, 4),
    // torch's padding_idx semantics: row 4 moves the loss but must get a zero gradient
    opts: { ...FLOAT64, zeroGrad: (input, j) => input === 0 && Math.floor(j / 3) === 4 },
  },
  {
    name: 'SoftmaxCrossEntropyLoss with ignore_index -100',
    inputs: [f64(6, 4), { dtype: 'int64', dims: [6], values: [0, 3, -100, 1, 1, -100], grad: false }],
    build: (t, [s, l]) => op.softmaxCrossEntropy(t, s!, l!),
  },
  {
    // a fresh session per evaluation: the seed attribute makes the mask the same in each
    name: 'Dropout (mask output, seeded)',
    inputs: [f64(4, 5)],
    build: (t, [x]) => op.dropout(t, x!, 0.5, 7),
    opts: { ...FLOAT64, freshSession: true },
  },
  // Cast: float32 in, float64 inside; the square keeps it nonlinear (central differences of a quadratic are exact).
  { name: 'Cast float32 -> float64', inputs: [f32(2, 3)], build: (t, [x]) => { const y = op.cast(t, x!, 'float64'); return op.mul(t, y, y); }, opts: FLOAT32 },
];

// Ops that onnxruntime's CPU runs in float32 only (Erf has no double kernel; LayerNormalization's
// Mean/InvStdDev are float32): central differences in float32.
const float32Cases: Case[] = [
  { name: 'Erf', inputs: [f32(3, 4)], build: (t, [x]) => op.erf(t, x!) },
  { name: 'GELU (exact, via Erf)', inputs: [f32(3, 4)], build: (t, [x]) => op.gelu(t, x!) },
  {
    name: 'LayerNormalization (Mean/InvStdDev outputs)',
    inputs: [f32(2, 3, 4), f32(4), f32(4)],
    build: (t, [x, g, b]) => op.layerNorm(t, x!, g!, b!, 1e-5),
  },
];

describe('vector-Jacobian rules agree with central differences', () => {
  for (const c of cases) {
    it(`${c.name} (float64)`, async () => {
      const r = await gradcheck(c.inputs, c.build, c.opts ?? FLOAT64);
      expect(r.checked).toBeGreaterThan(0);
      expect(r.worst, r.where).toBeLessThanOrEqual(1);
    });
  }
  for (const c of float32Cases) {
    it(`${c.name} (float32)`, async () => {
      const r = await gradcheck(c.inputs, c.build, c.opts ?? FLOAT32);
      expect(r.checked).toBeGreaterThan(0);
      expect(r.worst, r.where).toBeLessThanOrEqual(1);
    });
  }
});

describe('the checker itself', () => {
  it('catches a wrong rule', async () => {
    // Mul with a rule that forgets the other operand
    const BadMul: OpDef<Record<string, never>> = {
      name: 'BadMul',
      forward: (g, [a, b]) => ({ outputs: [E.mul(g, a!, b!)] }),
      vjp: (_g, _rec, [dy]) => [dy!, dy!],
    };
    const r = await gradcheck([f64(2, 3), f64(2, 3)], (t, [a, b]) => t.apply(BadMul, [a!, b!], {})[0]!, FLOAT64);
    expect(r.worst).toBeGreaterThan(1);
  });

  it('fails a rule that is right everywhere but NaN in one element, even with finite elements after it', async () => {
    // the correct Mul rule, plus NaN at element 1 of a's gradient (elements 2..5 after it are right)
    const NaNMul: OpDef<Record<string, never>> = {
      name: 'NaNMul',
      forward: (g, [a, b]) => ({ outputs: [E.mul(g, a!, b!)] }),
      vjp: (g, { inputs: [a, b] }, [dy]) => [
        E.add(g, E.mul(g, dy!, b!), g.constant(tensor('float64', [2, 3], [0, NaN, 0, 0, 0, 0]), 'nan')),
        E.mul(g, dy!, a!),
      ],
    };
    const r = await gradcheck([f64(2, 3), f64(2, 3)], (t, [a, b]) => t.apply(NaNMul, [a!, b!], {})[0]!, FLOAT64);
    expect(r.checked).toBe(12);
    expect(r.worst).toBe(Infinity);
    expect(r.where).toMatch(/^in0\[1\]: analytic NaN/);
  });

  it('counts any non-finite analytic or numeric value as an infinite error that no later element replaces', () => {
    for (const [analytic, numeric] of [
      [NaN, 1],
      [1, NaN],
      [Infinity, 1],
      [1, -Infinity],
    ] as const) {
      const w = new WorstError();
      w.note(1, 1, 0, () => 'first');
      w.note(analytic, numeric, Math.abs(analytic - numeric), () => 'bad');
      w.note(1, 1.5, 0.5, () => 'later');
      w.note(1, 3, 2, () => 'later, large');
      expect(w.report()).toEqual({ worst: Infinity, checked: 4, where: 'bad' });
    }
    const ok = new WorstError();
    ok.note(1, 1.5, 0.5, () => 'a');
    ok.note(1, 1.2, 0.2, () => 'b');
    expect(ok.report()).toEqual({ worst: 0.5, checked: 2, where: 'a' });
  });
});
