/**
 * `finer verifier --model DIR --train DIR --data FILE`: learn the context
 * check (core/src/ner/verifier.ts) from the model's own predictions on every
 * sentence with a digit of a `finer ixbrl --all-sentences` folder's train
 * split, fit its cut on a densely labelled set (the whole-document dev set)
 * after the folder's thresholds, and write `verifier.json` into the model
 * folder, where `finer evaluate`, `finer predict`, `finer export` and the app
 * find it.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { predictWords, type LogitsRunner } from '@finer-lens/core/ner/tagger.ts';
import { entityTypes } from '@finer-lens/core/ner/labels.ts';
import type { EntityMetrics } from '@finer-lens/core/ner/metrics.ts';
import type { TypeThresholds } from '@finer-lens/core/ner/thresholds.ts';
import { VERIFIER_FILE, VERIFIER_SCHEMA, type VerifierReport } from '@finer-lens/core/ner/verifier.ts';
import { DEFINITION_RULES, type DefinitionRule } from '@finer-lens/core/ner/definitions.ts';
import { SPLITS, type SplitName } from '../data/sentence.ts';
import type { DenseSet } from '../eval/data.ts';
import { openRunner, type Backend } from '../eval/command.ts';
import { predictSet } from '../eval/evaluate.ts';
import { readDensePooled, readThresholds } from '../eval/thresholds.ts';
import { readDocSentences, type DocSentence } from '../eval/whole-doc.ts';
import { openModelFolder, type ModelFolder } from '../infer/model-folder.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { action } from '../util/cli.ts';
import { FinerError } from '../util/errors.ts';
import { int, num, positiveInt } from '../util/flags.ts';
import { hashSeed, mulberry32, shuffleInPlace } from '../util/rng.ts';
import { LOGISTIC_DEFAULTS, crossValidateCut, fitCut, scoreWith, sentenceExamples, trainLogistic, type ScoredSet, type VerifierExample } from './train.ts';

/** Sentences handed to the model at once (their predictions are dropped once they are examples). */
const CHUNK = 2048;

const summary = (m: EntityMetrics) => ({ micro: m.micro, perType: m.perType });

/** The filings of `sentences`, `limit` of them drawn with `seed` (all when undefined), in their order. */
export function pickFilings(sentences: readonly DocSentence[], limit: number | undefined, seed: number): DocSentence[] {
  const sources = [...new Set(sentences.map((s) => s.source))].sort();
  if (limit === undefined || limit >= sources.length) return sentences.slice();
  const kept = new Set(shuffleInPlace(sources, mulberry32(hashSeed(seed, 7))).slice(0, limit));
  return sentences.filter((s) => kept.has(s.source));
}

async function scoredSet(folder: ModelFolder, set: DenseSet, run: LogitsRunner, batchSize: number): Promise<ScoredSet> {
  return { words: set.sentences.map((s) => s.tokens), predictions: await predictSet(folder, set, run, batchSize), gold: set.sentences.map((s) => s.labels) };
}

export interface VerifierOptions {
  train: string;
  split: SplitName;
  filings?: number;
  dev: DenseSet;
  guard?: { set: DenseSet; maxLoss: number };
  /** Definitions' rules the check applies whatever the probability (core/src/ner/definitions.ts). */
  rules: readonly DefinitionRule[];
  backend: string;
  batchSize: number;
  seed: number;
  log?: (line: string) => void;
}

