import { describe, expect, it } from 'vitest';
import { applyVerifier, checkEntity, keptPredictions, sigmoid, verifierFeatures, verifierOfJson, wordShape, type Verifier } from './verifier.ts';

const RATE = 'DebtInstrumentInterestRateStatedPercentage';
const FACE = 'DebtInstrumentFaceAmount';
const SPREAD = 'DebtInstrumentBasisSpreadOnVariableRate1';
const LABELS = ['O', `B-${RATE}`, `B-${FACE}`];
const words = 'The notes bear interest at 5.25 % a year'.split(' ');

describe('verifierFeatures', () => {
  it('names the type, the score, the words by position and near, the shape and the sentence', () => {
    const f = verifierFeatures(words, 5, 0, 0.93);
    expect(f.get('b')).toBe(1);
    expect(f.get('0')).toBe(1);
    expect(f.get('0|sc')).toBe(0.93);
    expect(f.get('0|scb:9')).toBe(1);
    for (const name of ['0|-3:bear', '0|-2:interest', '0|-1:at', '0|1:%', '0|2:a', '0|3:year', '0|n:notes', '0|n:year', '0|shape:0.00', '0|debt:true', '0|nnum:0', '0|len:0']) {
      expect(f.get(name), name).toBe(1);
    }
    expect(f.has('0|n:%')).toBe(false); // not a word
    expect(f.has('0|n:5.25')).toBe(false); // the number itself
    expect([...f.keys()].filter((k) => k !== 'b').every((k) => k.startsWith('0'))).toBe(true);
  });

  it('marks the sentence edges and a sentence without debt words', () => {
    const f = verifierFeatures(['Page', '12'], 1, 3, 0.5);
    expect(f.get('3|-3:<s>')).toBe(1);
    expect(f.get('3|1:</s>')).toBe(1);
    expect(f.get('3|-1:page')).toBe(1);
    expect(f.get('3|debt:false')).toBe(1);
    expect(wordShape('$1,250.75')).toBe('$0,000.00');
  });
});

const verifier = (weights: Record<string, number>, cut: number, confident: number): Verifier => ({ types: [RATE, FACE], weights: new Map(Object.entries(weights)), cut, confident, rules: [] });

