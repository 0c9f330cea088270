/**
 * The schema of `train.json`, as the dashboard reads it: written by
 * `finer train --report` (training/src/train/report.ts, `TrainReport`, the
 * writer's definition), read by src/app/reports.ts. Only what the app shows
 * is typed here; the writer's report carries more (all its options).
 */
export const TRAIN_SCHEMA = 1;

/** One optimizer step of the loss curve. */
export interface TrainStep {
  step: number;
  loss: number;
  lr: number;
  gradNorm: number;
}

/** One evaluation on the validation set. */
export interface TrainEval {
  step: number;
  epoch: number;
  loss: number;
  /** Word label accuracy. */
  accuracy: number;
  tokens: number;
  /** Entity micro F1 (seqeval), when the run computed it. */
  f1?: number;
}

/** `O`: the run's options; the writer fills in its TrainOptions. */
export interface TrainReport<O = Record<string, unknown>> {
  schema: typeof TRAIN_SCHEMA;
  model: { n_layers: number; dim: number; n_heads: number; hidden_dim: number; vocab_size: number; parameters: number };
  labels: string[];
  /** The run's hyper-parameters (TrainOptions): epochs, batchSize, lr, maxLength, ... */
  options: O;
  steps: number;
  totalSteps: number;
  epochs: number;
  tokensSeen: number;
  wallSeconds: number;
  tokensPerSecond: number;
  /** At most ~500 points, evenly spaced. */
  history: TrainStep[];
  evals: TrainEval[];
  best: { metric: 'eval_loss' | 'eval_f1'; value: number; step: number } | null;
}
