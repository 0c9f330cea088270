import { describe, expect, expectTypeOf, it } from 'vitest';
import type { EntityMetrics, SparseMetrics } from '../ner/metrics.ts';
import type { DenseEvaluation, SparseEvaluation } from './eval.ts';
import { absentOrNull, check, count, found, list, num, object, recordOf, str } from './schema.ts';

const FILE = 'reports/x.json';
const shape = object(
  { name: str, size: count, parts: list(object({ weight: num }, '{weight}'), 'parts'), scores: recordOf(num, 'an object of scores'), note: absentOrNull(str) },
  '{name, size, parts, scores}',
);
const read = (json: unknown) => check(shape, json, (line) => new Error(`${FILE}: ${line}`));
const GOOD = { name: 'a', size: 3, parts: [{ weight: 0.5 }, { weight: -1 }], scores: { x: 1 } };

describe('the report schemas\' one-line messages', () => {
  it('reads a good value, dropping fields the schema does not name', () => {
    expect(read({ ...GOOD, extra: true })).toEqual(GOOD);
  });

  it('names the file, the field as in JavaScript, what was expected and what was found', () => {
    expect(() => read({ ...GOOD, size: -2 })).toThrow(`${FILE}: size: expected a count (a number >= 0), found -2`);
    expect(() => read({ ...GOOD, parts: [{ weight: 1 }, { weight: 'heavy' }] })).toThrow(`${FILE}: parts[1].weight: expected a number, found "heavy"`);
    expect(() => read({ ...GOOD, scores: { x: 1, y: null } })).toThrow(`${FILE}: scores.y: expected a number, found null`);
    expect(() => read({ ...GOOD, parts: {} })).toThrow(`${FILE}: parts: expected an array of parts`);
  });

  it("says what an absent field's own schema expects, found nothing", () => {
    const { size: _, ...noSize } = GOOD;
    expect(() => read(noSize)).toThrow(`${FILE}: size: expected a count (a number >= 0), found nothing`);
    expect(() => read({ ...GOOD, parts: [{}] })).toThrow(`${FILE}: parts[0].weight: expected a number, found nothing`);
    const { scores: __, ...noScores } = GOOD;
    expect(() => read(noScores)).toThrow(`${FILE}: scores: expected an object of scores`);
  });

  it('takes no array or null for an object, at the top level or below', () => {
    expect(() => read([])).toThrow(new Error(`${FILE}: expected {name, size, parts, scores}`));
    expect(() => read(null)).toThrow(new Error(`${FILE}: expected {name, size, parts, scores}`));
    expect(() => read({ ...GOOD, scores: [1] })).toThrow(`${FILE}: scores: expected an object of scores`);
    expect(() => read({ ...GOOD, parts: [[0.5]] })).toThrow(`${FILE}: parts[0]: expected {weight}`);
  });

  it('reads an optional field that is null as absent', () => {
    expect(read({ ...GOOD, note: null }).note).toBeUndefined();
    expect(read({ ...GOOD, note: 'n' }).note).toBe('n');
    expect(() => read({ ...GOOD, note: 4 })).toThrow(`${FILE}: note: expected a string, found 4`);
  });

  it('shows a long object or array by its kind, not its JSON', () => {
    expect(found(undefined)).toBe('nothing');
    expect(found({ a: 1 })).toBe('{"a":1}');
    expect(found({ description: 'a field long enough to fill a line' })).toBe('an object');
    expect(found(Array.from({ length: 30 }, (_, i) => i))).toBe('an array');
    expect(found('x'.repeat(50))).toBe(JSON.stringify('x'.repeat(50)));
  });
});

describe('the metrics of eval.json', () => {
  it('have the types core/src/ner/metrics.ts computes', () => {
    expectTypeOf<DenseEvaluation['metrics']>().toEqualTypeOf<EntityMetrics>();
    expectTypeOf<SparseEvaluation['metrics']>().toEqualTypeOf<SparseMetrics>();
  });
});
