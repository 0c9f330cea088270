/**
 * A logit ensemble of 4-type checkpoints that share one vocabulary: the mean
 * of their log-probabilities per sub-token, scored like `finer evaluate` on
 * the validation and test splits and the FiNER sample. lab/RESULTS.md's ensemble
 * row ("a logit ensemble of 6 of these models").
 *   npx tsx lab/scripts/analysis/ensemble.ts runs/a runs/b ... [--data data/finer4-neg2] [--sample FILE]
 */
import { parseArgs } from 'node:util';
import type { InputBatch } from '@finer-lens/core/ner/tagger.ts';
import { readEvalSet } from '@finer-lens/training/eval/data.ts';
import { evaluateModel } from '@finer-lens/training/eval/evaluate.ts';
import { openModelFolder } from '@finer-lens/training/infer/model-folder.ts';
import { checkpointRunner } from '@finer-lens/training/infer/runners.ts';

const { values, positionals: models } = parseArgs({
  allowPositionals: true,
  options: { data: { type: 'string', default: 'data/finer4-neg2' }, sample: { type: 'string', default: '../shared/data/finer139-sample/finer139_train_sample.jsonl' } },
});
if (models.length < 2) {
  console.error('usage: ensemble.ts MODEL MODEL [...] [--data DIR] [--sample FILE]: at least two checkpoints with one vocabulary');
  process.exit(1);
}
const folder = await openModelFolder(models[0]!);
const n = folder.labels.length;
const runners = await Promise.all(models.map(async (m) => checkpointRunner(await openModelFolder(m), 2)));

/** Mean over the models of log-softmax over the labels, per sub-token. */
async function run(batch: InputBatch): Promise<Float32Array> {
  const out = new Float32Array(batch.batchSize * batch.seqLen * n);
  for (const r of runners) {
    const logits = await r.run(batch);
    for (let i = 0; i < logits.length; i += n) {
      let max = -Infinity;
      for (let k = 0; k < n; k++) max = Math.max(max, logits[i + k]!);
      let sum = 0;
      for (let k = 0; k < n; k++) sum += Math.exp(logits[i + k]! - max);
      const logSum = max + Math.log(sum);
      for (let k = 0; k < n; k++) out[i + k] += (logits[i + k]! - logSum) / runners.length;
    }
  }
  return out;
}

const sets = [
  await readEvalSet(values.data!, 'validation', folder.labels),
  await readEvalSet(values.data!, 'test', folder.labels),
  await readEvalSet(values.sample!, 'test', folder.labels),
];
const report = await evaluateModel(folder, sets, run, { backend: 'ensemble', batchSize: 32 });
for (const [i, d] of report.datasets.entries()) {
  const f1 = (x: number) => (x * 100).toFixed(1);
  const m = d.metrics;
  console.log(`${['validation', 'test', 'sample'][i]} micro F1 ${f1(m.micro.f1)}; per type ${Object.values(m.perType).map((s) => f1(s.f1)).join(' / ')}`);
}
await Promise.all(runners.map((r) => r.release()));
