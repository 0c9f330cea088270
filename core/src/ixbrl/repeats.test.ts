import { describe, expect, it } from 'vitest';
import { findRepeats, numberValue, targetValues } from './repeats.ts';
import { hasDebtWords } from '../ner/debt-words.ts';

const FACE = 'us-gaap:DebtInstrumentFaceAmount';
const RATE = 'us-gaap:DebtInstrumentInterestRateStatedPercentage';
const LINE = 'us-gaap:LineOfCreditFacilityMaximumBorrowingCapacity';

describe('numberValue', () => {
  it('reads plain numbers with thousands separators and decimals, the same value the same way', () => {
    expect(['1,250.50', '1250.5', '05', '.5', '0.50', '750.0'].map(numberValue)).toEqual(['1250.5', '1250.5', '5', '0.5', '0.5', '750']);
  });
  it('is undefined for what is not a plain number', () => {
    for (const t of ['', 'five', '10-K', '(500)', '1,25', '2.3.4', '$', '12,3456', '%']) expect(numberValue(t)).toBeUndefined();
  });
});

describe('targetValues and findRepeats', () => {
  const values = targetValues([
    { name: FACE, value: '500.0' },
    { name: RATE, value: '5.25' },
    { name: LINE, value: '750' },
    { name: FACE, value: '750' },
    { name: LINE, value: '750.0' },
    { name: 'us-gaap:Revenues', value: '42' },
    { name: FACE, value: 'five' },
  ]);
  it('keeps the values of the four target tags only, each with the type that shows it most often', () => {
    expect([...values].sort()).toEqual([['5.25', 1], ['500', 4], ['750', 2]]);
  });
  it('finds the unlabelled words that repeat a value, never a labelled word', () => {
    const tokens = ['our', '$', '500', 'million', 'notes', 'at', '5.250', '%', ',', '750.0', 'and', '42', 'in', '2025'];
    const labels = tokens.map(() => 0);
    expect(findRepeats(tokens, labels, values)).toEqual([[2, 4], [6, 1], [9, 2]]);
    labels[2] = 37;
    expect(findRepeats(tokens, labels, values)).toEqual([[6, 1], [9, 2]]);
    expect(findRepeats(tokens, labels, new Map())).toEqual([]);
  });
});

describe('hasDebtWords', () => {
  it('tells debt prose from the rest', () => {
    expect(hasDebtWords('The Notes bear interest at 5.25 %.')).toBe(true);
    expect(hasDebtWords(['borrowings', 'under', 'the', 'Revolver'])).toBe(true);
    expect(hasDebtWords('SOFR plus 1.75 %')).toBe(true);
    expect(hasDebtWords('Gross margin was 25.6 % in 2021.')).toBe(false);
    expect(hasDebtWords('Suite 300, Austin, Texas')).toBe(false);
    expect(hasDebtWords('a notebook of 200 mg doses')).toBe(false);
  });
});
