/**
 * The schema of `compare.json`: written by `finer compare`
 * (training/src/compare/), read by the dashboard. The same data tagged by
 * every way the model runs: the trained checkpoint on the training engine,
 * the exported ONNX (fp32, int8) on onnxruntime-node, and the transformers.js
 * pipeline; agreement with the checkpoint, metrics and speed for each.
 */
export const COMPARE_SCHEMA = 1;

export interface PathResult {
  /** checkpoint | onnx-fp32 | onnx-int8 | transformers.js */
  path: string;
  description: string;
  /** Word predictions equal to the checkpoint's, and those that differ. */
  agreement: { words: number; same: number; different: number; sentencesDifferent: number };
  /** Largest |logit - checkpoint logit| over every sub-token (paths that expose logits). */
  maxAbsLogitDiff?: number;
  /**
   * onnx-int8 (reports since it was measured): word labels, and sentences
   * holding one, that change when each window is tagged alone (one per model
   * call) instead of in the batches of `settings.batchSize`. Dynamic
   * quantisation scales activations over the whole batch, so int8 labels
   * depend on the batch; fp32 and the checkpoint do not.
   */
  batchDependence?: { different: number; sentencesDifferent: number };
  metrics: { microF1: number; precision: number; recall: number; perTypeF1: Record<string, number> };
  /** The best of `rounds` timings (seconds of each round in `rounds`). */
  speed: { seconds: number; rounds?: number[]; sentencesPerSecond: number; subTokensPerSecond: number };
}

export interface CompareReport {
  schema: typeof COMPARE_SCHEMA;
  model: string;
  date: string;
  data: { source: string; split: string; sentences: number; words: number; windows: number; subTokens: number };
  settings: { batchSize: number; threads: number; rounds?: number; window: { maxLength: number; stride: number }; lengthSorted: true };
  paths: PathResult[];
  /** The checks the pipeline promises, each with its figure. */
  checks: Array<{ name: string; ok: boolean; detail: string }>;
  /** The fastest path and its speed-up over each other one. */
  fastest: { path: string; speedup: Record<string, number> };
}
