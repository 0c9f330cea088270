import * as ort from 'onnxruntime-node';
import { Graph, tensor, type DType, type Value } from '../../src/onnx/graph.ts';
import { prune } from '../../src/onnx/prune.ts';
import { Tape } from '../../src/autodiff/tape.ts';
import { backward } from '../../src/autodiff/backward.ts';
import { mul, reduceSum } from '../../src/autodiff/ops.ts';
import { mulberry32 } from '../../src/util/rng.ts';

export interface CheckInput {
  dtype: DType;
  dims: number[];
  /** Values; random in [-1, 1) when left out. */
  values?: number[];
  /** Whether to check the gradient with respect to this input. */
  grad: boolean;
}

export interface CheckOptions {
  /** Finite-difference step and tolerance (|analytic - numeric| <= atol + rtol |numeric|). */
  step: number;
  atol: number;
  rtol: number;
  /** A new session for every evaluation (ops with a seeded random state, like Dropout). */
  freshSession?: boolean;
  seed?: number;
  /** Elements whose gradient must be exactly zero by design (e.g. an embedding's padding row). */
  zeroGrad?: (input: number, element: number) => boolean;
}

export const FLOAT64: CheckOptions = { step: 1e-6, atol: 1e-7, rtol: 1e-5 };
export const FLOAT32: CheckOptions = { step: 1e-2, atol: 2e-3, rtol: 2e-2 };

function feed(dtype: DType, dims: number[], values: number[]): ort.Tensor {
  switch (dtype) {
    case 'float32':
      return new ort.Tensor('float32', Float32Array.from(values), dims);
    case 'float64':
      return new ort.Tensor('float64', Float64Array.from(values), dims);
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
    case 'int32':
      return new ort.Tensor('int32', Int32Array.from(values), dims);
    case 'bool':
      return new ort.Tensor('bool', Uint8Array.from(values), dims);
  }
}

export interface CheckReport {
  worst: number; // largest |analytic - numeric| / (atol + rtol |numeric|); <= 1 passes, Infinity for any non-finite value
  checked: number;
  where: string;
}

/**
 * The worst of many analytic-against-numeric comparisons. A non-finite
 * analytic or numeric value (NaN, ±Infinity) counts as an infinite error, and
 * only the first one is kept: no later comparison can replace it, so the
 * check fails however many finite elements follow.
 */
export class WorstError {
  worst = 0;
  where = '';
  checked = 0;

  /** Records one element; `err` is its scaled error, `where` describes it (called only when it becomes the worst). */
  note(analytic: number, numeric: number, err: number, where: () => string): void {
    this.checked++;
    const e = Number.isFinite(analytic) && Number.isFinite(numeric) && Number.isFinite(err) ? err : Infinity;
    if (e > this.worst) {
      this.worst = e;
      this.where = where();
    }
  }

  report(): CheckReport {
    return { worst: this.worst, checked: this.checked, where: this.where };
  }
}

/**
 * Finite-difference check of the rules behind `build`: the scalar loss is
 * sum(build(inputs) * R) for a fixed random R, its gradient comes from our
 * autodiff, and each checked input element is compared with the central
 * difference (L(x + h) - L(x - h)) / 2h.
 */
export async function gradcheck(inputs: CheckInput[], build: (t: Tape, ins: Value[]) => Value, opts: CheckOptions): Promise<CheckReport> {
  const rand = mulberry32(opts.seed ?? 1);
  const g = new Graph('gradcheck');
  const t = new Tape(g, true);
  const ins = inputs.map((inp, i) => {
    const v = g.input(`in${i}`, inp.dtype, inp.dims);
    return inp.grad ? t.requireGrad(v) : v;
  });
  const y = build(t, ins);
  const dims = y.shape.map((d) => {
    if (typeof d !== 'number') throw new Error(`gradcheck: output shape must be fixed, got [${y.shape}]`);
    return d;
  });
  const r = g.constant(tensor(y.dtype, dims, Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => rand() * 2 - 1)), 'R');
  const projected = mul(t, y, r);
  const loss = dims.length ? reduceSum(t, projected, [...dims.keys()]) : projected;
  const wrt = ins.filter((_, i) => inputs[i]!.grad);
  const grads = backward(t, loss, wrt);
  g.output(loss, 'loss');
  wrt.forEach((w) => g.output(grads.get(w.name)!, `grad_${w.name}`));
  prune(g);
  const bytes = g.serialize();

  const values = inputs.map((inp) => inp.values ?? Array.from({ length: inp.dims.reduce((a, b) => a * b, 1) }, () => rand() * 2 - 1));
  let session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'basic' });
  const evaluate = async (vals: number[][]): Promise<ort.InferenceSession.OnnxValueMapType> => {
    if (opts.freshSession) {
      await session.release();
      session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'basic' });
    }
    const feeds: Record<string, ort.Tensor> = {};
    inputs.forEach((inp, i) => (feeds[`in${i}`] = feed(inp.dtype, inp.dims, vals[i]!)));
    return session.run(feeds);
  };
  const base = await evaluate(values);
  const worst = new WorstError();
  for (let i = 0; i < inputs.length; i++) {
    if (!inputs[i]!.grad) continue;
    const analytic = base[`grad_in${i}`]!.data as Float32Array | Float64Array;
    for (let j = 0; j < values[i]!.length; j++) {
      const at = (delta: number): number[][] => values.map((v, k) => (k === i ? v.map((x, m) => (m === j ? x + delta : x)) : v));
      const plus = Number((await evaluate(at(opts.step))).loss!.data[0]);
      const minus = Number((await evaluate(at(-opts.step))).loss!.data[0]);
      const numeric = opts.zeroGrad?.(i, j) ? 0 : (plus - minus) / (2 * opts.step);
      const err = Math.abs(analytic[j]! - numeric) / (opts.atol + opts.rtol * Math.abs(numeric));
      worst.note(analytic[j]!, numeric, err, () => `in${i}[${j}]: analytic ${analytic[j]} numeric ${numeric}`);
    }
  }
  await session.release();
  return worst.report();
}
