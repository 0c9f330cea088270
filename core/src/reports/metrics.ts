/**
 * The schemas of the entity metrics as the reports hold them (eval.json,
 * thresholds.json): what core/src/ner/metrics.ts computes, checked field by
 * field. Their types equal metrics.ts's (schema.test.ts checks it).
 */
import * as v from 'valibot';
import { below, count, list, num, object, recordOf, strings } from './schema.ts';

export const scores = object(
  { precision: num, recall: num, f1: num, tp: count, fp: count, fn: count, support: count },
  '{precision, recall, f1, tp, fp, fn, support}',
);

export const macroScores = object({ precision: num, recall: num, f1: num }, '{precision, recall, f1}');

/** A square matrix of counts with a label per row. */
export const confusion = v.pipe(
  object({ labels: strings, matrix: list(list(count, 'counts'), 'rows') }, '{labels, matrix}'),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { labels, matrix } = dataset.value;
    const short = matrix.findIndex((row) => row.length !== labels.length);
    if (short >= 0) addIssue({ message: `expected ${labels.length} counts, one per label`, path: below('matrix', short) });
    else if (matrix.length !== labels.length) {
      addIssue({ message: `${matrix.length} rows for ${labels.length} labels; expected one row per label`, path: below('matrix') });
    }
  }),
);

/** Scores per entity type. */
export const scoresPerType = recordOf(scores, 'an object of scores per type');

/** Every type of `types` has its scores in `perType`. */
/* @__NO_SIDE_EFFECTS__ */
function everyTypeScored<M extends { types: string[]; perType: Record<string, unknown> }>() {
  return v.rawCheck<M>(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const missing = dataset.value.types.find((t) => !(t in dataset.value.perType));
    if (missing !== undefined) addIssue({ message: 'expected {precision, recall, f1, tp, fp, fn, support}', path: below('perType', missing) });
  });
}

const EXPECTED_METRICS = 'an object with types, perType, micro, macro, confusion';

/** Dense metrics (seqeval's entity scores): per-type scores (one for each of `types`), micro and macro, the confusion matrix, word accuracy and words compared. */
const dense = object(
  { types: strings, perType: scoresPerType, micro: scores, macro: macroScores, confusion, tokenAccuracy: num, tokens: count },
  EXPECTED_METRICS,
);
export const entityMetrics = v.pipe(dense, everyTypeScored<v.InferOutput<typeof dense>>());

/** Sparse metrics (FiNER-139's sample): as dense ones, with the labelled words scored instead of word accuracy. */
const sparse = object({ types: strings, perType: scoresPerType, micro: scores, macro: macroScores, confusion, labelledTokens: count }, EXPECTED_METRICS);
export const sparseMetrics = v.pipe(sparse, everyTypeScored<v.InferOutput<typeof sparse>>());

/** Scores pooled and per type (thresholds.json's before and after). */
export const pooledScores = object({ micro: scores, perType: scoresPerType }, '{micro, perType}');
