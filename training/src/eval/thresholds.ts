/**
 * `finer thresholds --model DIR --data FILE`: fit a score threshold per
 * entity type on a densely labelled set (the whole-document dev set,
 * training/devset/whole-doc/whole-doc.jsonl) and write `thresholds.json` into
 * the model folder, where `finer evaluate`, `finer predict`, `finer export`
 * and the app find it. The model runs once; every threshold is scored on
 * those predictions.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { scoreSequences, type EntityMetrics } from '@finer-lens/core/ner/metrics.ts';
import { THRESHOLDS_FILE, THRESHOLDS_SCHEMA, applyThresholds, fitThresholds, thresholdsOfJson, type ThresholdGuard, type ThresholdsReport, type TypeThresholds } from '@finer-lens/core/ner/thresholds.ts';
import { openModelFolder, readJsonFile, type ModelFolder } from '../infer/model-folder.ts';
import type { LogitsRunner } from '@finer-lens/core/ner/tagger.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { action } from '../util/cli.ts';
import { FinerError } from '../util/errors.ts';
import { int, num, positiveInt } from '../util/flags.ts';
import { readEvalSet, type DenseSet } from './data.ts';
import { entityTypes } from '@finer-lens/core/ner/labels.ts';
import { predictSet } from './evaluate.ts';
import { openRunner, type Backend } from './command.ts';

const summary = (m: EntityMetrics) => ({ micro: m.micro, perType: m.perType });

/**
 * Fit the thresholds of `folder` on a dense set; with a guard set, each type's thresholds may cost at most
 * `maxLoss` of its F1 there (see `fitThresholds`).
 */
export async function fitModelThresholds(
  folder: ModelFolder,
  set: DenseSet,
  run: LogitsRunner,
  opts: { backend: string; batchSize: number; guard?: { set: DenseSet; maxLoss: number } },
): Promise<ThresholdsReport> {
  const types = entityTypes(folder.labels);
  const predictions = await predictSet(folder, set, run, opts.batchSize);
  const gold = set.sentences.map((s) => s.labels);
  const guardSet = opts.guard?.set;
  const guard: ThresholdGuard | undefined = guardSet && {
    gold: guardSet.sentences.map((s) => s.labels), predictions: await predictSet(folder, guardSet, run, opts.batchSize), maxLoss: opts.guard!.maxLoss,
  };
  const thresholds = fitThresholds(gold, predictions, types, undefined, guard);
  const scoreOn = (g: ThresholdGuard['gold'], p: ThresholdGuard['predictions'], t?: TypeThresholds) => scoreSequences(g, p.map((x) => applyThresholds(x, t).map((w) => w.label)), types);
  const score = (t?: TypeThresholds) => scoreOn(gold, predictions, t);
  // leave one group (filing) out: its sentences get the thresholds fitted on the others
  const groups = [...new Set(set.sentences.flatMap((s) => (s.group === undefined ? [] : [s.group])))];
  let crossValidated: ThresholdsReport['crossValidated'];
  if (groups.length >= 2 && set.sentences.every((s) => s.group !== undefined)) {
    const held = predictions.map((p) => p.map((w) => w.label));
    for (const g of groups) {
      const rest = set.sentences.flatMap((s, i) => (s.group === g ? [] : [i]));
      const t = fitThresholds(rest.map((i) => gold[i]!), rest.map((i) => predictions[i]!), types, undefined, guard);
      set.sentences.forEach((s, i) => {
        if (s.group === g) held[i] = applyThresholds(predictions[i]!, t).map((w) => w.label);
      });
    }
    crossValidated = { groups: groups.length, ...summary(scoreSequences(gold, held, types)) };
  }
  return {
    schema: THRESHOLDS_SCHEMA, thresholds, fittedOn: set.source, backend: opts.backend, sentences: set.sentences.length,
    before: summary(score()), after: summary(score(thresholds)), ...(crossValidated ? { crossValidated } : {}),
    ...(guard ? {
      guard: { source: guardSet!.source, maxLoss: guard.maxLoss, before: summary(scoreOn(guard.gold, guard.predictions)), after: summary(scoreOn(guard.gold, guard.predictions, thresholds)) },
    } : {}),
  };
}

/** The thresholds of a model folder (its thresholds.json), checked against its labels; undefined when it has none. */
export async function readThresholds(folder: ModelFolder): Promise<TypeThresholds | undefined> {
  const path = join(folder.dir, THRESHOLDS_FILE);
  if (!existsSync(path)) return undefined;
  const json = await readJsonFile(path, 'per-type score thresholds (finer thresholds)');
  return thresholdsOfJson(json, folder.labels, path, (m) => new FinerError(m));
}

