import { describe, expect, it } from 'vitest';
import { SUBSET_LABELS } from './labels.ts';
import { scoreSequences, scoreSparse, scoresFromCounts, type Scores, type SparseItem } from './metrics.ts';
import { entities } from './spans.ts';

// The four target types, in SUBSET_LABELS order (B- stripped).
const TYPES = SUBSET_LABELS.slice(1).map((l) => l.slice(2));
const [RATE, CAP, SPREAD, FACE] = TYPES;

/** Compare scores with floats to 12 digits, counts exactly. */
function expectScores(actual: Scores, expected: Scores): void {
  expect(actual.tp).toBe(expected.tp);
  expect(actual.fp).toBe(expected.fp);
  expect(actual.fn).toBe(expected.fn);
  expect(actual.support).toBe(expected.support);
  expect(actual.precision).toBeCloseTo(expected.precision, 12);
  expect(actual.recall).toBeCloseTo(expected.recall, 12);
  expect(actual.f1).toBeCloseTo(expected.f1, 12);
}

const s = (tp: number, fp: number, fn: number, precision: number, recall: number, f1: number): Scores => ({
  tp, fp, fn, support: tp + fn, precision, recall, f1,
});

describe('entities (seqeval get_entities, default mode)', () => {
  it('checks the subset type names', () => {
    expect(TYPES).toEqual([
      'DebtInstrumentInterestRateStatedPercentage',
      'LineOfCreditFacilityMaximumBorrowingCapacity',
      'DebtInstrumentBasisSpreadOnVariableRate1',
      'DebtInstrumentFaceAmount',
    ]);
  });

  it('reads B-/I- runs; O ends them', () => {
    // seqeval: [('PER', 0, 1), ('LOC', 3, 3)] (inclusive ends)
    expect(entities(['B-PER', 'I-PER', 'O', 'B-LOC'])).toEqual([
      { type: 'PER', start: 0, end: 2 },
      { type: 'LOC', start: 3, end: 4 },
    ]);
  });

  it('reads a near-miss class O-<concept> as O: it ends an entity and is none', () => {
    expect(entities(['B-A', 'O-A', 'I-A', 'O-LongTermDebt', 'B-B'])).toEqual([
      { type: 'A', start: 0, end: 1 },
      { type: 'A', start: 2, end: 3 },
      { type: 'B', start: 4, end: 5 },
    ]);
  });

  it('starts an entity at an I- without B- (conlleval repair)', () => {
    // seqeval: [('MISC', 1, 2)]
    expect(entities(['O', 'I-MISC', 'I-MISC', 'O'])).toEqual([{ type: 'MISC', start: 1, end: 3 }]);
    // I- of another type after an entity: ends it and starts a new one.
    expect(entities(['B-A', 'I-B'])).toEqual([
      { type: 'A', start: 0, end: 1 },
      { type: 'B', start: 1, end: 2 },
    ]);
    // I- of the same type right after another entity's I-: continues it.
    expect(entities(['I-A', 'I-A', 'I-B', 'I-A'])).toEqual([
      { type: 'A', start: 0, end: 2 },
      { type: 'B', start: 2, end: 3 },
      { type: 'A', start: 3, end: 4 },
    ]);
  });

  it('lets B- start a new entity of the same type; empty and all-O give none', () => {
    expect(entities(['B-A', 'B-A', 'I-A'])).toEqual([
      { type: 'A', start: 0, end: 1 },
      { type: 'A', start: 1, end: 3 },
    ]);
    expect(entities([])).toEqual([]);
    expect(entities(['O', 'O'])).toEqual([]);
  });

  it('reads IOBES E-/S- as seqeval does', () => {
    // seqeval: [('A', 0, 0), ('B', 1, 2), ('C', 3, 3)]
    expect(entities(['S-A', 'B-B', 'E-B', 'S-C'])).toEqual([
      { type: 'A', start: 0, end: 1 },
      { type: 'B', start: 1, end: 3 },
      { type: 'C', start: 3, end: 4 },
    ]);
    // An I- right after S-/E- of its own type starts a new entity: seqeval [('A', 0, 0), ('A', 1, 1)].
    expect(entities(['S-A', 'I-A'])).toEqual([
      { type: 'A', start: 0, end: 1 },
      { type: 'A', start: 1, end: 2 },
    ]);
  });

  it('reads a label without prefix as I-<label>; splits the type at the first hyphen', () => {
    expect(entities(['X', 'X', 'O', 'Y', 'B-Y'])).toEqual([
      { type: 'X', start: 0, end: 2 },
      { type: 'Y', start: 3, end: 4 },
      { type: 'Y', start: 4, end: 5 },
    ]);
    expect(entities(['B-A-B', 'I-A-B'])).toEqual([{ type: 'A-B', start: 0, end: 2 }]);
  });
});

