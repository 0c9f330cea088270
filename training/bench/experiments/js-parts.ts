// Time the JS-side parts of a small-shape step: mask drawing, batch check, clipping, AdamW.
import { defaultConfig } from '../../src/model/config.ts';
import { initParams, paramSpecs } from '../../src/model/params.ts';
import { buildTrainingGraph } from '../../src/model/distilbert.ts';
import { DropoutMasks } from '../../src/model/dropout-masks.ts';
import { checkBatch } from '../../src/model/step.ts';
import { AdamW, clipGradNorm } from '../../src/train/adamw.ts';

const cfg = defaultConfig({ n_layers: 4, dim: 256, n_heads: 4, hidden_dim: 1024, vocab_size: 16000 });
const specs = paramSpecs(cfg, 'token-classification', 5);
const params = initParams(specs, cfg, 1);
const grads = new Map([...params].map(([k, v]) => [k, v.map((x) => x * 0.1)]));
const { dropoutMasks } = buildTrainingGraph(cfg, 'token-classification', 5, { dropoutSeed: 1, dropoutSource: 'inputs' });
const masks = new DropoutMasks(dropoutMasks, 1);
const B = 16, S = 128;
const batch = { inputIds: new BigInt64Array(B * S).fill(5n), attentionMask: new BigInt64Array(B * S).fill(1n), labels: new BigInt64Array(B * S).fill(1n), batchSize: B, seqLen: S };
const opt = new AdamW(specs);
const time = (name: string, fn: () => void): void => {
  const ts: number[] = [];
  for (let i = 0; i < 7; i++) { const t = performance.now(); fn(); ts.push(performance.now() - t); }
  ts.sort((a, b) => a - b);
  console.log(`${name.padEnd(14)} median ${ts[3]!.toFixed(1)} ms  min ${ts[0]!.toFixed(1)} ms`);
};
console.log(`${dropoutMasks.length} mask sites, ${(dropoutMasks.length && masks.next(B, S).reduce((a, m) => a + m.data.length, 0) / 1e6).toFixed(2)} M elements per step`);
time('masks.next', () => masks.next(B, S));
time('checkBatch', () => checkBatch(cfg, 'token-classification', 5, batch));
time('clipGradNorm', () => clipGradNorm(grads, 1e9));
time('AdamW.update', () => opt.update(params, grads, 5e-5));
