/**
 * AdamW (Loshchilov & Hutter; the PyTorch `torch.optim.AdamW` update, step
 * for step, in f32 as PyTorch does it), global-norm gradient clipping and
 * gradient accumulation. The update and the norm run as WebAssembly SIMD
 * kernels (`simd.ts`): the moments live in one WebAssembly memory allocated
 * once, and parameters and gradients pass through a small scratch area in
 * cache-sized chunks, so callers keep plain Float32Arrays (onnxruntime-node
 * feeds them without copies). IEEE f32 arithmetic in a fixed order: the
 * result depends only on the inputs, and a resumed run that reloads m, v and
 * the step count continues bit-for-bit.
 */
import type { ParamSpec } from '../model/params.ts';
import { FinerError } from '../util/errors.ts';
import { simdKernels, type SimdKernels } from './simd.ts';

export interface AdamWOptions { beta1: number; beta2: number; eps: number; weightDecay: number }

export const ADAMW_DEFAULTS: AdamWOptions = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01 };

/** Floats per chunk: a chunk of p, g, m and v is 64 KiB, which stays in L2 between copy-in, update and copy-out. */
const CHUNK = 4096;
const PAGE = 65536;
/** Rounded up to whole f32x4 vectors. */
const pad4 = (n: number): number => (n + 3) & ~3;

/** One parameter's moments: views into the optimizer's memory and their byte offsets. */
interface Moments { m: Float32Array; v: Float32Array; mAt: number; vAt: number; decay: boolean }

export class AdamW {
  /** Number of updates done so far (the `t` of the bias corrections). */
  t = 0;
  /** First and second moment per parameter, same length as the parameter (views into WebAssembly memory). */
  readonly m = new Map<string, Float32Array>();
  readonly v = new Map<string, Float32Array>();
  private readonly moments = new Map<string, Moments>();
  private readonly kernels: SimdKernels;
  // memory layout (bytes): [scratch p: CHUNK f32][scratch g: CHUNK f32][m of every parameter][v of every parameter],
  // each parameter's m and v padded to a multiple of 4 floats so that the kernels never need a scalar tail
  private readonly scratchP: Float32Array;
  private readonly scratchG: Float32Array;

  constructor(specs: readonly ParamSpec[], readonly opts: AdamWOptions = ADAMW_DEFAULTS) {
    const sizes = specs.map((s) => s.shape.reduce((a, b) => a * b, 1));
    const floats = sizes.reduce((a, n) => a + pad4(n), 0);
    const scratchBytes = 2 * CHUNK * 4;
    const pages = Math.ceil((scratchBytes + 8 * floats) / PAGE);
    if (pages > 65536) throw new FinerError(`AdamW: ${floats} parameters need ${(8 * floats) / 2 ** 30} GiB of moments; expected at most 4 GiB (one WebAssembly memory)`);
    // never grown, so the views below stay valid
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.kernels = simdKernels(memory);
    this.scratchP = new Float32Array(memory.buffer, 0, CHUNK);
    this.scratchG = new Float32Array(memory.buffer, CHUNK * 4, CHUNK);
    let mAt = scratchBytes;
    let vAt = scratchBytes + 4 * floats;
    specs.forEach((s, k) => {
      const n = sizes[k]!;
      const mo = { m: new Float32Array(memory.buffer, mAt, n), v: new Float32Array(memory.buffer, vAt, n), mAt, vAt, decay: s.decay };
      this.moments.set(s.name, mo);
      this.m.set(s.name, mo.m);
      this.v.set(s.name, mo.v);
      mAt += 4 * pad4(n);
      vAt += 4 * pad4(n);
    });
    // touch every page now rather than in the first updates (page faults cost ~2x an update of the base model)
    new Uint8Array(memory.buffer).fill(0);
  }

  /** Continue from saved moments and step count (a resumed run). */
  restore(saved: { t: number; m: ReadonlyMap<string, Float32Array>; v: ReadonlyMap<string, Float32Array> }): void {
    this.t = saved.t;
    for (const [name, { m, v }] of this.moments) {
      const sm = saved.m.get(name);
      const sv = saved.v.get(name);
      if (!sm || !sv || sm.length !== m.length || sv.length !== m.length) throw new Error(`AdamW.restore: moments of "${name}" missing or mis-sized`);
      m.set(sm);
      v.set(sv);
    }
  }

