import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import fixture from '../../e2e/fixtures/tiny-10q.htm?raw';
import { companyKey } from '@finer-lens/core/ixbrl/company.ts';
import { extractIxbrl } from '@finer-lens/core/ixbrl/extract.ts';
import { labelFiling, type LabelledSentence } from '@finer-lens/core/ixbrl/label.ts';
import { finerBId, finerIId } from '@finer-lens/core/ner/labels.ts';
import { buildFilingView, spansOf } from './filingView.ts';

function view(html: string) {
  const filing = extractIxbrl(html);
  return buildFilingView('f.htm', filing, labelFiling(filing, { allSentences: false }));
}

const FACE = 'DebtInstrumentFaceAmount';
const sentence = (nerTags: number[]): LabelledSentence => ({ tokens: [], nerTags, start: 0, end: 0, facts: [] });

describe('spansOf', () => {
  it('joins a B- word and the I- words of the same tag, on the exact characters', () => {
    const text = 'a loan of two hundred million';
    const spans = spansOf(sentence([0, 0, 0, finerBId(FACE)!, finerIId(FACE)!, 0]), text);
    expect(spans).toEqual([{ start: 10, end: 21, tag: FACE, target: 4 }]);
    expect(text.slice(spans[0].start, spans[0].end)).toBe('two hundred');
  });

  it('keeps two adjacent facts apart and marks non-target tags with target 0', () => {
    const spans = spansOf(sentence([finerBId(FACE)!, finerBId('Goodwill')!]), '5 6');
    expect(spans).toEqual([
      { start: 0, end: 1, tag: FACE, target: 4 },
      { start: 2, end: 3, tag: 'Goodwill', target: 0 },
    ]);
  });

  it('refuses labels that do not match the words', () => {
    expect(() => spansOf(sentence([0]), 'two words')).toThrow(/2 words but 1 labels/);
  });
});

describe('buildFilingView', () => {
  it('counts the target facts by place and lists the tagged prose sentences of the fixture', () => {
    const v = view(fixture);
    const counts = Object.fromEntries(v.targetCounts.map((c) => [c.tag, c.counts]));
    expect(counts).toEqual({
      DebtInstrumentInterestRateStatedPercentage: { prose: 1, table: 1, hidden: 0 },
      LineOfCreditFacilityMaximumBorrowingCapacity: { prose: 1, table: 0, hidden: 0 },
      DebtInstrumentBasisSpreadOnVariableRate1: { prose: 1, table: 0, hidden: 0 },
      DebtInstrumentFaceAmount: { prose: 2, table: 1, hidden: 1 },
    });
    expect(v.factCount).toBe(9);
    expect(v.cover).toMatchObject({ registrantName: 'Tiny Lending Corp.', cik: '0000123456' });
    const marked = v.sentences.flatMap((s) => s.spans.map((sp) => s.text.slice(sp.start, sp.end)));
    expect(marked).toEqual(['500.0', '4.25', '1.5', '1.25', 'two hundred', '12.3']);
    expect(v.sentences.map((s) => s.hasTarget)).toEqual([true, true, true, false]);
  });

  it('highlights exactly the text of any fact value in any sentence', () => {
    const word = fc.stringMatching(/^[a-z]{1,8}$/);
    const number = fc.tuple(fc.integer({ min: 1, max: 999 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99 }))
      .map(([a, b, c]) => `${a},${String(b).padStart(3, '0')}.${c}`);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), number, fc.array(word, { maxLength: 6 }), (before, value, after) => {
        const html = `<html><body><p>${before.join(' ')} $<ix:nonFraction name="us-gaap:${FACE}">${value}</ix:nonFraction> ${after.join(' ')}.</p></body></html>`;
        const [s] = view(html).sentences;
        expect(s.spans).toHaveLength(1);
        expect(s.text.slice(s.spans[0].start, s.spans[0].end)).toBe(value);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the company of a filing view', () => {
  it('is the key finer ixbrl splits by (the CIK, ten digits)', () => {
    const f = extractIxbrl(fixture);
    const v = buildFilingView('tiny-10q.htm', f, labelFiling(f, { allSentences: false }));
    expect(v.company).toBe(companyKey(f, 'tiny-10q.htm'));
    expect(v.company).toMatch(/^cik:\d{10}$/);
  });
});