/** Learn the check of `folder` and fit its cut: the report `verifier.json` holds. */
export async function buildVerifier(folder: ModelFolder, run: LogitsRunner, thresholds: TypeThresholds | undefined, o: VerifierOptions): Promise<VerifierReport> {
  const types = entityTypes(folder.labels);
  const read = await readDocSentences(o.train, o.split, folder.labels);
  const sentences = pickFilings(read.sentences, o.filings, o.seed);
  const filings = new Set(sentences.map((s) => s.source)).size;
  if (sentences.length === 0) throw new FinerError(`${o.train} (${o.split}): no sentence with a digit; expected the filings' prose (a finer ixbrl --all-sentences folder)`);
  const examples: VerifierExample[] = [];
  for (let start = 0; start < sentences.length; start += CHUNK) {
    const chunk = sentences.slice(start, start + CHUNK);
    const { predictions } = await predictWords(chunk.map((s) => s.tokens), folder.encoder, folder.labels, run, { ...folder.window, batchSize: o.batchSize });
    chunk.forEach((s, i) => examples.push(...sentenceExamples(s.tokens, predictions[i]!, s.gold, s.repeats, types)));
    o.log?.(`tagged ${Math.min(start + CHUNK, sentences.length)} of ${sentences.length} sentences: ${examples.length} entities`);
  }
  const positives = examples.reduce((n, e) => n + e.y, 0);
  // nothing to tell apart (a small model that finds nothing, or a few filings): the weights say little, and the cut fitted on the dev set decides
  if (positives === 0 || positives === examples.length) o.log?.(`warning: the model's ${examples.length} entities in ${o.train} (${o.split}) are all ${positives === 0 ? 'wrong' : 'right'}: the check learns nothing from them`);
  const weights = { types, weights: trainLogistic(examples, { ...LOGISTIC_DEFAULTS, seed: o.seed }), rules: o.rules };
  const dev = { ...(await scoredSet(folder, o.dev, run, o.batchSize)), groups: o.dev.sentences.map((s) => s.group) };
  const guardSet = o.guard && (await scoredSet(folder, o.guard.set, run, o.batchSize));
  const { cut, confident } = fitCut(dev, folder.labels, weights, thresholds, guardSet && { set: guardSet, maxLoss: o.guard!.maxLoss });
  const verifier = { ...weights, cut, confident };
  const cv = crossValidateCut(dev, folder.labels, weights, thresholds, guardSet && { set: guardSet, maxLoss: o.guard!.maxLoss });
  return {
    schema: VERIFIER_SCHEMA, types, weights: Object.fromEntries(weights.weights), cut, confident, rules: [...o.rules],
    trainedOn: { source: o.train, split: o.split, filings, sentences: sentences.length, examples: examples.length, positives, backend: o.backend, seed: o.seed },
    fittedOn: o.dev.source,
    before: summary(scoreWith(dev, folder.labels, thresholds, undefined)),
    after: summary(scoreWith(dev, folder.labels, thresholds, verifier)),
    ...(cv ? { crossValidated: { groups: cv.groups, ...summary(cv.metrics) } } : {}),
    ...(guardSet ? {
      guard: {
        source: o.guard!.set.source, maxLoss: o.guard!.maxLoss,
        before: summary(scoreWith(guardSet, folder.labels, thresholds, undefined)), after: summary(scoreWith(guardSet, folder.labels, thresholds, verifier)),
      },
    } : {}),
  };
}

const pct = (x: number) => (100 * x).toFixed(1);

/** `--rules ratio,change` (or `none`): the definitions' rules, each known. */
export function parseRules(value: string): DefinitionRule[] {
  if (value.trim() === 'none') return [];
  const names = value.split(',').map((n) => n.trim());
  const stranger = names.find((n) => !(DEFINITION_RULES as readonly string[]).includes(n));
  if (stranger !== undefined) throw new FinerError(`--rules ${value}: "${stranger}" is not a rule; expected none or a comma-separated list of ${DEFINITION_RULES.join(', ')}`);
  return [...new Set(names)] as DefinitionRule[];
}