  /**
   * One update of every parameter in place:
   *   g = g * gradScale; m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g^2
   *   p = p * shrink - stepSize * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
   * Weight decay is decoupled (shrink = 1 - lr * wd) and skipped for
   * parameters whose spec says `decay: false` (biases, LayerNorm weights).
   * `gradScale` is the clipping factor from `clipScale`: clipping costs no
   * pass of its own and the gradients are left unchanged.
   */
  update(params: Map<string, Float32Array>, grads: ReadonlyMap<string, Float32Array>, lr: number, gradScale = 1): void {
    const { beta1, beta2, eps, weightDecay } = this.opts;
    this.t += 1;
    const stepSize = lr / (1 - beta1 ** this.t);
    const invBc2Sqrt = 1 / Math.sqrt(1 - beta2 ** this.t);
    const { scratchP, scratchG, kernels } = this;
    for (const [name, mo] of this.moments) {
      const p = params.get(name);
      const g = grads.get(name);
      if (!p || !g) throw new Error(`AdamW: parameter or gradient "${name}" missing`);
      if (p.length !== mo.m.length || g.length !== mo.m.length) throw new Error(`AdamW: "${name}" has ${p.length} parameters and ${g.length} gradients; expected ${mo.m.length}`);
      const shrink = mo.decay ? 1 - lr * weightDecay : 1;
      for (let off = 0; off < p.length; off += CHUNK) {
        const len = Math.min(CHUNK, p.length - off);
        scratchP.set(p.subarray(off, off + len));
        scratchG.set(g.subarray(off, off + len));
        // lanes past `len` compute garbage into scratch and into this parameter's own m/v padding
        kernels.adamw(0, CHUNK * 4, mo.mAt + 4 * off, mo.vAt + 4 * off, 4 * pad4(len),
          gradScale, beta1, 1 - beta1, beta2, 1 - beta2, shrink, stepSize, invBc2Sqrt, eps);
        p.set(len === CHUNK ? scratchP : scratchP.subarray(0, len), off);
      }
    }
  }
}

let normScratch: { x: Float32Array; kernels: SimdKernels } | undefined;

/** L2 norm of all gradients together (squares summed in doubles, SIMD). */
export function globalNorm(grads: ReadonlyMap<string, Float32Array>): number {
  if (!normScratch) {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    normScratch = { x: new Float32Array(memory.buffer, 0, CHUNK), kernels: simdKernels(memory) };
  }
  const { x, kernels } = normScratch;
  let sum = 0;
  for (const g of grads.values()) {
    for (let off = 0; off < g.length; off += CHUNK) {
      const len = Math.min(CHUNK, g.length - off);
      x.set(g.subarray(off, off + len));
      x.fill(0, len, pad4(len));
      sum += kernels.sumSquares(0, 4 * pad4(len));
    }
  }
  return Math.sqrt(sum);
}

/**
 * The factor that clips gradients of global norm `norm` to `maxNorm`
 * (torch.nn.utils.clip_grad_norm_: maxNorm / (norm + 1e-6) when
 * norm > maxNorm, else 1); `maxNorm <= 0` disables clipping. Pass it to
 * `AdamW.update` as `gradScale`.
 */
export function clipScale(norm: number, maxNorm: number): number {
  return maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
}

/**
 * Scale gradients in place so that their global norm is at most `maxNorm`
 * (torch.nn.utils.clip_grad_norm_: factor maxNorm / (norm + 1e-6)).
 * Returns the norm before clipping; `maxNorm <= 0` disables clipping.
 */
export function clipGradNorm(grads: Map<string, Float32Array>, maxNorm: number): number {
  const norm = globalNorm(grads);
  const scale = clipScale(norm, maxNorm);
  if (scale !== 1) {
    for (const g of grads.values()) for (let i = 0; i < g.length; i++) g[i] = g[i]! * scale;
  }
  return norm;
}

/**
 * Averages the gradients of several micro-batches into one optimizer step:
 * the mean of per-micro-batch mean losses, as HF's Trainer does.
 */
export class GradAccumulator {
  /** Reused between steps: a full set of gradients is large (4 bytes x params). */
  private readonly sum = new Map<string, Float32Array>();
  private count = 0;

  add(grads: ReadonlyMap<string, Float32Array>): void {
    for (const [name, g] of grads) {
      let acc = this.sum.get(name);
      if (!acc) this.sum.set(name, (acc = new Float32Array(g.length)));
      if (this.count === 0) acc.set(g);
      else for (let i = 0; i < g.length; i++) acc[i] = acc[i]! + g[i]!;
    }
    this.count += 1;
  }

  /** The mean gradient of everything added since the last call; valid until the next `add`. */
  take(): Map<string, Float32Array> {
    if (this.count === 0) throw new Error('GradAccumulator.take: nothing accumulated');
    if (this.count > 1) {
      const inv = 1 / this.count;
      for (const g of this.sum.values()) for (let i = 0; i < g.length; i++) g[i] = g[i]! * inv;
    }
    this.count = 0;
    return this.sum;
  }
}
