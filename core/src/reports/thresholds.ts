/**
 * The schema of a model folder's `thresholds.json`: written by
 * `finer thresholds` (training/src/eval/thresholds.ts), read by
 * `finer evaluate`, `finer predict` and both backends of the app
 * (core/src/ner/thresholds.ts's thresholdsOfJson, which needs only
 * `thresholdsFileSchema`: the schema and the thresholds).
 */
import * as v from 'valibot';
import { pooledScores, scores, scoresPerType } from './metrics.ts';
import { count, num, object, recordOf, score, str } from './schema.ts';

export const THRESHOLDS_SCHEMA = 1;

/** A minimum entity score per type (B-/I- stripped); a type not named keeps every entity. */
const thresholds = recordOf(score, '{"<entity type>": <score 0..1>}');

/** Scores on held-out groups (filings), each scored by what was fitted on the others, pooled: the honest figure of an in-sample fit. */
export const crossValidatedScores = object({ groups: count, micro: scores, perType: scoresPerType }, '{groups, micro, perType}');

/** A set a fit must not hurt, by how much its F1 may fall, and its scores without and with the fit. */
export const guardScores = object({ source: str, maxLoss: num, before: pooledScores, after: pooledScores }, '{source, maxLoss, before, after}');

/** What the backends read. */
export const thresholdsFileSchema = object({ schema: v.literal(THRESHOLDS_SCHEMA), thresholds }, 'a JSON object with "thresholds"');

export const thresholdsReportSchema = object(
  {
    schema: v.literal(THRESHOLDS_SCHEMA),
    thresholds,
    // what they were fitted on, e.g. `training/devset/whole-doc/whole-doc.jsonl`
    fittedOn: str,
    // which logits: checkpoint, onnx or int8
    backend: str,
    sentences: count,
    // entity scores on the fitting set without and with the thresholds
    before: pooledScores,
    after: pooledScores,
    /**
     * `after` is in-sample (fitted and scored on the same set); this is the
     * honest figure: each group (filing) scored with thresholds fitted on the
     * other groups, pooled. Absent with fewer than two groups.
     */
    crossValidated: v.optional(crossValidatedScores),
    // the set they must not hurt, and by how much a type's F1 there may fall (`--guard`, `--max-loss`)
    guard: v.optional(guardScores),
  },
  'a JSON object with "thresholds"',
);

/** `thresholds.json` of a model folder. */
export type ThresholdsReport = v.InferOutput<typeof thresholdsReportSchema>;
