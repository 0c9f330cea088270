import { describe, expect, it } from 'vitest';
import { finerBId, finerIId, finerLabelId } from '../ner/labels.ts';
import { extractIxbrl } from './extract.ts';
import { finerTagOf, labelFiling } from './label.ts';

const fact = (name: string, value: string) => `<ix:nonFraction name="${name}" contextRef="c1">${value}</ix:nonFraction>`;
const FACE = 'DebtInstrumentFaceAmount';
const RATE = 'DebtInstrumentInterestRateStatedPercentage';

const DOC = `<html><body>
<p>On May 1, 2023, the Company issued $${fact(`us-gaap:${FACE}`, '1.5 billion')} of notes. They bear interest at ${fact(`us-gaap:${RATE}`, '4.5')}% per annum.</p>
<p>Revenue grew by 10%. The board met twice.</p>
<p>Shares of ${fact('acme:CustomShares', '12')} and ${fact('us-gaap:NotAFinerTag', '3')} were issued. Empty fact ${fact(`us-gaap:${FACE}`, ' ')} here.</p>
<div>The line of credit ($${fact('us-gaap:LineOfCreditFacilityMaximumBorrowingCapacity', '250')}</div><div>million) is unused.</div>
<table><tr><td>Notes at ${fact(`us-gaap:${RATE}`, '9.9')}% are in a table.</td></tr></table>
<p>$ 42 ---</p>
</body></html>`;

const tagged = (s: { tokens: string[]; nerTags: number[] }) => s.tokens.map((t, i) => (s.nerTags[i] ? `${t}/${s.nerTags[i]}` : t)).join(' ');

describe('finerTagOf', () => {
  it('maps us-gaap facts of the 139 tags, and nothing else', () => {
    const f = (name: string) => finerTagOf({ name, place: 'prose', start: 0, end: 0, value: '' });
    expect(f(`us-gaap:${FACE}`)).toBe(FACE);
    expect(f(`ifrs-full:${FACE}`)).toBeUndefined();
    expect(f('us-gaap:Revenues_NotInFiner')).toBeUndefined();
  });
});

describe('labelFiling', () => {
  const filing = extractIxbrl(DOC);
  const B = (tag: string) => finerBId(tag)!;
  const I = (tag: string) => finerIId(tag)!;

  it('labels the words of each fact B- then I-, and keeps only sentences with a FiNER-139 tag by default', () => {
    const { sentences } = labelFiling(filing, { allSentences: false });
    expect(sentences.map(tagged)).toEqual([
      `On May 1 , 2023 , the Company issued $ 1.5/${B(FACE)} billion/${I(FACE)} of notes .`,
      `They bear interest at 4.5/${B(RATE)} % per annum .`,
      `The line of credit ( $ 250/${finerLabelId('B-LineOfCreditFacilityMaximumBorrowingCapacity')}`,
    ]);
    for (const s of sentences) expect(filing.text.slice(s.start, s.end).replace(/\s/g, '')).toBe(s.tokens.join(''));
  });

  it('gives every prose fact of the 139 tags a fate, and none to table facts or other tags', () => {
    const { fates } = labelFiling(filing, { allSentences: false });
    const byName = [...fates].sort(([a], [b]) => a - b).map(([i, fate]) => [filing.facts[i].name, fate]);
    expect(byName).toEqual([
      [`us-gaap:${FACE}`, 'labelled'],
      [`us-gaap:${RATE}`, 'labelled'],
      [`us-gaap:${FACE}`, 'no_token'],
      ['us-gaap:LineOfCreditFacilityMaximumBorrowingCapacity', 'labelled'],
    ]);
  });

  it('with allSentences keeps every prose sentence with a letter, never a sentence across two runs', () => {
    const { sentences } = labelFiling(filing, { allSentences: true });
    const texts = sentences.map((s) => s.tokens.join(' '));
    expect(texts).toContain('Revenue grew by 10 % .');
    expect(texts).toContain('The board met twice .');
    expect(texts).toContain('million ) is unused .');
    expect(texts).not.toContain('$ 42 - - -');
    expect(texts.some((t) => t.includes('table'))).toBe(false);
    expect(sentences.find((s) => s.tokens[0] === 'Shares')!.nerTags.every((t) => t === 0)).toBe(true);
  });

  it('labels a word once when two facts overlap it, and reports the second as token_taken', () => {
    const doc = extractIxbrl(`<p>Rate ${fact(`us-gaap:${RATE}`, `${fact('us-gaap:DebtInstrumentBasisSpreadOnVariableRate1', '2.5')}`)}% here.</p>`);
    const { sentences, fates } = labelFiling(doc, { allSentences: false });
    expect(tagged(sentences[0])).toBe(`Rate 2.5/${B(RATE)} % here .`);
    expect([...fates.values()]).toEqual(['labelled', 'token_taken']);
  });
});
