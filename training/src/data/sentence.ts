/**
 * One FiNER sentence, `{"id", "tokens", "ner_tags"}`, and the check every
 * reader applies to it, whatever the file format.
 */
import { FinerError } from '../util/errors.ts';

export { SPLITS, type SplitName } from '@finer-lens/core/ner/splits.ts';

/**
 * A sentence: its words and one label id per word. Extra fields a builder
 * attached (`source`, `start`, `end`, ...) travel with it untouched.
 */
export interface FinerSentence {
  id: string;
  tokens: string[];
  ner_tags: number[];
  [extra: string]: unknown;
}

/** Builds the error for the record being checked, e.g. `atLine(file, line, msg)`. */
export type ErrorAt = (message: string) => FinerError;

/**
 * Check a decoded record and return it as a sentence. `ner_tags` may hold
 * bigints (parquet int64); they become numbers. Label ids must lie in
 * 0..labelCount-1.
 */
export function toSentence(record: unknown, labelCount: number, at: ErrorAt): FinerSentence {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    throw at('expected an object {"id", "tokens", "ner_tags"}');
  }
  const row = record as Record<string, unknown>;
  const { id, tokens } = row;
  // a columnar reader may hand over a typed array (Int32Array, BigInt64Array)
  const tags = ArrayBuffer.isView(row.ner_tags) ? Array.from(row.ner_tags as unknown as ArrayLike<unknown>) : row.ner_tags;
  if (typeof id !== 'string' && !Number.isInteger(id) && typeof id !== 'bigint') {
    throw at(`field "id" = ${show(id)}; expected a string`);
  }
  if (!Array.isArray(tokens)) throw at(`field "tokens" = ${show(tokens)}; expected an array of strings`);
  for (let k = 0; k < tokens.length; k++) {
    if (typeof tokens[k] !== 'string') {
      throw at(`field "tokens"[${k}] = ${show(tokens[k])}; expected a string`);
    }
  }
  if (!Array.isArray(tags)) throw at(`field "ner_tags" = ${show(tags)}; expected an array of label ids`);
  if (tags.length !== tokens.length) {
    throw at(`field "ner_tags" has ${tags.length} label ids but "tokens" has ${tokens.length}; expected one label id per token`);
  }
  const nerTags = new Array<number>(tags.length);
  for (let k = 0; k < tags.length; k++) {
    const t = typeof tags[k] === 'bigint' ? Number(tags[k]) : tags[k];
    if (!Number.isInteger(t) || t < 0 || t >= labelCount) {
      throw at(`field "ner_tags"[${k}] = ${show(tags[k])}; expected a label id in 0..${labelCount - 1}`);
    }
    nerTags[k] = t;
  }
  const sentence: FinerSentence = { ...plainValues(row), id: String(id), tokens: tokens as string[], ner_tags: nerTags };
  return sentence;
}

/** Extra parquet columns may decode to bigints, which JSON cannot write. */
function plainValues(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'bigint' ? Number(v) : v;
  return out;
}

function show(value: unknown): string {
  const s = typeof value === 'bigint' ? `${value}` : JSON.stringify(value) ?? String(value);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
