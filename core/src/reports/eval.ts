/**
 * The schema of `eval.json`: written by `finer evaluate`
 * (training/src/eval/), read by the dashboard. One model, one or more data
 * sets: a fully labelled split (seqeval entity metrics, token accuracy,
 * word confusion matrix) or FiNER-139's sparse-gold sample (labelled-token
 * metrics).
 */
import * as v from 'valibot';
import { entityMetrics, sparseMetrics } from './metrics.ts';
import { count, fields, found, list, num, object, recordOf, score, str, strings } from './schema.ts';

export const EVAL_SCHEMA = 1;

const denseEvaluation = fields(
  {
    kind: v.literal('dense'),
    // e.g. "test"
    name: str,
    source: str,
    sentences: count,
    words: count,
    metrics: entityMetrics,
  },
  'an evaluation object',
);

const sparseEvaluation = fields(
  { kind: v.literal('sparse'), name: str, source: str, sentences: count, metrics: sparseMetrics },
  'an evaluation object',
);

const evaluation = v.variant('kind', [denseEvaluation, sparseEvaluation], (issue) =>
  // an object whose kind is neither has its issue at `kind` (arrays count as objects here: their kind is missing)
  issue.path ? `expected "dense" or "sparse", found ${found(issue.input)}` : 'expected an evaluation object',
);

/** Entities predicted in untagged sentences: all, and per type. */
const untaggedCounts = object({ total: count, perType: recordOf(count, 'an object of counts per type') }, '{total, perType}');

/** An entity predicted in a sentence without tag and without debt vocabulary. */
const falseAlarmExample = object(
  {
    source: str,
    // the sentence's words joined by spaces
    sentence: str,
    // index of the entity's first word
    word: count,
    text: str,
    type: str,
    score,
  },
  '{source, sentence, word, text, type, score}',
);

const EXPECTED_TOTALS = '{repeats, others, othersNoDebt}';

/**
 * Every prose sentence with a digit of a split's filings (`finer evaluate
 * --whole-doc`): entity scores where the filers tagged, and what the model
 * finds in the untagged rest (training/src/eval/whole-doc.ts).
 */
const wholeDocEvaluation = object(
  {
    // the `finer ixbrl --all-sentences` folder
    source: str,
    split: str,
    filings: count,
    // sentences with a digit: holding a FiNER-139 tag, and not
    sentences: object({ tagged: count, untagged: count }, '{tagged, untagged}'),
    // entity scores on the tagged sentences (the four types; other tags O)
    tagged: entityMetrics,
    // entities predicted in the untagged sentences: repeats of a target value of the filing, the others, and the others in sentences without debt vocabulary
    untagged: object({ repeats: untaggedCounts, others: untaggedCounts, othersNoDebt: untaggedCounts }, EXPECTED_TOTALS),
    // the same totals per filing of the split
    perFiling: object({ repeats: count, others: count, othersNoDebt: count }, EXPECTED_TOTALS),
    // the first false alarms in sentences without debt vocabulary
    examples: list(falseAlarmExample, 'false alarms'),
  },
  '{source, split, filings, sentences, tagged, untagged, perFiling, examples}',
);

export const evalReportSchema = object(
  {
    schema: v.literal(EVAL_SCHEMA),
    model: str,
    // ISO date-time of the evaluation
    date: str,
    // how the logits were computed: the checkpoint on the training engine or an ONNX file
    backend: str,
    labels: strings,
    window: object({ maxLength: count, stride: count }, '{maxLength, stride}'),
    datasets: list(evaluation, 'evaluations'),
    // per-type score thresholds applied to the predictions (the model folder's thresholds.json), when it has them
    thresholds: v.optional(recordOf(score, '{"<entity type>": <score 0..1>}')),
    // the context check applied after the thresholds (the model folder's verifier.json), when it has one
    verifier: v.optional(object({ cut: score, confident: num, rules: v.optional(strings) }, '{cut, confident, rules}')),
    // whole-document measures (`--whole-doc`)
    wholeDocument: v.optional(wholeDocEvaluation),
  },
  'a JSON object',
);

export type DenseEvaluation = v.InferOutput<typeof denseEvaluation>;
export type SparseEvaluation = v.InferOutput<typeof sparseEvaluation>;
export type UntaggedCounts = v.InferOutput<typeof untaggedCounts>;
export type FalseAlarmExample = v.InferOutput<typeof falseAlarmExample>;
export type WholeDocEvaluation = v.InferOutput<typeof wholeDocEvaluation>;
export type EvalReport = v.InferOutput<typeof evalReportSchema>;
