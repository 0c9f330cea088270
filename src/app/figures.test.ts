import { describe, expect, it } from 'vitest';
import { camelParts, evaluationTicks, sharePercent, speedAgainstFastest } from './figures.ts';

describe('sharePercent', () => {
  it('rounds as usual away from the ends', () => {
    expect(sharePercent(1, 3)).toBe('33.33');
    expect(sharePercent(2, 3, 1)).toBe('66.7');
  });

  it('never says 100 while some differ, nor 0 while some agree', () => {
    expect(sharePercent(51637, 51639)).toBe('99.99');
    expect(sharePercent(999_999, 1_000_000, 1)).toBe('99.9');
    expect(sharePercent(1, 1_000_000)).toBe('0.01');
  });

  it('says 100 and 0 when they are exact', () => {
    expect(sharePercent(51639, 51639)).toBe('100.00');
    expect(sharePercent(0, 10)).toBe('0.00');
    expect(sharePercent(0, 0)).toBe('0.00');
  });
});

describe('speedAgainstFastest', () => {
  it("says how much slower a path is than the fastest (the report's ratio is fastest / this path)", () => {
    expect(speedAgainstFastest(false, 1.0887737257717927)).toBe('1.09× slower');
    expect(speedAgainstFastest(false, 2.5)).toBe('2.50× slower');
    expect(speedAgainstFastest(true, 1)).toBe('fastest');
    expect(speedAgainstFastest(false, 1.004)).toBe('as fast (within 0.5%)');
    expect(speedAgainstFastest(false, undefined)).toBe('–');
  });
});

describe('camelParts', () => {
  it('cuts before the capital of each word, keeping the letters in order', () => {
    const name = 'B-DebtInstrumentInterestRateStatedPercentage';
    expect(camelParts(name)).toEqual(['B-', 'Debt', 'Instrument', 'Interest', 'Rate', 'Stated', 'Percentage']);
    expect(camelParts(name).join('')).toBe(name);
    expect(camelParts('DebtInstrumentBasisSpreadOnVariableRate1')).toEqual(['Debt', 'Instrument', 'Basis', 'Spread', 'On', 'Variable', 'Rate1']);
    expect(camelParts('us-gaap:LongTermDebtFairValue')).toEqual(['us-', 'gaap:', 'Long', 'Term', 'Debt', 'Fair', 'Value']);
    expect(camelParts('EBITDAMargin')).toEqual(['EBITDA', 'Margin']);
    expect(camelParts('O')).toEqual(['O']);
  });
});

describe('evaluationTicks', () => {
  it('puts a tick on every evaluation step', () => {
    expect(evaluationTicks([332, 664, 996])).toEqual([332, 664, 996]);
  });

  it('thins many evaluations, keeping the first and the last', () => {
    const steps = Array.from({ length: 40 }, (_, i) => (i + 1) * 50);
    const ticks = evaluationTicks(steps, 12);
    expect(ticks.length).toBeLessThanOrEqual(12);
    expect(ticks[0]).toBe(50);
    expect(ticks.at(-1)).toBe(2000);
    for (const t of ticks) expect(steps).toContain(t);
  });
});