export function registerVerifier(program: Command): void {
  program
    .command('verifier')
    .description("learn the context check (which entities the sentence around them makes likely) from the model's predictions on whole train filings, fit its cut on the whole-document dev set, and write verifier.json into the model folder")
    .requiredOption('--model <dir>', 'a training run or an exported model folder (its thresholds.json is applied first)')
    .requiredOption('--train <dir>', 'a finer ixbrl --all-sentences folder: every prose sentence of the filings, with the filers\' tags and the repeats of target values')
    .requiredOption('--data <paths...>', 'densely labelled JSONL files (e.g. training/devset/whole-doc/whole-doc.jsonl) and/or dataset folders (their validation split), pooled: the cut is fitted there')
    .option('--split <name>', `the --train folder's split to learn from (${SPLITS.join(', ')})`, 'train')
    .option('--filings <n>', 'learn from this many filings of the split, drawn with --seed (default: all)', positiveInt('--filings'))
    .option('--guard <paths...>', 'dense sets whose micro F1 the check may lower by at most --max-loss (e.g. data/finer4-neg2: its validation split), pooled')
    .option('--max-loss <f1>', 'with --guard: the largest drop of micro F1 there', num('--max-loss'), 0.01)
    .option('--backend <name>', 'checkpoint, onnx or int8: the predictions it learns from and is fitted on (the app serves int8)', 'int8')
    .option('--rules <names>', `rules of the types' definitions that drop an entity whatever its probability (${DEFINITION_RULES.join(', ')}; none: no rule)`, DEFINITION_RULES.join(','))
    .option('--seed <n>', 'order of the examples (and the filings drawn)', int('--seed'), 1)
    .option('--batch-size <n>', 'windows per model call', positiveInt('--batch-size'), 32)
    .option('--threads <n>', 'onnxruntime intra-op threads', int('--threads'))
    .action(
      action(async (o: { model: string; train: string; data: string[]; split: string; filings?: number; guard?: string[]; maxLoss: number; rules: string; backend: string; seed: number; batchSize: number; threads?: number }) => {
        if (!['checkpoint', 'onnx', 'int8'].includes(o.backend)) throw new FinerError(`--backend ${o.backend}: expected checkpoint, onnx or int8`);
        if (!(SPLITS as readonly string[]).includes(o.split)) throw new FinerError(`--split ${o.split}: expected one of ${SPLITS.join(', ')}`);
        const rules = parseRules(o.rules);
        const folder = await openModelFolder(o.model);
        const dev = await readDensePooled(o.data, folder.labels);
        const guard = o.guard?.length ? { set: await readDensePooled(o.guard, folder.labels), maxLoss: o.maxLoss } : undefined;
        const thresholds = await readThresholds(folder);
        const runner = await openRunner(o.model, o.backend as Backend, folder.labels.length, o.threads);
        try {
          const report = await buildVerifier(folder, runner.run, thresholds, {
            train: o.train, split: o.split as SplitName, filings: o.filings, dev, guard, rules, backend: o.backend, batchSize: o.batchSize, seed: o.seed,
            log: (line) => process.stderr.write(`${line}\n`),
          });
          const out = join(o.model, VERIFIER_FILE);
          await writeFileAtomic(out, JSON.stringify(report, null, 1) + '\n');
          const t = report.trainedOn;
          process.stdout.write(`learned from ${t.examples} entities (${t.positives} right) in ${t.sentences} sentences of ${t.filings} filings: ${Object.keys(report.weights).length} weights\n`);
          process.stdout.write(`cut ${report.cut}, confident ${report.confident}, rules ${report.rules?.join(', ') || 'none'}: ${report.fittedOn} micro F1 ${pct(report.before.micro.f1)} -> ${pct(report.after.micro.f1)} (P ${pct(report.before.micro.precision)} -> ${pct(report.after.micro.precision)}, R ${pct(report.before.micro.recall)} -> ${pct(report.after.micro.recall)}; fitted and scored on the same set)\n`);
          const cv = report.crossValidated;
          if (cv) process.stdout.write(`leave one of ${cv.groups} filings out: micro F1 ${pct(cv.micro.f1)} (P ${pct(cv.micro.precision)}, R ${pct(cv.micro.recall)})\n`);
          const g = report.guard;
          if (g) process.stdout.write(`guard ${g.source}: micro F1 ${pct(g.before.micro.f1)} -> ${pct(g.after.micro.f1)} (may lose at most ${pct(g.maxLoss)})\n`);
          process.stdout.write(`wrote ${out}\n`);
        } finally {
          await runner.release();
        }
      }),
    );
}
