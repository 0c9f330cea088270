/**
 * `finer evaluate`: tag evaluation data with a model and score it (seqeval
 * entity metrics, or labelled-token metrics on sparse gold), into the
 * `eval.json` report the dashboard reads.
 */
import { entityTypes } from '@finer-lens/core/ner/labels.ts';
import { scoreSequences, scoreSparse } from '@finer-lens/core/ner/metrics.ts';
import { predictWords, type LogitsRunner, type WordPrediction } from '@finer-lens/core/ner/tagger.ts';
import type { TypeThresholds } from '@finer-lens/core/ner/thresholds.ts';
import { checkRule, keptPredictions, type Verifier } from '@finer-lens/core/ner/verifier.ts';
import { EVAL_SCHEMA, type DenseEvaluation, type EvalReport, type SparseEvaluation } from '@finer-lens/core/reports/eval.ts';
import type { ModelFolder } from '../infer/model-folder.ts';
import type { DenseSet, EvalSet } from './data.ts';
import type { SplitName } from '../data/sentence.ts';
import { evaluateWholeDocuments } from './whole-doc.ts';

/** What tagging a set needs of a model besides its logits: the vocabulary, the labels, the window. */
export type Tagger = Pick<ModelFolder, 'encoder' | 'labels' | 'window'>;

export async function predictSet(folder: Tagger, set: EvalSet, run: LogitsRunner, batchSize: number, opts: { probabilities?: boolean } = {}): Promise<WordPrediction[][]> {
  const { predictions } = await predictWords(set.sentences.map((s) => s.tokens), folder.encoder, folder.labels, run, { ...folder.window, batchSize, ...opts });
  return predictions;
}

export function scoreSet(folder: Pick<Tagger, 'labels'>, set: DenseSet, predictions: readonly WordPrediction[][], thresholds?: TypeThresholds, verifier?: Verifier): DenseEvaluation;
export function scoreSet(folder: Pick<Tagger, 'labels'>, set: EvalSet, predictions: readonly WordPrediction[][], thresholds?: TypeThresholds, verifier?: Verifier): DenseEvaluation | SparseEvaluation;
export function scoreSet(folder: Pick<Tagger, 'labels'>, set: EvalSet, predictions: readonly WordPrediction[][], thresholds?: TypeThresholds, verifier?: Verifier): DenseEvaluation | SparseEvaluation {
  const types = entityTypes(folder.labels);
  const pred = predictions.map((p, i) => keptPredictions(set.sentences[i]!.tokens, p, thresholds, verifier).map((w) => w.label));
  if (set.kind === 'dense') {
    return {
      kind: 'dense', name: set.name, source: set.source, sentences: set.sentences.length,
      words: set.sentences.reduce((n, s) => n + s.tokens.length, 0),
      metrics: scoreSequences(set.sentences.map((s) => s.labels), pred, types),
    };
  }
  return {
    kind: 'sparse', name: set.name, source: set.source, sentences: set.sentences.length,
    metrics: scoreSparse(set.sentences.map((s, i) => ({ gold: s.gold, pred: pred[i]! })), types),
  };
}

export async function evaluateModel(
  folder: ModelFolder,
  sets: readonly EvalSet[],
  run: LogitsRunner,
  opts: { backend: string; batchSize: number; now?: Date; thresholds?: TypeThresholds; verifier?: Verifier; wholeDoc?: { dir: string; split: SplitName } },
): Promise<EvalReport> {
  const datasets: EvalReport['datasets'] = [];
  for (const set of sets) datasets.push(scoreSet(folder, set, await predictSet(folder, set, run, opts.batchSize), opts.thresholds, opts.verifier));
  const wholeDocument = opts.wholeDoc
    ? await evaluateWholeDocuments(folder, opts.wholeDoc.dir, opts.wholeDoc.split, run, { batchSize: opts.batchSize, thresholds: opts.thresholds, verifier: opts.verifier })
    : undefined;
  return {
    schema: EVAL_SCHEMA, model: folder.name, date: (opts.now ?? new Date()).toISOString(), backend: opts.backend,
    labels: folder.labels, window: folder.window, datasets,
    ...(opts.thresholds ? { thresholds: opts.thresholds } : {}),
    ...(opts.verifier ? { verifier: checkRule(opts.verifier) } : {}),
    ...(wholeDocument ? { wholeDocument } : {}),
  };
}
