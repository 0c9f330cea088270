import { describe, expect, it } from 'vitest';
import type { Entity } from '@finer-lens/core/ner/types.ts';
import { applyThresholds } from '@finer-lens/core/ner/thresholds.ts';
import { toEntities, type WordPrediction } from '@finer-lens/core/ner/tagger.ts';
import { checkEntity, keptPredictions, type Verifier } from '@finer-lens/core/ner/verifier.ts';
import { contextNote, failsContextCheck, MAX_OFFSET, offsetThresholds, passes, shownEntities } from './confidence.ts';

const entity = (start: number, label: string, score: number, context?: boolean): Entity => ({
  start, end: start + 1, text: 'x', label, score, value: null, unit: null, sentence: '',
  ...(context === undefined ? {} : { context: { probability: context ? 0.9 : 0.1, passes: context } }),
});

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
    const r = shownEntities(entities, { Face: 0.95, Rate: 0.81 }, new Set(), true);
    expect(r.shown.map((e) => e.start)).toEqual([4, 6]);
    expect(r.belowThreshold).toBe(2);
    expect(r.failedCheck).toBe(0);
    expect(r.ofHiddenTypes).toBe(0);
    expect(shownEntities(entities, undefined, new Set(), true).shown).toEqual(entities);
  });
  it('leaves out hidden types, counted apart from those below the threshold', () => {
    const r = shownEntities(entities, { Rate: 0.6 }, new Set(['Rate', 'Spread']), true);
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
      const shown = shownEntities(all, thresholds, new Set(), true).shown.map((e) => `${e.start}-${e.end} ${e.label} ${e.score}`);
      expect(shown, JSON.stringify({ words, thresholds })).toEqual(expected);
    }
  });
  it('passes compares with >=, as applyThresholds keeps an entity at its threshold', () => {
    expect(passes(entity(0, 'Face', 0.5), { Face: 0.5 })).toBe(true);
    expect(passes(entity(0, 'Face', 0.49), { Face: 0.5 })).toBe(false);
  });
});

describe('contextNote', () => {
  it('says why the check fails an entity: its rule, or its probability; nothing when it passes or did not judge', () => {
    const e = entity(0, 'Spread', 0.9);
    expect(contextNote(e)).toBe('');
    expect(contextNote({ ...e, context: { probability: 0.9, passes: true } })).toBe('');
    expect(contextNote({ ...e, context: { probability: 0.123, passes: false } })).toBe('the context check: 0.12 in this context');
    expect(contextNote({ ...e, context: { probability: 0.95, passes: false, ruledOut: 'ratio' } })).toBe('the context check: a covenant ratio');
    expect(contextNote({ ...e, context: { probability: 0.95, passes: false, ruledOut: 'floor' } })).toBe('the context check: a rate floor');
  });
});

describe('shownEntities with the context check', () => {
  it('hides an entity that fails the check and counts it apart; with the check off it is shown', () => {
    const entities = [entity(0, 'Face', 0.9, true), entity(2, 'Rate', 0.9, false), entity(4, 'Rate', 0.9)];
    const on = shownEntities(entities, { Face: 0.5, Rate: 0.5 }, new Set(), true);
    expect(on.shown.map((e) => e.start)).toEqual([0, 4]);
    expect(on).toMatchObject({ belowThreshold: 0, failedCheck: 1, ofHiddenTypes: 0 });
    const off = shownEntities(entities, { Face: 0.5, Rate: 0.5 }, new Set(), false);
    expect(off.shown.map((e) => e.start)).toEqual([0, 2, 4]);
    expect(off).toMatchObject({ belowThreshold: 0, failedCheck: 0, ofHiddenTypes: 0 });
  });
  it('counts an entity below its threshold as below the threshold, not as failing the check; a failing one of a hidden type as failing the check', () => {
    const entities = [entity(0, 'Rate', 0.4, false), entity(2, 'Rate', 0.9, false), entity(4, 'Face', 0.9, false), entity(6, 'Face', 0.9, true)];
    const r = shownEntities(entities, { Rate: 0.5 }, new Set(['Face']), true);
    expect(r.shown).toEqual([]);
    expect(r).toMatchObject({ belowThreshold: 1, failedCheck: 2, ofHiddenTypes: 1 });
    // The check off: the refused entities above the threshold go to the next reason, their type hidden, or are shown.
    expect(shownEntities(entities, { Rate: 0.5 }, new Set(['Face']), false)).toMatchObject({ belowThreshold: 1, failedCheck: 0, ofHiddenTypes: 2 });
  });
  it('always shows an entity without a verdict (a model folder without verifier.json), check on or off', () => {
    const entities = [entity(0, 'Face', 0.9), entity(2, 'Rate', 0.3)];
    expect(failsContextCheck(entities[0]!)).toBe(false);
    for (const on of [true, false]) {
      const r = shownEntities(entities, undefined, new Set(), on);
      expect(r.shown).toEqual(entities);
      expect(r.failedCheck).toBe(0);
    }
  });
  it('with the check on, is what predict() keeps: the thresholds, then the check (keptPredictions, then toEntities)', () => {
    const next = random(23);
    const vocabulary = ['notes', 'interest', 'margin', 'page', 'gross', 'bear', 'the', 'was', 'of', '5.25', '$', '500', '%'];
    const labels = ['O', 'O', 'B-Face', 'I-Face', 'B-Rate', 'I-Rate'];
    let refused = 0;
    for (let run = 0; run < 300; run++) {
      const weights = new Map<string, number>([['b', next() * 2 - 1]]);
      for (const t of ['0', '1']) for (const w of vocabulary) weights.set(`${t}|n:${w}`, next() * 4 - 2);
      const verifier: Verifier = { types: ['Face', 'Rate'], weights, cut: 0.3 + next() * 0.4, confident: 0.8 + next() * 0.2, rules: [] };
      const n = 1 + Math.floor(next() * 14);
      const words = Array.from({ length: n }, () => vocabulary[Math.floor(next() * vocabulary.length)]!);
      const predictions: WordPrediction[] = words.map(() => ({ label: labels[Math.floor(next() * labels.length)]!, score: 0.2 + Math.round(next() * 80) / 100 }));
      const thresholds = { Face: Math.round(next() * 100) / 100, Rate: Math.round(next() * 100) / 100 };
      // As tagText marks them: every entity, with the check's verdict.
      const all: Entity[] = toEntities(predictions).map((e) => ({
        start: e.startWord, end: e.endWord, text: '', label: e.label, score: e.score, value: null, unit: null, sentence: '',
        context: checkEntity(verifier, words, e.startWord, e.label, e.score),
      }));
      const r = shownEntities(all, thresholds, new Set(), true);
      refused += r.failedCheck;
      const expected = toEntities(keptPredictions(words, predictions, thresholds, verifier)).map((e) => `${e.startWord}-${e.endWord} ${e.label}`);
      expect(r.shown.map((e) => `${e.start}-${e.end} ${e.label}`), JSON.stringify({ words, predictions, thresholds })).toEqual(expected);
    }
    expect(refused, 'the check refuses some entities in these cases').toBeGreaterThan(20);
  });
});
