/**
 * Gradient clipping + AdamW over a parameter set of a given size, as the
 * trainer runs them: the global norm, then one update with the clip factor
 * folded in. Prints one JSON line.
 * Usage: npx tsx training/bench/optimizer.ts [params=7390000] [repeats=10]
 *   7.39 M = the small bench shape (4 x 256), 65.2 M = DistilBERT-base (6 x 768).
 */
import { AdamW, clipGradNorm, clipScale, globalNorm } from '../src/engine/adamw.ts';

const total = Number(process.argv[2] ?? 7_390_000);
const repeats = Number(process.argv[3] ?? 10);
// 24 tensors, like a small DistilBERT's weight matrices
const specs = Array.from({ length: 24 }, (_, i) => ({ name: `p${i}`, shape: [Math.ceil(total / 24)], decay: i % 2 === 0 }));
const params = new Map(specs.map((s) => [s.name, new Float32Array(s.shape[0]!).map(() => Math.random() - 0.5)]));
const grads = new Map(specs.map((s) => [s.name, new Float32Array(s.shape[0]!).map(() => Math.random() - 0.5)]));
const opt = new AdamW(specs);
/** Median ms of `repeats` calls after one warm-up call (JIT, first touch of m and v). */
const time = (fn: () => void): number => {
  fn();
  const ms: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[repeats >> 1]!;
};
const normMs = time(() => globalNorm(grads));
const adamwMs = time(() => opt.update(params, grads, 1e-4));
// the gradients' norm is ~sqrt(total / 12), far above 1: clipping is active, as in bench:train
const clipAdamwMs = time(() => opt.update(params, grads, 1e-4, clipScale(globalNorm(grads), 1.0)));
// the path before the fold, for comparison: norm, a scaling pass over the gradients, then the update
const unfoldedMs = time(() => {
  clipGradNorm(grads, 1.0);
  opt.update(params, grads, 1e-4);
});
console.log(JSON.stringify({
  bench: 'optimizer', params: specs.length * specs[0]!.shape[0]!, repeats,
  norm_ms: +normMs.toFixed(2), adamw_ms: +adamwMs.toFixed(2), clip_adamw_ms: +clipAdamwMs.toFixed(2), unfolded_ms: +unfoldedMs.toFixed(2),
}));
