import { Worker } from 'node:worker_threads';
import { FinerError } from '../util/errors.ts';
import type { Dim } from '../onnx/graph.ts';
import { hashSeed } from '../util/rng.ts';
import type { DropoutMaskInput } from '../model/distilbert.ts';

/**
 * Dropout keep-masks drawn in JS for a training graph built with
 * `dropoutSource: 'inputs'`: each element is 0 (dropped, probability `ratio`)
 * or 1/(1-ratio) (kept, rescaled as torch's Dropout does), so the graph's
 * forward and backward are one `Mul` each.
 *
 * Why not ONNX `Dropout`: onnxruntime draws its random numbers on one thread
 * at 5-15 ns per element, and a DistilBERT-small step needs ~9 M of them; the
 * counter-based hash below costs ~2.5 ns per element, and its backward needs
 * no `Where` on a bool mask. Each element is a pure function of
 * (seed, step, site, index), so a fresh generator with the same seed replays
 * the same masks: what checkpoint resume needs.
 */
export class DropoutMasks {
  private readonly buffers: Float32Array[] = [];
  private step = 0;

  constructor(
    private readonly sites: readonly DropoutMaskInput[],
    private readonly seed: number,
  ) {
    for (const s of sites) if (!(s.ratio > 0 && s.ratio < 1)) throw new FinerError(`dropout mask ${s.name}: ratio must be in (0, 1), got ${s.ratio}`);
  }

  /**
   * The masks of the next step, in `sites` order, each with its concrete shape.
   * The arrays are reused: valid until the next call.
   */
  next(batch: number, seq: number): DrawnMask[] {
    const step = this.step++;
    return this.sites.map((site, k) => {
      const dims = site.shape.map((d) => resolveDim(d, batch, seq, site.name));
      const n = dims.reduce((a, b) => a * b, 1);
      let buf = this.buffers[k];
      if (!buf || buf.length !== n) this.buffers[k] = buf = new Float32Array(n);
      fillKeepMask(buf, site.ratio, hashSeed(this.seed, step, k));
      return { name: site.name, dims, data: buf };
    });
  }
}

/** One mask of one step: its graph input name, concrete shape and values. */
export interface DrawnMask { name: string; dims: number[]; data: Float32Array }

/** What the worker gets: per site its seed for this step, its ratio, and the buffer to fill. */
interface Request { seed: number[]; ratios: number[]; buffers: ArrayBuffer[] }

/**
 * `DropoutMasks` with the drawing moved off the main thread: after a step's
 * session run, `prefetch` sends the mask buffers to a worker thread (moved,
 * not copied) to draw the next step's masks while the caller clips and
 * updates the parameters on the main thread, so on two cores the ~2.5 ns per
 * element costs no wall time. `take` returns them; when the next batch has
 * another shape than the one guessed, it draws on the main thread instead.
 * Either way a mask is the same pure function of (seed, step, site, index)
 * as in `DropoutMasks`.
 */
export class PrefetchedDropoutMasks {
  private thread: Worker | null = null;
  private step = 0;
  private buffers: ArrayBuffer[];
  private pending: { batch: number; seq: number; done: Promise<ArrayBuffer[]> } | null = null;

  constructor(
    private readonly sites: readonly DropoutMaskInput[],
    private readonly seed: number,
  ) {
    for (const s of sites) if (!(s.ratio > 0 && s.ratio < 1)) throw new FinerError(`dropout mask ${s.name}: ratio must be in (0, 1), got ${s.ratio}`);
    this.buffers = sites.map(() => new ArrayBuffer(0));
  }

  /** The worker, started on first use (a step without dropout never needs one). */
  private get worker(): Worker {
    if (!this.thread) {
      // plain JS, so that no TypeScript loader is needed: fillKeepMask's own source and a message loop
      this.thread = new Worker(
        `const { parentPort } = require('node:worker_threads');
         const fillKeepMask = ${fillKeepMask.toString()};
         parentPort.on('message', ({ seed, ratios, buffers }) => {
           buffers.forEach((b, k) => fillKeepMask(new Float32Array(b), ratios[k], seed[k]));
           parentPort.postMessage(buffers, buffers);
         });`,
        { eval: true },
      );
      this.thread.unref(); // never keeps the process alive
    }
    return this.thread;
  }

