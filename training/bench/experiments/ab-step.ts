// A/B of createTrainingStep variants on the small shape, runs interleaved (load from others hits all alike).
// Reports per variant: median and min of run() (forward+backward, no optimizer).
import { defaultConfig } from '../../src/model/config.ts';
import { initParams, paramSpecs } from '../../src/model/params.ts';
import { createTrainingStep, type StepOptions, type TrainingStep } from '../../src/model/step.ts';
import type { Batch } from '../../src/train/batch.ts';

const cfg = defaultConfig({ n_layers: 4, dim: 256, n_heads: 4, hidden_dim: 1024, vocab_size: 16000 });
const specs = paramSpecs(cfg, 'token-classification', 5);
const params = initParams(specs, cfg, 1);
const B = 16, S = 128;
const batch: Batch = {
  inputIds: new BigInt64Array(B * S).map((_, i) => BigInt((i * 7919) % 16000)),
  attentionMask: new BigInt64Array(B * S).fill(1n),
  labels: new BigInt64Array(B * S).map((_, i) => (i % S === 0 ? -100n : BigInt(i % 5))),
  batchSize: B, seqLen: S,
};
const all: Record<string, Omit<StepOptions, 'dropoutSeed'>> = {
  'onnx-dropout': { dropout: 'onnx', threads: 2 },
  'js-masks': { dropout: 'inputs', threads: 2 },
  'js-masks-nospin': { dropout: 'inputs', threads: 2, spinning: false },
  'js-masks-1thr': { dropout: 'inputs', threads: 1 },
};
const names = Object.keys(all).filter((n) => process.argv.length <= 2 || process.argv.slice(2).includes(n));
const steps = new Map<string, TrainingStep>();
for (const n of names) steps.set(n, await createTrainingStep(cfg, 'token-classification', 5, { dropoutSeed: 1, ...all[n] }));
const times = new Map<string, number[]>(names.map((n) => [n, []]));
for (let r = 0; r < 7; r++) for (const n of names) {
  const t = performance.now();
  await steps.get(n)!.run(params, batch);
  if (r > 0) times.get(n)!.push(performance.now() - t);
}
for (const n of names) {
  const ts = times.get(n)!.sort((a, b) => a - b);
  console.log(`${n.padEnd(18)} median ${ts[ts.length >> 1]!.toFixed(1)} ms  min ${ts[0]!.toFixed(1)} ms`);
}
for (const s of steps.values()) await s.release();
