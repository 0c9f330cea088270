import { describe, expect, it } from 'vitest';
import type { Entity } from '@finer-lens/core/ner/types.ts';
import { compareEntities } from './agreement.ts';

const e = (start: number, end: number, label = 'A', score = 0.9): Entity => ({ start, end, text: 'x'.repeat(end - start), label, score, value: null, unit: null, sentence: '' });

describe('compareEntities', () => {
  it('finds identical lists identical, whatever the scores', () => {
    const r = compareEntities([e(0, 3), e(10, 12, 'B', 0.5)], [e(0, 3, 'A', 0.8), e(10, 12, 'B', 0.55)]);
    expect(r.identical).toBe(true);
    expect(r.same).toBe(2);
    expect(r.differences).toEqual([]);
    expect(r.maxScoreDiff).toBeCloseTo(0.1);
  });

  it('reports an entity only one side found, by side', () => {
    const r = compareEntities([e(0, 3), e(20, 22)], [e(0, 3), e(30, 31)]);
    expect(r.identical).toBe(false);
    expect(r.same).toBe(1);
    expect(r.differences.map((d) => [d.kind, d.start, d.end])).toEqual([
      ['only-a', 20, 22],
      ['only-b', 30, 31],
    ]);
  });

  it('tells a type difference on the same characters from overlapping spans', () => {
    const r = compareEntities([e(0, 3, 'A'), e(10, 15, 'A')], [e(0, 3, 'B'), e(12, 18, 'A')]);
    expect(r.differences.map((d) => [d.kind, d.start, d.end, d.a.length, d.b.length])).toEqual([
      ['type', 0, 3, 1, 1],
      ['span', 10, 18, 1, 1],
    ]);
  });

  it('agrees on two empty lists', () => {
    expect(compareEntities([], [])).toEqual({ identical: true, same: 0, countA: 0, countB: 0, differences: [], maxScoreDiff: 0 });
  });
});
