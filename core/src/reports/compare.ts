/**
 * The schema of `compare.json`: written by `finer compare`
 * (training/src/compare/), read by the dashboard. The same data tagged by
 * every way the model runs: the trained checkpoint on the training engine,
 * the exported ONNX (fp32, int8) on onnxruntime-node, and the transformers.js
 * pipeline; agreement with the checkpoint, metrics and speed for each.
 */
import * as v from 'valibot';
import { count, expecting, list, num, numbers, object, recordOf, str } from './schema.ts';

export const COMPARE_SCHEMA = 1;

const speed = v.pipe(
  object(
    {
      seconds: num,
      // each timing round's seconds: came with the best-of-rounds timings (an older report has one round)
      rounds: v.optional(numbers),
      sentencesPerSecond: num,
      subTokensPerSecond: num,
    },
    '{seconds, sentencesPerSecond, subTokensPerSecond}',
  ),
  v.transform(({ seconds, rounds, sentencesPerSecond, subTokensPerSecond }) => ({ seconds, rounds: rounds ?? [seconds], sentencesPerSecond, subTokensPerSecond })),
);

const pathResult = object(
  {
    // checkpoint | onnx-fp32 | onnx-int8 | transformers.js
    path: str,
    description: v.fallback(v.string(), ''),
    // word predictions equal to the checkpoint's, and those that differ
    agreement: object({ words: count, same: count, different: count, sentencesDifferent: count }, '{words, same, different, sentencesDifferent}'),
    metrics: object(
      { microF1: num, precision: num, recall: num, perTypeF1: recordOf(num, 'an object of F1 per type') },
      '{microF1, precision, recall, perTypeF1}',
    ),
    // the best of `rounds` timings
    speed,
    // largest |logit - checkpoint logit| over every sub-token (paths that expose logits)
    maxAbsLogitDiff: v.optional(num),
    /**
     * onnx-int8 (reports since it was measured): word labels, and sentences
     * holding one, that change when each window is tagged alone (one per model
     * call) instead of in the batches of `settings.batchSize`. Dynamic
     * quantisation scales activations over the whole batch, so int8 labels
     * depend on the batch; fp32 and the checkpoint do not.
     */
    batchDependence: v.optional(object({ different: count, sentencesDifferent: count }, '{different, sentencesDifferent}')),
  },
  'a path result',
);

const WINDOW = object({ maxLength: count, stride: count }, '{maxLength, stride}');

export const compareReportSchema = object(
  {
    schema: v.literal(COMPARE_SCHEMA),
    model: str,
    date: str,
    data: object(
      { source: str, split: str, sentences: count, words: count, windows: count, subTokens: count },
      'the data compared on',
    ),
    settings: object(
      // rounds: 1 in a report from before best-of-rounds timings
      { batchSize: count, threads: count, rounds: v.optional(count, 1), window: WINDOW, lengthSorted: v.fallback(v.literal(true), true) },
      'the settings',
    ),
    paths: list(pathResult, 'path results'),
    // the checks the pipeline promises, each with its figure
    checks: list(object({ name: str, ok: v.boolean(expecting('true or false')), detail: v.fallback(v.string(), '') }, '{name, ok, detail}'), 'checks'),
    // the fastest path and its speed-up over each other one
    fastest: object({ path: str, speedup: recordOf(num, 'an object of speed-ups per path') }, '{path, speedup}'),
  },
  'a JSON object',
);

export type PathResult = v.InferOutput<typeof pathResult>;
export type CompareReport = v.InferOutput<typeof compareReportSchema>;
