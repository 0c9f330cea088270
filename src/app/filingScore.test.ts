import { describe, expect, it } from 'vitest';
import fixture from '../../e2e/fixtures/tiny-10q.htm?raw';
import { extractIxbrl } from '@finer-lens/core/ixbrl/extract.ts';
import { labelFiling } from '@finer-lens/core/ixbrl/label.ts';
import { buildFilingView } from './filingView.ts';
import { definedRates, goldLabels, scoreFiling, sentenceWords } from './filingScore.ts';
import type { SentenceView } from './filingView.ts';

const filing = extractIxbrl(fixture);
const view = buildFilingView('tiny-10q.htm', filing, labelFiling(filing, { allSentences: false }));
const words = sentenceWords(view.sentences);
const gold = view.sentences.map((s, i) => goldLabels(s, words[i]!));

const FACE = 'DebtInstrumentFaceAmount';
const RATE = 'DebtInstrumentInterestRateStatedPercentage';

describe('goldLabels', () => {
  it("puts B-<tag> on the first word of each of the filer's target facts, O elsewhere (other tags too)", () => {
    const tagged = gold.flatMap((labels, s) => labels.flatMap((l, w) => (l === 'O' ? [] : [[words[s]![w]!.text, l]])));
    expect(tagged).toEqual([
      ['500.0', `B-${FACE}`],
      ['4.25', `B-${RATE}`],
      ['1.5', 'B-LineOfCreditFacilityMaximumBorrowingCapacity'],
      ['1.25', 'B-DebtInstrumentBasisSpreadOnVariableRate1'],
      ['two', `B-${FACE}`], // "two hundred": I- words are O in the 4-entity scheme
    ]);
  });
});

describe('scoreFiling', () => {
  it('scores a perfect model 1.0 with nothing listed', () => {
    const score = scoreFiling(view.sentences, gold);
    expect(score.metrics.micro).toMatchObject({ precision: 1, recall: 1, f1: 1, tp: 5 });
    expect(score.misses).toEqual([]);
    expect(score.falseAlarms).toEqual([]);
    expect(score.modelSpans.flat().map((s) => s.tag)).toEqual([FACE, RATE, 'LineOfCreditFacilityMaximumBorrowingCapacity', 'DebtInstrumentBasisSpreadOnVariableRate1', FACE]);
  });

  it('lists misses and false alarms on the exact characters, with what the other side had there', () => {
    const pred = gold.map((labels) => [...labels]);
    const first = words[0]!;
    pred[0]![first.findIndex((w) => w.text === '500.0')] = `B-${RATE}`; // wrong type: a miss and a false alarm
    pred[0]![first.findIndex((w) => w.text === '4.25')] = 'O'; // a miss
    const year = first.findIndex((w) => w.text === '2023');
    pred[0]![year] = `B-${FACE}`; // a false alarm where the filer tagged nothing
    const score = scoreFiling(view.sentences, pred);
    expect(score.metrics.micro).toMatchObject({ tp: 3, fp: 2, fn: 2 });
    expect(score.misses.map((m) => [m.text, m.type, m.other])).toEqual([
      ['500.0', FACE, RATE],
      ['4.25', RATE, undefined],
    ]);
    expect(score.falseAlarms.map((m) => [m.text, m.type, m.other])).toEqual([
      ['2023', FACE, undefined],
      ['500.0', RATE, FACE],
    ]);
    for (const f of [...score.misses, ...score.falseAlarms]) expect(view.sentences[f.sentence]!.text.slice(f.start, f.end)).toBe(f.text);
  });
});

describe('definedRates', () => {
  const scores = (tp: number, fp: number, fn: number) => {
    const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
    const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
    return { tp, fp, support: tp + fn, precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
  };

  it('leaves out every rate of a type neither side has (a dash, not 0.0)', () => {
    expect(definedRates(scores(0, 0, 0))).toEqual({});
  });

  it('leaves out precision when the model found none, recall when the filer tagged none', () => {
    expect(definedRates(scores(0, 0, 3))).toEqual({ recall: 0, f1: 0 });
    expect(definedRates(scores(0, 2, 0))).toEqual({ precision: 0, f1: 0 });
  });

  it('keeps every rate when both sides have the type', () => {
    expect(definedRates(scores(1, 1, 1))).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5 });
  });

  it('of a scored filing: a type absent on both sides has no rates, the others keep theirs', () => {
    const sentence: SentenceView = { text: 'Notes of $5 million.', spans: [{ start: 10, end: 11, tag: 'DebtInstrumentFaceAmount', target: 4 }], hasTarget: true };
    const words = sentenceWords([sentence])[0]!;
    const predicted = words.map((w) => (w.text === '5' ? 'B-DebtInstrumentFaceAmount' : 'O'));
    const { metrics } = scoreFiling([sentence], [predicted]);
    expect(definedRates(metrics.perType.DebtInstrumentFaceAmount!)).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(definedRates(metrics.perType.DebtInstrumentInterestRateStatedPercentage!)).toEqual({});
  });
});
