/**
 * AdamW update + gradient clipping over a parameter set of a given size.
 * Prints one JSON line. Usage: npx tsx training/bench/optimizer.ts [params=6000000] [repeats=20]
 */
import { AdamW, clipGradNorm } from '../src/train/adamw.ts';

const total = Number(process.argv[2] ?? 6_000_000);
const repeats = Number(process.argv[3] ?? 20);
// 24 tensors, like a small DistilBERT's weight matrices
const specs = Array.from({ length: 24 }, (_, i) => ({ name: `p${i}`, shape: [Math.ceil(total / 24)], decay: i % 2 === 0 }));
const params = new Map(specs.map((s) => [s.name, new Float32Array(s.shape[0]!).map(() => Math.random() - 0.5)]));
const grads = new Map(specs.map((s) => [s.name, new Float32Array(s.shape[0]!).map(() => Math.random() - 0.5)]));
const opt = new AdamW(specs);
const time = (fn: () => void) => {
  fn(); // warm-up (JIT)
  const t0 = performance.now();
  for (let r = 0; r < repeats; r++) fn();
  return (performance.now() - t0) / repeats;
};
const adamwMs = time(() => opt.update(params, grads, 1e-4));
const clipMs = time(() => clipGradNorm(grads, 1e9));
console.log(JSON.stringify({ bench: 'optimizer', params: specs.length * specs[0]!.shape[0]!, adamw_ms: +adamwMs.toFixed(2), clip_ms: +clipMs.toFixed(2) }));
