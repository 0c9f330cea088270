/**
 * `lab calibrate --model RUN --data DIR --out DIR`: fit per-type logit
 * offsets on the validation split (entity micro F1) and write a copy of the
 * model with them folded into `classifier.bias`, plus `calibration.json`.
 * The copy is a model folder like a training run's: `finer evaluate`,
 * `export`, `compare` and `predict` take it unchanged.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { SPLITS, type SplitName } from '@finer-lens/training/data/sentence.ts';
import { openModelFolder, type ModelFolder } from '@finer-lens/training/infer/model-folder.ts';
import { checkpointRunner } from '@finer-lens/training/infer/runners.ts';
import { readSafetensors, serializeSafetensors, type Tensor } from '@finer-lens/training/train/safetensors.ts';
import { writeModelCopy } from '../model-copy.ts';
import { action } from '@finer-lens/training/util/cli.ts';
import { checkOutDir, type OutputGuard } from '@finer-lens/training/util/output.ts';
import { FinerError } from '@finer-lens/training/util/errors.ts';
import { int, num, positiveInt } from '@finer-lens/training/util/flags.ts';
import { CALIBRATION_FILE, fitOffsets, labelOffsets, LogitsRecording, offsetGrid, type FitResult, type TypeOffsets } from './calibrate.ts';
import { readEvalSet, type DenseSet } from '@finer-lens/training/eval/data.ts';
import { entityTypes } from '@finer-lens/core/ner/labels.ts';
import { predictSet, scoreSet } from '@finer-lens/training/eval/evaluate.ts';
import type { EntityMetrics } from '@finer-lens/core/ner/metrics.ts';
import { LAB_OUTPUTS } from '../outputs.ts';

export interface CalibrationReport {
  schema: 1;
  model: string;
  data: string;
  split: string;
  grid: { range: number; step: number; rounds: number };
  offsets: TypeOffsets;
  evaluations: number;
  /** Entity F1 on the split before and after, micro and per type. */
  before: { micro: number; perType: Record<string, number> };
  after: { micro: number; perType: Record<string, number> };
}

const summary = (m: EntityMetrics) => ({ micro: m.micro.f1, perType: Object.fromEntries(Object.entries(m.perType).map(([t, s]) => [t, s.f1])) });

/** Fit the offsets of `folder` on a dense split; the model runs once. */
export async function calibrate(folder: ModelFolder, set: DenseSet, opts: { grid: number[]; rounds: number; batchSize: number; threads?: number }): Promise<FitResult & { before: EntityMetrics; after: EntityMetrics }> {
  const runner = await checkpointRunner(folder, opts.threads);
  try {
    const recording = new LogitsRecording(runner.run);
    const score = (p: Awaited<ReturnType<typeof predictSet>>) => scoreSet(folder, set, p).metrics as EntityMetrics;
    const before = score(await predictSet(folder, set, recording.record, opts.batchSize));
    const metricsOf = async (o: TypeOffsets) => score(await predictSet(folder, set, recording.replay(labelOffsets(folder.labels, o)), opts.batchSize));
    const fit = await fitOffsets(entityTypes(folder.labels), async (o) => (await metricsOf(o)).micro.f1, { grid: opts.grid, rounds: opts.rounds });
    return { ...fit, before, after: await metricsOf(fit.offsets) };
  } finally {
    await runner.release();
  }
}

/** model.safetensors of `dir` with the label offsets added to `classifier.bias`, every other tensor as it was. */
export async function biasedWeights(dir: string, offsets: Float32Array): Promise<Uint8Array> {
  const path = join(dir, 'model.safetensors');
  const file = await readSafetensors(path);
  const tensors = new Map<string, Tensor>();
  for (const name of file.tensors.keys()) tensors.set(name, file.get(name));
  const bias = tensors.get('classifier.bias');
  if (!bias || bias.data.length !== offsets.length) {
    throw new FinerError(`${path}: expected a tensor "classifier.bias" of ${offsets.length} values (one per label of config.json)`);
  }
  bias.data = bias.data.map((b, i) => b + offsets[i]!);
  return serializeSafetensors(tensors, file.metadata);
}

export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description('fit per-type logit offsets on the validation split (entity micro F1) and fold them into the classifier bias of a copy of the model')
    .requiredOption('--model <dir>', 'a training run (or model folder with model.safetensors)')
    .requiredOption('--data <dir>', 'the dataset folder of the run (its --split is scored)')
    .requiredOption('--out <dir>', 'the calibrated copy to write (config, vocabulary, weights, trainer state, calibration.json)')
    .option('--split <name>', `split to fit on (${SPLITS.join(', ')}); never the test split you report`, 'validation')
    .option('--range <x>', 'offsets from -x to +x', num('--range'), 3)
    .option('--step <x>', 'grid step of the offsets', num('--step'), 0.25)
    .option('--rounds <n>', 'most passes of coordinate ascent over the types', int('--rounds'), 3)
    .option('--batch-size <n>', 'windows per model call', positiveInt('--batch-size'), 32)
    .option('--threads <n>', 'onnxruntime intra-op threads', int('--threads'))
    .option('--force', 'replace an existing --out folder that is not a lab calibrate output')
    .action(
      action(async (o: { model: string; data: string; out: string; split: string; range: number; step: number; rounds: number; batchSize: number; threads?: number; force?: boolean }) => {
        if (!(SPLITS as readonly string[]).includes(o.split)) throw new FinerError(`--split ${o.split}: expected one of ${SPLITS.join(', ')}`);
        if (!(o.step > 0) || o.step > o.range) throw new FinerError(`--step ${o.step}: expected a number above 0 and at most --range ${o.range}`);
        const guard: OutputGuard = { kind: LAB_OUTPUTS.calibrate, inputs: [o.model, o.data], force: o.force };
        await checkOutDir(o.out, guard);
        const folder = await openModelFolder(o.model, { needWeights: true });
        const set = await readEvalSet(o.data, o.split as SplitName, folder.labels);
        if (set.kind !== 'dense') throw new FinerError(`${o.data}: sparse gold; expected a dataset folder or fully labelled JSONL (entity F1 needs every word's label)`);
        const fit = await calibrate(folder, set, { grid: offsetGrid(o.range, o.step), rounds: o.rounds, batchSize: o.batchSize, threads: o.threads });
        const report: CalibrationReport = {
          schema: 1, model: o.model, data: o.data, split: o.split, grid: { range: o.range, step: o.step, rounds: o.rounds },
          offsets: fit.offsets, evaluations: fit.evaluations, before: summary(fit.before), after: summary(fit.after),
        };
        const weights = await biasedWeights(o.model, labelOffsets(folder.labels, fit.offsets));
        await writeModelCopy(o.model, o.out, weights, { file: CALIBRATION_FILE, value: report }, guard);
        const pct = (x: number) => (100 * x).toFixed(1);
        for (const t of Object.keys(fit.offsets)) {
          process.stdout.write(`${t.padEnd(52)} offset ${fit.offsets[t]!.toFixed(2).padStart(5)}  F1 ${pct(report.before.perType[t] ?? 0)} -> ${pct(report.after.perType[t] ?? 0)}\n`);
        }
        process.stdout.write(`${o.split} entity micro F1 ${pct(report.before.micro)} -> ${pct(report.after.micro)} (${fit.evaluations} candidates scored)\nwrote ${o.out}\n`);
      }),
    );
}