  /** The masks of the next step for a batch of this shape (valid until the next `prefetch`). */
  async take(batch: number, seq: number): Promise<DrawnMask[]> {
    const step = this.step++;
    const dims = this.sites.map((site) => site.shape.map((d) => resolveDim(d, batch, seq, site.name)));
    if (this.pending) {
      const { batch: b, seq: s, done } = this.pending;
      this.pending = null;
      this.buffers = await done;
      if (b === batch && s === seq) return this.wrap(dims);
    }
    this.sites.forEach((site, k) => {
      const n = dims[k]!.reduce((a, b) => a * b, 1);
      if (this.buffers[k]!.byteLength !== 4 * n) this.buffers[k] = new ArrayBuffer(4 * n);
      fillKeepMask(new Float32Array(this.buffers[k]!), site.ratio, hashSeed(this.seed, step, k));
    });
    return this.wrap(dims);
  }

  /** Start drawing the masks of the step after the last `take`, guessing the same batch shape; the last masks must no longer be in use. */
  prefetch(batch: number, seq: number): void {
    if (this.pending || this.sites.length === 0) return;
    const step = this.step;
    const buffers = this.sites.map((site, k) => {
      const n = site.shape.map((d) => resolveDim(d, batch, seq, site.name)).reduce((a, b) => a * b, 1);
      return this.buffers[k]!.byteLength === 4 * n ? this.buffers[k]! : new ArrayBuffer(4 * n);
    });
    const request: Request = { seed: this.sites.map((_, k) => hashSeed(this.seed, step, k)), ratios: this.sites.map((s) => s.ratio), buffers };
    const done = new Promise<ArrayBuffer[]>((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      this.worker.once('error', onError);
      this.worker.once('message', (back: ArrayBuffer[]) => {
        this.worker.off('error', onError);
        resolve(back);
      });
    });
    this.worker.postMessage(request, buffers);
    this.buffers = this.sites.map(() => new ArrayBuffer(0)); // moved to the worker until `done`
    this.pending = { batch, seq, done };
  }

  private wrap(dims: number[][]): DrawnMask[] {
    return this.sites.map((site, k) => ({ name: site.name, dims: dims[k]!, data: new Float32Array(this.buffers[k]!) }));
  }

  async release(): Promise<void> {
    if (this.pending) await this.pending.done.catch(() => undefined);
    await this.thread?.terminate();
    this.thread = null;
  }
}

/** A mask dimension: a number, or one of the graph's symbols 'batch', 'seq', 'batch*seq'. */
function resolveDim(d: Dim, batch: number, seq: number, where: string): number {
  if (typeof d === 'number') return d;
  if (d === 'batch') return batch;
  if (d === 'seq') return seq;
  if (d === 'batch*seq') return batch * seq;
  throw new FinerError(`dropout mask ${where}: unknown dimension "${d}"; expected a number, 'batch', 'seq' or 'batch*seq'`);
}

/**
 * out[i] = 0 with probability `ratio`, else 1/(1-ratio); element i's 32 random
 * bits are lowbias32(seed + i * golden ratio) (Chris Wellons' integer hash),
 * so no state is carried between elements and any slice can be filled alone.
 */
export function fillKeepMask(out: Float32Array, ratio: number, seed: number): void {
  const threshold = Math.floor(ratio * 2 ** 32);
  const keep = 1 / (1 - ratio);
  for (let i = 0; i < out.length; i++) {
    let x = (seed + Math.imul(i, 0x9e3779b9)) | 0;
    x ^= x >>> 16;
    x = Math.imul(x, 0x21f0aaad);
    x ^= x >>> 15;
    x = Math.imul(x, 0x735a2d97);
    x ^= x >>> 15;
    out[i] = x >>> 0 < threshold ? 0 : keep;
  }
}