describe('scoreSequences', () => {
  it('reproduces the seqeval README example', () => {
    const yTrue = [['O', 'O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];
    const yPred = [['O', 'O', 'B-MISC', 'I-MISC', 'I-MISC', 'I-MISC', 'O'], ['B-PER', 'I-PER', 'O']];
    const m = scoreSequences(yTrue, yPred);
    // Gold MISC words 3-5, predicted MISC words 2-5: no match. PER 0-1 matches.
    // MISC: tp 0, fp 1, fn 1 -> p = r = f = 0. PER: tp 1 -> p = r = f = 1.
    // micro: tp 1, fp 1, fn 1 -> p = r = f = 0.5. macro: (0 + 1) / 2 = 0.5.
    expect(m.types).toEqual(['MISC', 'PER']);
    expectScores(m.perType.MISC, s(0, 1, 1, 0, 0, 0));
    expectScores(m.perType.PER, s(1, 0, 0, 1, 1, 1));
    expectScores(m.micro, s(1, 1, 1, 0.5, 0.5, 0.5));
    expect(m.macro).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5 });
    // Full label strings differ at word 2 (O vs B-MISC) and word 3 (B-MISC vs I-MISC) -> 8 / 10.
    expect(m.tokens).toBe(10);
    expect(m.tokenAccuracy).toBeCloseTo(0.8, 12);
    // By type (B-/I- merged), rows gold, cols predicted over [O, MISC, PER]:
    // O/O 4, O/MISC 1 (word 2), MISC/MISC 3 (words 3-5, word 3 included), PER/PER 2.
    expect(m.confusion).toEqual({
      labels: ['O', 'MISC', 'PER'],
      matrix: [
        [4, 1, 0],
        [0, 3, 0],
        [0, 0, 2],
      ],
    });
  });

  it('scores the 4 target types with boundary, type and O confusions', () => {
    const gold = [
      ['O', `B-${RATE}`, 'O', `B-${FACE}`, `I-${FACE}`, 'O'],
      [`B-${CAP}`, 'O', `B-${SPREAD}`],
      ['O', 'O', `B-${SPREAD}`],
    ];
    const pred = [
      ['O', `B-${RATE}`, 'O', `B-${FACE}`, 'O', 'O'],
      [`B-${FACE}`, 'O', 'O'],
      [`B-${RATE}`, 'O', `B-${SPREAD}`],
    ];
    const m = scoreSequences(gold, pred, TYPES);
    // Entities (sentence: gold | pred):
    //   0: RATE 1-2, FACE 3-5 | RATE 1-2, FACE 3-4  -> RATE tp; FACE fp + fn (boundary)
    //   1: CAP 0-1, SPREAD 2-3 | FACE 0-1           -> CAP fn, SPREAD fn, FACE fp
    //   2: SPREAD 2-3 | RATE 0-1, SPREAD 2-3         -> SPREAD tp, RATE fp
    // RATE   tp 1 fp 1 fn 0: p 1/2, r 1,   f 2(1/2)(1)/(3/2) = 2/3
    // CAP    tp 0 fp 0 fn 1: p 0 (0/0), r 0, f 0
    // SPREAD tp 1 fp 0 fn 1: p 1,   r 1/2, f 2/3
    // FACE   tp 0 fp 2 fn 1: 0, 0, 0
    expect(m.types).toEqual(TYPES);
    expectScores(m.perType[RATE], s(1, 1, 0, 0.5, 1, 2 / 3));
    expectScores(m.perType[CAP], s(0, 0, 1, 0, 0, 0));
    expectScores(m.perType[SPREAD], s(1, 0, 1, 1, 0.5, 2 / 3));
    expectScores(m.perType[FACE], s(0, 2, 1, 0, 0, 0));
    // micro: tp 2, fp 3, fn 3 -> p = r = f = 2/5; support 5 gold entities.
    expectScores(m.micro, s(2, 3, 3, 0.4, 0.4, 0.4));
    // macro over the 4 types: p (1/2+0+1+0)/4 = 3/8, r (1+0+1/2+0)/4 = 3/8, f (2/3+2/3)/4 = 1/3.
    expect(m.macro.precision).toBeCloseTo(0.375, 12);
    expect(m.macro.recall).toBeCloseTo(0.375, 12);
    expect(m.macro.f1).toBeCloseTo(1 / 3, 12);
    // Words right: sentence 0: 5 of 6 (word 4), 1: 1 of 3, 2: 2 of 3 -> 8 / 12.
    expect(m.tokens).toBe(12);
    expect(m.tokenAccuracy).toBeCloseTo(2 / 3, 12);
    // Rows gold, cols predicted, over [O, RATE, CAP, SPREAD, FACE]:
    //   O:      O/O 5 (s0 w0 w2 w5, s1 w1, s2 w1), O/RATE 1 (s2 w0)
    //   RATE:   RATE/RATE 1 (s0 w1)
    //   CAP:    CAP/FACE 1 (s1 w0)
    //   SPREAD: SPREAD/O 1 (s1 w2), SPREAD/SPREAD 1 (s2 w2)
    //   FACE:   FACE/O 1 (s0 w4), FACE/FACE 1 (s0 w3)
    expect(m.confusion.labels).toEqual(['O', ...TYPES]);
    expect(m.confusion.matrix).toEqual([
      [5, 1, 0, 0, 0],
      [0, 1, 0, 0, 0],
      [0, 0, 0, 0, 1],
      [1, 0, 0, 1, 0],
      [1, 0, 0, 0, 1],
    ]);
  });

  it('keeps given types with no entity out of the macro mean; appends unlisted types', () => {
    // Types A (asked for, never seen), B (asked for), C (only predicted, not asked for).
    const m = scoreSequences([['B-B', 'O']], [['B-B', 'B-C']], ['A', 'B']);
    expect(m.types).toEqual(['A', 'B', 'C']);
    expectScores(m.perType.A, s(0, 0, 0, 0, 0, 0));
    expectScores(m.perType.B, s(1, 0, 0, 1, 1, 1));
    expectScores(m.perType.C, s(0, 1, 0, 0, 0, 0));
    // macro over B and C only (seqeval's label set): (1 + 0) / 2 = 0.5 each.
    expect(m.macro).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(m.confusion.matrix).toEqual([
      [0, 0, 0, 1],
      [0, 0, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 0],
    ]);
  });

  it('orders unlisted types by first appearance in the gold, then in the predictions', () => {
    const m = scoreSequences([['B-Z', 'O'], ['B-Y']], [['B-W', 'B-Z'], ['B-Y']]);
    expect(m.types).toEqual(['Z', 'Y', 'W']);
  });

  it('gives zeros, not NaN, with no entities and no words', () => {
    const empty = scoreSequences([], []);
    expectScores(empty.micro, s(0, 0, 0, 0, 0, 0));
    expect(empty.macro).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(empty.tokenAccuracy).toBe(0);
    expect(empty.tokens).toBe(0);
    expect(empty.confusion).toEqual({ labels: ['O'], matrix: [[0]] });
  });

  it('names the sentence whose lengths differ', () => {
    expect(() => scoreSequences([['O'], ['O', 'O']], [['O'], ['O']])).toThrow(/sentence 1 has 2 gold labels but 1 predicted/);
    expect(() => scoreSequences([['O']], [])).toThrow(/1 gold sentences but 0 predicted/);
    expect(() => scoreSequences([], [], ['O'])).toThrow(/'O' is not an entity type/);
    expect(() => scoreSequences([], [], ['A', 'A'])).toThrow(/given twice/);
  });
});

