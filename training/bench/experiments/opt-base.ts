// Base shape: clipping + AdamW (the trainer's) alone, and while the dropout-mask worker draws the next step's masks.
import { defaultConfig } from '../../src/model/config.ts';
import { initParams, paramSpecs } from '../../src/model/params.ts';
import { buildTrainingGraph } from '../../src/model/distilbert.ts';
import { PrefetchedDropoutMasks } from '../../src/model/dropout-masks.ts';
import { AdamW, clipGradNorm } from '../../src/train/adamw.ts';

const cfg = defaultConfig({ vocab_size: 28996 });
const specs = paramSpecs(cfg, 'token-classification', 5);
const params = initParams(specs, cfg, 1);
const grads = new Map([...params].map(([k, v]) => [k, v.map((x) => x * 0.1)]));
const opt = new AdamW(specs);
const { dropoutMasks } = buildTrainingGraph(cfg, 'token-classification', 5, { dropoutSeed: 1, dropoutSource: 'inputs' });
const masks = new PrefetchedDropoutMasks(dropoutMasks, 1);
await masks.take(16, 128);
for (let r = 0; r < 4; r++) {
  let t = performance.now(); clipGradNorm(grads, 1.0); const clip = performance.now() - t;
  t = performance.now(); opt.update(params, grads, 5e-5); const adam = performance.now() - t;
  masks.prefetch(16, 128);
  t = performance.now(); clipGradNorm(grads, 1.0); opt.update(params, grads, 5e-5); const both = performance.now() - t;
  t = performance.now(); await masks.take(16, 128); const wait = performance.now() - t;
  console.log(`clip ${clip.toFixed(0)} ms, AdamW ${adam.toFixed(0)} ms; clip+AdamW while the worker draws masks ${both.toFixed(0)} ms (then waited ${wait.toFixed(0)} ms)`);
}
await masks.release();
