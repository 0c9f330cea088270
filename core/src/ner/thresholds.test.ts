import { describe, expect, it } from 'vitest';
import { applyThresholds, fitThresholds } from './thresholds.ts';
import type { WordPrediction } from './tagger.ts';

const p = (label: string, score: number): WordPrediction => ({ label, score });

describe('applyThresholds', () => {
  it('turns an entity below its type\'s threshold into O, by the mean score of its words, and leaves other types alone', () => {
    const preds = [p('B-Face', 0.9), p('I-Face', 0.5), p('O', 0.99), p('B-Rate', 0.4), p('B-Face', 0.6)];
    expect(applyThresholds(preds, { Face: 0.65 }).map((w) => w.label)).toEqual(['B-Face', 'I-Face', 'O', 'B-Rate', 'O']);
    expect(applyThresholds(preds, { Face: 0.75, Rate: 0.3 }).map((w) => w.label)).toEqual(['O', 'O', 'O', 'B-Rate', 'O']);
    expect(applyThresholds(preds, { Face: 0.75 })[0]!.score).toBeCloseTo(0.1);
    expect(applyThresholds(preds, undefined)).toEqual(preds);
    expect(preds[0]!.label).toBe('B-Face'); // the input is not changed
  });
});

describe('fitThresholds', () => {
  it('picks per type the lowest threshold of best F1', () => {
    // Face: true entities score 0.9 and 0.8, false alarms 0.5 and 0.7 -> 0.71 keeps both true ones only
    const gold = [['B-Face', 'O', 'O', 'B-Rate'], ['O', 'B-Face', 'O', 'O']];
    const preds = [
      [p('B-Face', 0.9), p('B-Face', 0.5), p('O', 0.9), p('B-Rate', 0.35)],
      [p('B-Face', 0.7), p('B-Face', 0.8), p('O', 0.9), p('O', 0.9)],
    ];
    const t = fitThresholds(gold, preds, ['Face', 'Rate']);
    expect(t).toEqual({ Face: 0.71, Rate: 0 });
    // a type whose every prediction is wrong gets the threshold that removes them all
    expect(fitThresholds([['O']], [[p('B-Rate', 0.95)]], ['Rate'])).toEqual({ Rate: 0 });
    expect(fitThresholds([['B-Rate', 'O']], [[p('B-Rate', 0.95), p('B-Rate', 0.6)]], ['Rate'])).toEqual({ Rate: 0.61 });
  });
});

describe('fitThresholds with a guard', () => {
  it('only takes thresholds that keep each type\'s F1 on the guard set within maxLoss', () => {
    // on the fitting set a high threshold pays (the false alarm scores 0.7, the true entity 0.9) ...
    const gold = [['B-Face', 'O']];
    const preds = [[p('B-Face', 0.9), p('B-Face', 0.7)]];
    expect(fitThresholds(gold, preds, ['Face'])).toEqual({ Face: 0.71 });
    // ... but on the guard set true entities score 0.6 and 0.8: a threshold above 0.6 costs F1 there
    const guard = { gold: [['B-Face', 'B-Face']], predictions: [[p('B-Face', 0.6), p('B-Face', 0.8)]], maxLoss: 0.01 };
    expect(fitThresholds(gold, preds, ['Face'], undefined, guard)).toEqual({ Face: 0 });
    expect(fitThresholds(gold, preds, ['Face'], undefined, { ...guard, maxLoss: 0.5 })).toEqual({ Face: 0.71 });
  });
});
