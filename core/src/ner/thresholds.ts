/**
 * A score threshold per entity type: an entity (a span of predicted labels)
 * whose score (the mean probability of its words' labels, as `toEntities`
 * gives it) is below its type's threshold becomes O. Fitted per type on a
 * densely labelled set (the whole-document dev set) to the threshold of best
 * F1 of that type, stored in the model folder as `thresholds.json`, applied
 * by `finer evaluate`, `finer predict` and both backends of the app.
 *
 * No DOM and no Node APIs.
 */
import { InputError } from './errors.ts';
import { isOutsideLabel, labelType } from './labels.ts';
import { scoreSequences } from './metrics.ts';
import { THRESHOLDS_SCHEMA, thresholdsFileSchema } from '../reports/thresholds.ts';
import { firstIssue, found } from '../reports/schema.ts';
import { entities } from './spans.ts';
import type { WordPrediction } from './tagger.ts';

export const THRESHOLDS_FILE = 'thresholds.json';
export { THRESHOLDS_SCHEMA, type ThresholdsReport } from '../reports/thresholds.ts';

/** Minimum entity score per type (B-/I- stripped); a type not named keeps every entity. */
export type TypeThresholds = Record<string, number>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The thresholds of a parsed thresholds.json (its schema and thresholds:
 * core/src/reports/thresholds.ts), checked against the model's labels;
 * `where` names the file in the message of the error `fail` makes (an
 * InputError by default: the CLI prints it on one line, the app shows it).
 */
export function thresholdsOfJson(json: unknown, labels: readonly string[], where: string, fail: (message: string) => Error = (m) => new InputError(m)): TypeThresholds {
  if (isRecord(json) && json.schema !== THRESHOLDS_SCHEMA) {
    throw fail(`${where}: "schema" is ${JSON.stringify(json.schema) ?? 'missing'}; expected ${THRESHOLDS_SCHEMA} (rewrite it with this version of \`finer thresholds\`)`);
  }
  const read = firstIssue(thresholdsFileSchema, json);
  if ('issue' in read) {
    // thresholds.json's own wording, which the app and the CLI print: `"thresholds".<type> = <value>; expected ...`
    const [field, type] = (read.issue.path ?? []).map((p) => p.key);
    if (field === undefined) throw fail(`${where}: ${read.issue.message}`);
    if (type === undefined) throw fail(`${where}: no "thresholds" object; ${read.issue.message}`);
    throw fail(`${where}: "thresholds".${String(type)} = ${found(read.issue.input)}; expected a score from 0 to 1`);
  }
  const types = [...new Set(labels.filter((l) => !isOutsideLabel(l)).map(labelType))];
  const stranger = Object.keys(read.output.thresholds).find((type) => !types.includes(type));
  if (stranger !== undefined) throw fail(`${where}: "thresholds" names ${stranger}, not an entity type of the model (${types.join(', ')})`);
  return read.output.thresholds;
}

/**
 * Whether an entity of `type` with this score (the mean of its words' scores)
 * is kept: at or above its type's threshold, or its type has none. The one
 * cut: `applyThresholds` here, the app's confidence control on entities.
 */
export function passesThreshold(type: string, score: number, thresholds: TypeThresholds | undefined): boolean {
  const t = thresholds?.[type];
  return t === undefined || score >= t;
}

/** The predictions with every entity below its type's threshold turned to O (score 1 - its score, the O side). */
export function applyThresholds(predictions: readonly WordPrediction[], thresholds: TypeThresholds | undefined): WordPrediction[] {
  const out = predictions.slice();
  if (!thresholds) return out;
  for (const span of entities(predictions.map((p) => p.label))) {
    let sum = 0;
    for (let i = span.start; i < span.end; i++) sum += predictions[i]!.score;
    if (passesThreshold(span.type, sum / (span.end - span.start), thresholds)) continue;
    for (let i = span.start; i < span.end; i++) out[i] = { label: 'O', score: 1 - predictions[i]!.score };
  }
  return out;
}

/** Candidate thresholds: 0, then 0.30 to 0.99 in steps of 0.01 (argmax scores of 5 labels are above 0.2). */
export const THRESHOLD_GRID: readonly number[] = [0, ...Array.from({ length: 70 }, (_, i) => Math.round((0.3 + i * 0.01) * 100) / 100)];

/** Gold and predictions of a set the thresholds must not hurt (see `fitThresholds`). */
export interface ThresholdGuard {
  gold: readonly (readonly string[])[];
  predictions: readonly (readonly WordPrediction[])[];
  /** Largest drop of a type's F1 on the guard set that a threshold may cost (e.g. 0.01). */
  maxLoss: number;
}

/** F1 of `type` with `t` applied to that type only. */
function typeF1(gold: readonly (readonly string[])[], predictions: readonly (readonly WordPrediction[])[], types: readonly string[], type: string, t: number): number {
  const pred = predictions.map((p) => applyThresholds(p, { [type]: t }).map((w) => w.label));
  return scoreSequences(gold, pred, types).perType[type]?.f1 ?? 0;
}

/**
 * Per type, the lowest threshold of the grid with the best F1 of that type on
 * the gold (a type's threshold changes only its own entities, so each type is
 * fitted alone). With a guard, only thresholds that keep the type's F1 on
 * the guard set within `maxLoss` of its F1 without threshold are candidates
 * (the whole-document dev set is small; the guard, e.g. the validation split's
 * tagged sentences, keeps the thresholds from trading away the recall there).
 * Types with no gold and no prediction get 0.
 */
export function fitThresholds(
  gold: readonly (readonly string[])[],
  predictions: readonly (readonly WordPrediction[])[],
  types: readonly string[],
  grid: readonly number[] = THRESHOLD_GRID,
  guard?: ThresholdGuard,
): TypeThresholds {
  const fitted: TypeThresholds = {};
  for (const type of types) {
    const floor = guard ? typeF1(guard.gold, guard.predictions, types, type, 0) - guard.maxLoss : -Infinity;
    let bestT = 0;
    let bestF1 = -1;
    for (const t of grid) {
      if (guard && t > 0 && typeF1(guard.gold, guard.predictions, types, type, t) < floor - 1e-12) continue;
      const f1 = typeF1(gold, predictions, types, type, t);
      if (f1 > bestF1 + 1e-12) {
        bestF1 = f1;
        bestT = t;
      }
    }
    fitted[type] = bestT;
  }
  return fitted;
}
