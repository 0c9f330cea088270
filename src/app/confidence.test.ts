import { describe, expect, it } from 'vitest';
import type { Entity } from '@finer-lens/core/ner/types.ts';
import { applyThresholds } from '@finer-lens/core/ner/thresholds.ts';
import { toEntities, type WordPrediction } from '@finer-lens/core/ner/tagger.ts';
import { MAX_OFFSET, offsetThresholds, passes, shownEntities } from './confidence.ts';

const entity = (start: number, label: string, score: number): Entity => ({ start, end: start + 1, text: 'x', label, score, value: null, unit: null, sentence: '' });

/** A small seeded generator (mulberry32): the property below runs on the same cases every time. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('offsetThresholds', () => {
  const base = { Rate: 0.81, Face: 0.41 };
  it('is the model\'s own thresholds at offset 0, the same object', () => {
    expect(offsetThresholds(base, ['Rate', 'Face', 'Spread'], 0)).toBe(base);
    expect(offsetThresholds(undefined, ['Rate'], 0)).toBeUndefined();
  });
  it('moves every type by the offset, clamped to 0..1; a type without a threshold starts at 0', () => {
    expect(offsetThresholds(base, ['Rate', 'Face', 'Spread'], 0.1)).toEqual({ Rate: 0.91, Face: 0.51, Spread: 0.1 });
    expect(offsetThresholds(base, ['Rate', 'Face', 'Spread'], -0.5)).toEqual({ Rate: 0.31, Face: 0, Spread: 0 });
    expect(offsetThresholds(base, ['Rate'], MAX_OFFSET)).toEqual({ Rate: 1 });
    expect(offsetThresholds(undefined, ['Rate'], 0.25)).toEqual({ Rate: 0.25 });
  });
});

describe('shownEntities', () => {
  const entities = [entity(0, 'Face', 0.9), entity(2, 'Rate', 0.5), entity(4, 'Rate', 0.81), entity(6, 'Spread', 0.2)];
  it('keeps an entity at or above its type\'s threshold, every entity of a type without one, and counts what it leaves out', () => {
    const r = shownEntities(entities, { Face: 0.95, Rate: 0.81 }, new Set());
    expect(r.shown.map((e) => e.start)).toEqual([4, 6]);
    expect(r.belowThreshold).toBe(2);
    expect(r.ofHiddenTypes).toBe(0);
    expect(shownEntities(entities, undefined, new Set()).shown).toEqual(entities);
  });
  it('leaves out hidden types, counted apart from those below the threshold', () => {
    const r = shownEntities(entities, { Rate: 0.6 }, new Set(['Rate', 'Spread']));
    expect(r.shown.map((e) => e.start)).toEqual([0]);
    expect(r.belowThreshold).toBe(1);
    expect(r.ofHiddenTypes).toBe(2);
  });
  it('is exactly what the backends gave with the thresholds applied to the words (applyThresholds, then toEntities)', () => {
    const next = random(19);
    const labels = ['O', 'O', 'O-Face', 'B-Face', 'I-Face', 'B-Rate', 'I-Rate', 'B-Spread'];
    for (let run = 0; run < 500; run++) {
      const words: WordPrediction[] = Array.from({ length: 1 + Math.floor(next() * 12) }, () => ({
        label: labels[Math.floor(next() * labels.length)]!,
        score: 0.2 + Math.round(next() * 80) / 100, // on the 0.01 grid, so scores equal to a threshold occur
      }));
      const thresholds = { Face: Math.round(next() * 100) / 100, Rate: Math.round(next() * 100) / 100 };
      const all = toEntities(words).map((e) => ({ start: e.startWord, end: e.endWord, text: '', label: e.label, score: e.score, value: null, unit: null, sentence: '' }));
      const expected = toEntities(applyThresholds(words, thresholds)).map((e) => `${e.startWord}-${e.endWord} ${e.label} ${e.score}`);
      const shown = shownEntities(all, thresholds, new Set()).shown.map((e) => `${e.start}-${e.end} ${e.label} ${e.score}`);
      expect(shown, JSON.stringify({ words, thresholds })).toEqual(expected);
    }
  });
  it('passes compares with >=, as applyThresholds keeps an entity at its threshold', () => {
    expect(passes(entity(0, 'Face', 0.5), { Face: 0.5 })).toBe(true);
    expect(passes(entity(0, 'Face', 0.49), { Face: 0.5 })).toBe(false);
  });
});
