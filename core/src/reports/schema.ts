/**
 * The building blocks of the JSON report schemas (valibot), each with the
 * message it gives, and the one formatter from a schema's first issue to the
 * line the app and the CLI print: `field: expected X, found Y`, the caller
 * prefixing the file. Fields read as in JavaScript: `datasets[0].metrics.micro`.
 */
import * as v from 'valibot';

// The schema builders below are marked free of side effects, so that a bundle
// drops the schemas a module defines but the importer does not use.

/** A value as a message shows it: its JSON ("nothing" when the field is absent), or "an object", "an array" when that JSON is long. */
export function found(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) return 'nothing';
  if (typeof value === 'object' && value !== null && json.length > 40) return Array.isArray(value) ? 'an array' : 'an object';
  return json;
}

/** `expected <what>, found <the value>`. */
/* @__NO_SIDE_EFFECTS__ */
export function expecting(what: string) {
  return (issue: v.BaseIssue<unknown>) => `expected ${what}, found ${found(issue.input)}`;
}

/** A finite number (may be negative: a loss, a logit difference). */
export const num = v.pipe(v.number(expecting('a number')), v.finite(expecting('a number')));

/** A finite number >= 0. */
const isCount = expecting('a count (a number >= 0)');
export const count = v.pipe(v.number(isCount), v.finite(isCount), v.minValue(0, isCount));

/** From 0 to 1: a threshold, an entity's score. */
const isScore = expecting('a score from 0 to 1');
export const score = v.pipe(v.number(isScore), v.minValue(0, isScore), v.maxValue(1, isScore));

export const str = v.string(expecting('a string'));

/** A JSON object (not an array, not null). */
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * valibot's object of these fields (others are dropped): `expected
 * <expected>` when it is not one; an absent field says what its own schema
 * expects. Takes arrays for objects: see `object`.
 */
/* @__NO_SIDE_EFFECTS__ */
export function fields<const E extends v.ObjectEntries>(entries: E, expected: string) {
  return v.object(entries, (issue) => {
    // valibot reports an absent field as the object's issue, with the field's key last in the path
    const key = issue.path?.at(-1)?.key;
    return (typeof key === 'string' && key in entries && v.safeParse(entries[key]!, undefined).issues?.[0].message) || `expected ${expected}`;
  });
}

/** A JSON object (not an array) of these fields: see `fields`. */
/* @__NO_SIDE_EFFECTS__ */
export function object<const E extends v.ObjectEntries>(entries: E, expected: string) {
  return v.pipe(v.custom<Record<string, unknown>>(isRecord, `expected ${expected}`), fields(entries, expected));
}

/** An object of any keys with values of one schema: `expected <expected>` when it is not an object. */
/* @__NO_SIDE_EFFECTS__ */
export function recordOf<S extends v.GenericSchema>(value: S, expected: string) {
  return v.pipe(v.custom<Record<string, unknown>>(isRecord, `expected ${expected}`), v.record(v.string(), value));
}

/** An array: `expected an array of <items>` when it is not one; an item names its index. */
/* @__NO_SIDE_EFFECTS__ */
export function list<S extends v.GenericSchema>(item: S, items: string) {
  return v.array(item, `expected an array of ${items}`);
}

export const strings = list(str, 'strings');
export const numbers = list(num, 'numbers');

/** A field that may be absent or null: both read as absent (undefined). */
/* @__NO_SIDE_EFFECTS__ */
export function absentOrNull<S extends v.GenericSchema>(schema: S) {
  return v.optional(v.pipe(v.nullable(schema), v.transform((x) => x ?? undefined)));
}

/** A path for an issue that a check adds below the value it checks (`rawCheck`'s addIssue). */
export function below(...keys: (string | number)[]): [v.IssuePathItem, ...v.IssuePathItem[]] {
  return keys.map((key) => ({ type: 'unknown', origin: 'value', input: undefined, key, value: undefined })) as [v.IssuePathItem, ...v.IssuePathItem[]];
}

/** The issue's field as in JavaScript (`paths[1].speed.seconds`); '' at the top level. */
export function fieldOf(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? []).map((p) => (typeof p.key === 'number' ? `[${p.key}]` : `.${String(p.key)}`)).join('').replace(/^\./, '');
}

/** The first issue of `json` against `schema`, or its output. */
export function firstIssue<S extends v.GenericSchema>(schema: S, json: unknown): { output: v.InferOutput<S> } | { issue: v.BaseIssue<unknown> } {
  const result = v.safeParse(schema, json, { abortEarly: true });
  return result.success ? { output: result.output } : { issue: result.issues[0] };
}

/** `json` checked against `schema`; else `fail` gets one line: `field: message`, or the message alone at the top level. */
export function check<S extends v.GenericSchema>(schema: S, json: unknown, fail: (line: string) => Error): v.InferOutput<S> {
  const r = firstIssue(schema, json);
  if ('output' in r) return r.output;
  const field = fieldOf(r.issue);
  throw fail(field === '' ? r.issue.message : `${field}: ${r.issue.message}`);
}