describe('scoresFromCounts', () => {
  it('uses 0 for an empty denominator and 2pr/(p+r) for F1', () => {
    expectScores(scoresFromCounts(0, 3, 0), s(0, 3, 0, 0, 0, 0));
    expectScores(scoresFromCounts(0, 0, 2), s(0, 0, 2, 0, 0, 0));
    // tp 3 fp 1 fn 2: p 3/4, r 3/5, f 2(9/20)/(27/20) = 2/3.
    expectScores(scoresFromCounts(3, 1, 2), s(3, 1, 2, 0.75, 0.6, 2 / 3));
  });
});

describe('scoreSparse (FiNER-139 sparse gold)', () => {
  const OTHER = 'BusinessAcquisitionEquityInterestsIssuedOrIssuableNumberOfSharesIssued';
  const items: SparseItem[] = [
    {
      // Words 1, 3, 4 labelled: all three right (RATE tp 1, FACE tp 2).
      // Word 5 unlabelled but predicted CAP: ignored. Words 0, 2 unlabelled: ignored.
      gold: { 1: RATE, 3: FACE, 4: FACE },
      pred: ['O', `B-${RATE}`, 'O', `B-${FACE}`, `I-${FACE}`, `B-${CAP}`],
    },
    {
      // Word 0: truth RATE, predicted SPREAD -> fp SPREAD + fn RATE.
      // Word 1: truth CAP, predicted O       -> fn CAP.
      // Word 2: other FiNER tag (truth O), predicted FACE -> fp FACE only.
      // Word 3: other FiNER tag (truth O), predicted O    -> nothing.
      gold: { 0: RATE, 1: CAP, 2: OTHER, 3: 'LongTermDebt' },
      pred: [`B-${SPREAD}`, 'O', `B-${FACE}`, 'O'],
    },
    // No labelled word: the predicted CAP is ignored.
    { gold: {}, pred: [`B-${CAP}`] },
  ];

  it('counts labelled words by the dataset rule', () => {
    const m = scoreSparse(items, TYPES);
    // RATE   tp 1 fp 0 fn 1: p 1,   r 1/2, f 2/3
    // CAP    tp 0 fp 0 fn 1: 0, 0, 0 (the two unlabelled CAP predictions would make fp 2)
    // SPREAD tp 0 fp 1 fn 0: 0, 0, 0
    // FACE   tp 2 fp 1 fn 0: p 2/3, r 1,   f 2(2/3)/(5/3) = 4/5
    expect(m.types).toEqual(TYPES);
    expectScores(m.perType[RATE], s(1, 0, 1, 1, 0.5, 2 / 3));
    expectScores(m.perType[CAP], s(0, 0, 1, 0, 0, 0));
    expectScores(m.perType[SPREAD], s(0, 1, 0, 0, 0, 0));
    expectScores(m.perType[FACE], s(2, 1, 0, 2 / 3, 1, 0.8));
    // micro: tp 3, fp 2, fn 2 -> p = r = f = 3/5; support 5 target words.
    expectScores(m.micro, s(3, 2, 2, 0.6, 0.6, 0.6));
    // macro over all 4 (each has a tp, fp or fn):
    //   p (1 + 0 + 0 + 2/3)/4 = 5/12, r (1/2 + 0 + 0 + 1)/4 = 3/8, f (2/3 + 4/5)/4 = 11/30.
    expect(m.macro.precision).toBeCloseTo(5 / 12, 12);
    expect(m.macro.recall).toBeCloseTo(3 / 8, 12);
    expect(m.macro.f1).toBeCloseTo(11 / 30, 12);
    // 3 + 4 + 0 labelled words.
    expect(m.labelledTokens).toBe(7);
    // Rows truth, cols predicted, over [O, RATE, CAP, SPREAD, FACE]:
    //   O:    O/O 1 (LongTermDebt), O/FACE 1 (OTHER)
    //   RATE: RATE/RATE 1, RATE/SPREAD 1
    //   CAP:  CAP/O 1
    //   FACE: FACE/FACE 2
    expect(m.confusion.labels).toEqual(['O', ...TYPES]);
    expect(m.confusion.matrix).toEqual([
      [1, 0, 0, 0, 1],
      [0, 1, 0, 1, 0],
      [1, 0, 0, 0, 0],
      [0, 0, 0, 0, 0],
      [0, 0, 0, 0, 2],
    ]);
  });

  it('reads a predicted type outside the targets as O', () => {
    const m = scoreSparse([{ gold: { 0: OTHER, 1: RATE }, pred: [`B-${OTHER}`, `I-${OTHER}`] }], TYPES);
    // Word 0: O vs O -> nothing. Word 1: RATE vs O -> fn RATE.
    expectScores(m.micro, s(0, 0, 1, 0, 0, 0));
    expect(m.confusion.matrix[0][0]).toBe(1);
    expect(m.confusion.matrix[1][0]).toBe(1);
  });

  it('names the sample whose labelled word is out of range', () => {
    expect(() => scoreSparse([items[0], { gold: { 2: RATE }, pred: ['O'] }], TYPES)).toThrow(
      /sample 1 labels word "2" but has 1 predicted words/,
    );
  });
});
