import { describe, expect, it } from 'vitest';
import { DEFINITION_RULES, ruledOut } from './definitions.ts';

const SPREAD = 'DebtInstrumentBasisSpreadOnVariableRate1';
const RATE = 'DebtInstrumentInterestRateStatedPercentage';

/** The rule that rules out a spread at the word marked [[...]], or undefined. */
function at(marked: string, type = SPREAD) {
  const words = marked.split(' ');
  const i = words.findIndex((w) => w.startsWith('[['));
  words[i] = words[i]!.slice(2, -2);
  return ruledOut(DEFINITION_RULES, words, i, type);
}

describe('ruledOut', () => {
  it('rules out both sides of a covenant ratio', () => {
    expect(at('a leverage ratio not greater than [[3.50]] to 1.00 , as amended')).toBe('ratio');
    expect(at('a leverage ratio not greater than 3.50 to [[1.00]] , as amended')).toBe('ratio');
    expect(at('an interest coverage ratio not less than 3.0 to [[1.0]] and')).toBe('ratio');
    expect(at('not exceeding [[5.0]] to 1')).toBe('ratio');
  });

  it('keeps a range of margins, which reads like a ratio but ends in a unit', () => {
    expect(at('an applicable margin ranging from [[0.50]] to 1.00 % per annum')).toBeUndefined();
    expect(at('an applicable margin ranging from 0.50 to [[1.00]] % per annum')).toBeUndefined();
    expect(at('a margin of [[0.75]] % to 1.00 %')).toBeUndefined();
    expect(at('a margin of [[200]] to 1 basis points')).toBeUndefined();
    expect(at('plus a margin of [[1.00]] %')).toBeUndefined();
  });

  it('rules out a change of a rate', () => {
    expect(at('the margin we pay on borrowings would increase by [[0.5]] % from the current level')).toBe('change');
    expect(at('A [[1.0]] % increase or decrease in the interest rate')).toBe('change');
    expect(at('a [[100]] basis point change in interest rates')).toBe('change');
    expect(at('The amendment increased the applicable margins by [[25]] basis points')).toBe('change');
  });

  it('keeps a new margin, and a "by" whose verb lies before the previous number', () => {
    expect(at('the margin increased from 0.75 % to [[1.05]] %')).toBeUndefined();
    expect(at('increased by 0.25 % to [[1.25]] %')).toBeUndefined();
    expect(at('increased the facility by 50 million , bearing interest at SOFR plus [[1.25]] % by')).toBeUndefined();
    expect(at('LIBOR plus [[2.00]] % , determined by the leverage ratio')).toBeUndefined();
  });

  it('rules out a floor of the reference rate', () => {
    expect(at('an alternate base rate ( with a floor of [[1.50]] % ) plus 1.00 %')).toBe('floor');
    expect(at('bears interest at the greater of LIBOR or [[1.00]] % plus an applicable margin')).toBe('floor');
    expect(at('The Adjusted Term SOFR rate shall not be less than [[0]] % in any event')).toBe('floor');
    expect(at('Term SOFR ( with a [[0.00]] % floor ) plus an applicable margin')).toBe('floor');
  });

  it('keeps the spread that follows a floor', () => {
    expect(at('an alternate base rate ( with a floor of 1.50 % ) plus [[1.00]] %')).toBeUndefined();
    expect(at('subject to a 0.75 % floor ) , plus [[100]] basis points')).toBeUndefined();
    expect(at('the greater of the prime rate and the federal funds rate plus [[0.50]] %')).toBeUndefined();
    expect(at('a LIBOR floor of 0.75 % plus a margin of [[3.50]] %')).toBeUndefined();
  });

  it('applies only to the rules given and to the type they concern', () => {
    const words = 'not greater than 3.50 to 1.00'.split(' ');
    expect(ruledOut([], words, 3, SPREAD)).toBeUndefined();
    expect(ruledOut(['change'], words, 3, SPREAD)).toBeUndefined();
    expect(ruledOut(['ratio'], words, 3, SPREAD)).toBe('ratio');
    expect(at('would increase by [[0.5]] %', RATE)).toBeUndefined();
  });
});
