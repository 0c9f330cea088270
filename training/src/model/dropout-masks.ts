import { FinerError } from '../util/errors.ts';
import type { Dim } from '../onnx/graph.ts';
import { hashSeed } from '../train/rng.ts';
import type { DropoutMaskInput } from './distilbert.ts';

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
  next(batch: number, seq: number): Array<{ name: string; dims: number[]; data: Float32Array }> {
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