describe('checkEntity and applyVerifier', () => {
  it('passes an entity at or above the cut, or one the model is sure of in a sentence with debt words', () => {
    const v = verifier({ b: -2 }, 0.2, 0.9); // probability sigmoid(-2) = 0.119
    expect(checkEntity(v, words, 5, RATE, 0.95)).toEqual({ probability: sigmoid(-2), passes: true }); // sure, debt words
    expect(checkEntity(v, words, 5, RATE, 0.85).passes).toBe(false);
    expect(checkEntity(v, ['Page', '12'], 1, FACE, 0.99).passes).toBe(false); // sure, but no debt words
    expect(checkEntity({ ...v, cut: 0.1 }, ['Page', '12'], 1, FACE, 0.5).passes).toBe(true);
    expect(checkEntity(v, words, 5, 'DebtInstrumentBasisSpreadOnVariableRate1', 0.1)).toEqual({ probability: 1, passes: true }); // a type it does not know
  });

  it('weighs the features of the entity type', () => {
    const v = verifier({ b: -1, '1|-1:page': -5, '0|1:%': 4 }, 0.5, 1.01);
    expect(checkEntity(v, ['Page', '12'], 1, FACE, 0.9).probability).toBeCloseTo(sigmoid(-6), 12);
    expect(checkEntity(v, words, 5, RATE, 0.9).probability).toBeCloseTo(sigmoid(3), 12);
    expect(checkEntity(v, words, 5, FACE, 0.9).probability).toBeCloseTo(sigmoid(-1), 12); // rate's weights are not face amount's
  });

  it('turns the entities it refuses to O and keeps the rest', () => {
    const v = verifier({ b: -1, '0|1:%': 4 }, 0.5, 1.01);
    const p = words.map(() => ({ label: 'O', score: 0.9 }));
    p[5] = { label: `B-${RATE}`, score: 0.8 };
    p[0] = { label: `B-${FACE}`, score: 0.7 };
    const out = applyVerifier(words, p, v);
    expect(out[5]).toEqual(p[5]);
    expect(out[0]!.label).toBe('O');
    expect(out[0]!.score).toBeCloseTo(0.3, 12);
    expect(applyVerifier(words, p, undefined)).toEqual(p);
    // the thresholds first: a rate below its threshold never reaches the check
    expect(keptPredictions(words, p, { [RATE]: 0.85 }, v).every((x) => x.label === 'O')).toBe(true);
  });

  it("drops an entity its rules rule out, whatever its probability or score, and names the rule", () => {
    const ratio = 'a leverage ratio not greater than 3.50 to 1.00 , as amended'.split(' ');
    const sure = { types: [SPREAD], weights: new Map([['b', 5]]), cut: 0.5, confident: 0.5, rules: [] } satisfies Verifier;
    expect(checkEntity(sure, ratio, 6, SPREAD, 0.99)).toEqual({ probability: sigmoid(5), passes: true });
    expect(checkEntity({ ...sure, rules: ['ratio'] }, ratio, 6, SPREAD, 0.99)).toEqual({ probability: sigmoid(5), passes: false, ruledOut: 'ratio' });
    expect(checkEntity({ ...sure, rules: ['change'] }, ratio, 6, SPREAD, 0.99).passes).toBe(true); // not a change
    const p = ratio.map((_, i) => (i === 6 || i === 8 ? { label: `B-${SPREAD}`, score: 0.9 } : { label: 'O', score: 0.9 }));
    expect(applyVerifier(ratio, p, { ...sure, rules: ['ratio'] }).map((x) => x.label)).toEqual(ratio.map(() => 'O'));
  });
});

describe('verifierOfJson', () => {
  const good = { schema: 1, types: [RATE], weights: { b: -0.5, '0|1:%': 2 }, cut: 0.3, confident: 0.8 };
  it('reads the check', () => {
    const v = verifierOfJson(good, LABELS, 'm/verifier.json');
    expect(v.types).toEqual([RATE]);
    expect(v.weights.get('0|1:%')).toBe(2);
    expect([v.cut, v.confident]).toEqual([0.3, 0.8]);
    expect(v.rules).toEqual([]); // a file without rules: none
    expect(verifierOfJson({ ...good, rules: ['ratio', 'change'] }, LABELS, 'm/verifier.json').rules).toEqual(['ratio', 'change']);
  });
  it('refuses a file it cannot use, in one line naming the file and the field', () => {
    expect(() => verifierOfJson({ ...good, schema: 2 }, LABELS, 'm/verifier.json')).toThrow('m/verifier.json: "schema" is 2; expected 1');
    expect(() => verifierOfJson({ ...good, cut: 1.5 }, LABELS, 'm/verifier.json')).toThrow('m/verifier.json: cut: expected a score from 0 to 1, found 1.5');
    expect(() => verifierOfJson({ ...good, weights: { b: 'x' } }, LABELS, 'm/verifier.json')).toThrow(/^m\/verifier\.json: weights\.b: expected a number, found "x"$/);
    expect(() => verifierOfJson({ ...good, types: ['Goodwill'] }, LABELS, 'm/verifier.json')).toThrow('m/verifier.json: "types" names Goodwill, not an entity type of the model');
    expect(() => verifierOfJson([], LABELS, 'm/verifier.json')).toThrow('m/verifier.json: "schema" is nothing; expected 1');
    expect(() => verifierOfJson({ ...good, rules: ['margin'] }, LABELS, 'm/verifier.json')).toThrow('m/verifier.json: rules[0]: expected one of ratio, change, floor, found "margin"');
  });
});