const pct = (x: number) => (100 * x).toFixed(1);

/** Dense sets (JSONL files, dataset folders' validation split) read and pooled into one. */
export async function readDensePooled(paths: readonly string[], labels: readonly string[]): Promise<DenseSet> {
  const sets: DenseSet[] = [];
  for (const path of paths) {
    const set = await readEvalSet(path, 'validation', labels);
    if (set.kind !== 'dense') throw new FinerError(`${path}: sparse gold; expected every word labelled (ner_tags) to fit thresholds`);
    sets.push(set);
  }
  return { kind: 'dense', name: sets.map((s) => s.name).join('+'), source: sets.map((s) => s.source).join(' + '), sentences: sets.flatMap((s) => s.sentences) };
}

export function registerThresholds(program: Command): void {
  program
    .command('thresholds')
    .description("fit a score threshold per entity type on a densely labelled set (the whole-document dev set) and write it into the model folder's thresholds.json")
    .requiredOption('--model <dir>', 'a training run or an exported model folder')
    .requiredOption('--data <paths...>', 'densely labelled JSONL files (FiNER lines with ner_tags of the model, e.g. training/devset/whole-doc/whole-doc.jsonl) and/or dataset folders (their validation split), pooled')
    .option('--guard <paths...>', "dense sets the thresholds must not hurt (e.g. data/finer4-neg2: its validation split's tagged sentences), pooled")
    .option('--max-loss <f1>', "with --guard: the largest drop of a type's F1 on the guard sets a threshold may cost", num('--max-loss'), 0.01)
    .option('--backend <name>', 'checkpoint, onnx or int8: the logits the thresholds are fitted on (the app serves int8)', 'checkpoint')
    .option('--batch-size <n>', 'windows per model call', positiveInt('--batch-size'), 32)
    .option('--threads <n>', 'onnxruntime intra-op threads', int('--threads'))
    .action(
      action(async (o: { model: string; data: string[]; guard?: string[]; maxLoss: number; backend: string; batchSize: number; threads?: number }) => {
        if (!['checkpoint', 'onnx', 'int8'].includes(o.backend)) throw new FinerError(`--backend ${o.backend}: expected checkpoint, onnx or int8`);
        const folder = await openModelFolder(o.model);
        const set = await readDensePooled(o.data, folder.labels);
        const guard = o.guard?.length ? { set: await readDensePooled(o.guard, folder.labels), maxLoss: o.maxLoss } : undefined;
        const runner = await openRunner(o.model, o.backend as Backend, folder.labels.length, o.threads);
        try {
          const report = await fitModelThresholds(folder, set, runner.run, { backend: o.backend, batchSize: o.batchSize, guard });
          const out = join(o.model, THRESHOLDS_FILE);
          await writeFileAtomic(out, JSON.stringify(report, null, 1) + '\n');
          for (const [type, t] of Object.entries(report.thresholds)) {
            const b = report.before.perType[type]!;
            const a = report.after.perType[type]!;
            process.stdout.write(`${type.padEnd(52)} ${t.toFixed(2)}  F1 ${pct(b.f1)} -> ${pct(a.f1)} (P ${pct(b.precision)} -> ${pct(a.precision)}, R ${pct(b.recall)} -> ${pct(a.recall)})\n`);
          }
          process.stdout.write(`${'micro'.padEnd(52)}       F1 ${pct(report.before.micro.f1)} -> ${pct(report.after.micro.f1)} (fitted and scored on the same set)\n`);
          const cv = report.crossValidated;
          const g = report.guard;
          if (g) process.stdout.write(`guard ${g.source}: micro F1 ${pct(g.before.micro.f1)} -> ${pct(g.after.micro.f1)} (each type may lose at most ${pct(g.maxLoss)})\n`);
          if (cv) process.stdout.write(`leave one of ${cv.groups} filings out: micro F1 ${pct(cv.micro.f1)} (P ${pct(cv.micro.precision)}, R ${pct(cv.micro.recall)}); ${Object.entries(cv.perType).map(([t, s]) => `${t} ${pct(s.f1)}`).join(', ')}\n`);
          process.stdout.write(`wrote ${out}\n`);
        } finally {
          await runner.release();
        }
      }),
    );
}
