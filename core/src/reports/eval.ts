/**
 * The schema of `eval.json`: written by `finer evaluate`
 * (training/src/eval/), read by the dashboard. One model, one or more data
 * sets: a fully labelled split (seqeval entity metrics, token accuracy,
 * word confusion matrix) or FiNER-139's sparse-gold sample (labelled-token
 * metrics).
 */
import type { EntityMetrics, SparseMetrics } from '../ner/metrics.ts';

export const EVAL_SCHEMA = 1;

export interface DenseEvaluation {
  kind: 'dense';
  /** e.g. "test" */
  name: string;
  source: string;
  sentences: number;
  words: number;
  metrics: EntityMetrics;
}

export interface SparseEvaluation {
  kind: 'sparse';
  name: string;
  source: string;
  sentences: number;
  metrics: SparseMetrics;
}

/** Entities predicted in untagged sentences: all, and per type. */
export interface UntaggedCounts {
  total: number;
  perType: Record<string, number>;
}

/** An entity predicted in a sentence without tag and without debt vocabulary. */
export interface FalseAlarmExample {
  source: string;
  /** The sentence's words joined by spaces. */
  sentence: string;
  /** Index of the entity's first word. */
  word: number;
  text: string;
  type: string;
  score: number;
}

/**
 * Every prose sentence with a digit of a split's filings (`finer evaluate
 * --whole-doc`): entity scores where the filers tagged, and what the model
 * finds in the untagged rest (training/src/eval/whole-doc.ts).
 */
export interface WholeDocEvaluation {
  /** The `finer ixbrl --all-sentences` folder. */
  source: string;
  split: string;
  filings: number;
  /** Sentences with a digit: holding a FiNER-139 tag, and not. */
  sentences: { tagged: number; untagged: number };
  /** Entity scores on the tagged sentences (the four types; other tags O). */
  tagged: EntityMetrics;
  /** Entities predicted in the untagged sentences: repeats of a target value of the filing, the others, and the others in sentences without debt vocabulary. */
  untagged: { repeats: UntaggedCounts; others: UntaggedCounts; othersNoDebt: UntaggedCounts };
  /** The same totals per filing of the split. */
  perFiling: { repeats: number; others: number; othersNoDebt: number };
  /** The first false alarms in sentences without debt vocabulary. */
  examples: FalseAlarmExample[];
}

export interface EvalReport {
  schema: typeof EVAL_SCHEMA;
  model: string;
  /** ISO date-time of the evaluation. */
  date: string;
  /** How the logits were computed: the checkpoint on the training engine or an ONNX file. */
  backend: string;
  labels: string[];
  window: { maxLength: number; stride: number };
  datasets: Array<DenseEvaluation | SparseEvaluation>;
  /** Per-type score thresholds applied to the predictions (the model folder's thresholds.json), when it has them. */
  thresholds?: Record<string, number>;
  /** Whole-document measures (`--whole-doc`). */
  wholeDocument?: WholeDocEvaluation;
}
