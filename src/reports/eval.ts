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
}
