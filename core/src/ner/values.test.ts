import { describe, expect, it } from 'vitest';
import { entityValue, type EntityValue } from './values.ts';

/**
 * The value of `entity` where it occurs in `sentence` (its `nth` occurrence).
 * The sentences are real: FiNER-139 ones (../shared/data/finer139-sample, tokens joined by
 * spaces) and ones of the inline-XBRL filings in ../shared/data/ixbrl (named by company).
 */
function valueOf(sentence: string, entity: string, nth = 0): EntityValue {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = sentence.indexOf(entity, start + 1);
  if (start < 0) throw new Error(`${entity} is not in: ${sentence}`);
  return entityValue(sentence, start, start + entity.length);
}

describe('entityValue: amounts', () => {
  it('reads a currency sign before and a scale word after, in base units', () => {
    // Adobe 10-K 2025
    expect(valueOf('We also had a $1.5 billion senior unsecured revolving credit agreement, which was undrawn.', '1.5')).toEqual({ value: 1_500_000_000, unit: 'USD' });
    // Acuity Brands 10-K 2022
    const acuity = 'On November 10, 2020, Acuity Brands Lighting, Inc. issued $ 500.0 million aggregate principal amount of 2.150 % senior unsecured notes due December 15, 2030 (the “Unsecured Notes”).';
    expect(valueOf(acuity, '500.0')).toEqual({ value: 500_000_000, unit: 'USD' });
    expect(valueOf(acuity, '2.150')).toEqual({ value: 2.15, unit: '%' });
    // FiNER sample: the dollar sign and the scale are words of their own
    const finer = 'During 2016 , CVR Partners acquired a nitrogen fertilizer business for total purchase price consideration which included the issuance of common units of CVR Partners with a fair value of $ 335 million , cash paid of $ 99 million and debt assumed with a fair value of $ 368 million .';
    expect(valueOf(finer, '368')).toEqual({ value: 368_000_000, unit: 'USD' });
  });

  it('keeps decimals exact when scaling (no 1.1 * 1e6 float error)', () => {
    expect(valueOf('a $ 1.1 million note', '1.1').value).toBe(1_100_000);
    expect(valueOf('a $ 2,049.7 million note', '2,049.7').value).toBe(2_049_700_000);
    expect(valueOf('Notes of $ 0.3 billion', '0.3').value).toBe(300_000_000);
  });

  it('reads euro, pound, yen and renminbi amounts', () => {
    // FiNER sample
    expect(valueOf('The line of credit provides for an aggregate principal amount of up € 65 million ( approximately $ 76 million ) with a maturity date of September 30 , 2018 .', '65')).toEqual({
      value: 65_000_000,
      unit: 'EUR',
    });
    const pounds = '( 7 ) Includes a £ 550,000,000 4.80 % senior unsecured notes due 2028 ( approximately $ 701,470,000 based on the Pounds Sterling / U.S.';
    expect(valueOf(pounds, '550,000,000')).toEqual({ value: 550_000_000, unit: 'GBP' });
    expect(valueOf(pounds, '4.80')).toEqual({ value: 4.8, unit: '%' });
    expect(valueOf(pounds, '701,470,000')).toEqual({ value: 701_470_000, unit: 'USD' });
    // Abbott 10-K 2024, both spellings of the filing
    expect(valueOf('The amended terms include a net increase in principal debt from ¥59.8 billion to ¥92.0 billion, with a new maturity date in June 2029.', '92.0')).toEqual({ value: 92_000_000_000, unit: 'JPY' });
    expect(valueOf('The amended terms include a net increase in principal debt from ¥ 59.8 billion to ¥ 92.0 billion, with a new maturity date in June 2029.', '59.8')).toEqual({ value: 59_800_000_000, unit: 'JPY' });
    // ATIF Holdings 10-K 2022
    expect(valueOf('The statute of limitations is extended to five years under special circumstances, where the underpayment of taxes is more than RMB 100,000.', '100,000')).toEqual({ value: 100_000, unit: 'CNY' });
    // the word tokeniser keeps RMB and the number together: the entity is `RMB9.0`
    expect(valueOf('The Company entered into a loan of RMB9.0 billion with the bank.', 'RMB9.0')).toEqual({ value: 9_000_000_000, unit: 'CNY' });
    expect(valueOf('Borrowings of € 300 million under the euro notes.', '300')).toEqual({ value: 300_000_000, unit: 'EUR' });
  });

  it('reads prefixed dollars (US$, HK$, C$, A$) and ISO codes before or after', () => {
    // ATIF Holdings 10-K 2022
    const atif = 'Unless otherwise stated, the translation of RMB into U.S. dollars has been made at RMB 6.7433 to US$1.00 and the translation of HK$ into U.S. dollars has been made at HK$7.8000 to US$1.00 in effect on July 31, 2022.';
    expect(valueOf(atif, '6.7433')).toEqual({ value: 6.7433, unit: 'CNY' });
    expect(valueOf(atif, '1.00')).toEqual({ value: 1, unit: 'USD' });
    expect(valueOf(atif, '7.8000')).toEqual({ value: 7.8, unit: 'HKD' });
    // AB International 10-K 2022
    expect(valueOf('For the year 2019-2020, the Board of Directors approved of the payment of US$9,000 as the fee for each Director.', '9,000')).toEqual({ value: 9000, unit: 'USD' });
    expect(valueOf('a C$300 million term loan and an A$ 50 million revolver', '300')).toEqual({ value: 300_000_000, unit: 'CAD' });
    expect(valueOf('a C$300 million term loan and an A$50 million revolver', '50')).toEqual({ value: 50_000_000, unit: 'AUD' });
    // FiNER sample: an ISO code before, and a currency in words after the scale
    expect(valueOf('The 10 percent redemption value was calculated using a specified formula and resulted in a reduction to the carrying value of TRY 0.6 million ( $ 0.2 million ) .', '0.6')).toEqual({ value: 600_000, unit: 'TRY' });
    expect(valueOf('These notices added a total of 4.9 billion Indian rupees ( $ 68 million as of September 30 , 2018 ) of unpaid excise taxes .', '4.9')).toEqual({ value: 4_900_000_000, unit: 'INR' });
    expect(valueOf('a term loan of 250 million euros', '250')).toEqual({ value: 250_000_000, unit: 'EUR' });
    expect(valueOf('notes of 750 million USD due 2030', '750')).toEqual({ value: 750_000_000, unit: 'USD' });
  });

  it('does not read a letter that ends a word as a dollar prefix (LLC $ is USD, not CAD)', () => {
    // FiNER sample
    expect(valueOf('The Company paid 4455 LBJ Freeway , LLC $ 551 and $ 587 in rent for the three months ended September 30 , 2018 and 2017 , respectively .', '551')).toEqual({ value: 551, unit: 'USD' });
    expect(valueOf('the Series C $ 25 liquidation preference', '25').unit).toBe('USD');
  });

  it('skips parentheses around an amount: a restated figure, not a minus', () => {
    // Air Products 10-K 2023
    const air = 'The designated foreign currency-denominated debt and related accrued interest was € 1,938.6 million ($ 2,049.7 ) at 30 September 2023.';
    expect(valueOf(air, '1,938.6')).toEqual({ value: 1_938_600_000, unit: 'EUR' });
    expect(valueOf(air, '2,049.7')).toEqual({ value: 2049.7, unit: 'USD' });
    expect(valueOf('Five Hundred Million Dollars ($(500,000,000)) of notes', '500,000,000')).toEqual({ value: 500_000_000, unit: 'USD' });
  });

  it('reads abbreviated scales; m, b and k only after a currency', () => {
    expect(valueOf('a €300m bond', '300m')).toEqual({ value: 300_000_000, unit: 'EUR' });
    expect(valueOf('a $500MM facility', '500MM')).toEqual({ value: 500_000_000, unit: 'USD' });
    expect(valueOf('a ¥10bn loan', '10bn')).toEqual({ value: 10_000_000_000, unit: 'JPY' });
    expect(valueOf('a $2B revolver and a $750k fee', '2B')).toEqual({ value: 2_000_000_000, unit: 'USD' });
    expect(valueOf('a $2B revolver and a $750k fee', '750k')).toEqual({ value: 750_000, unit: 'USD' });
    expect(valueOf('the well is 300 m deep', '300')).toEqual({ value: 300, unit: null });
  });

  it('gives a number without a unit when the text has none, and no scale that is not there', () => {
    // FiNER sample
    expect(valueOf('On August 1 , 2018 , CVR Energy completed an exchange offer whereby CVR Refining \'s public unitholders tendered a total of 21,625,106 common units .', '21,625,106')).toEqual({ value: 21_625_106, unit: null });
    expect(valueOf('The Company issued warrants to purchase 1,250,000 shares.', '1,250,000')).toEqual({ value: 1_250_000, unit: null });
    // "$600 and €700 million": the million is €700's; $600 stays 600
    const air = 'Dollar- and Euro-denominated fixed-rate note offerings with aggregate principal amounts of $600 and €700 million, respectively.';
    expect(valueOf(air, '600')).toEqual({ value: 600, unit: 'USD' });
    expect(valueOf(air, '700')).toEqual({ value: 700_000_000, unit: 'EUR' });
    expect(valueOf('of 3.2 million shares', '3.2')).toEqual({ value: 3_200_000, unit: null });
  });
});

describe('entityValue: rates', () => {
  it('reads a percent as a percent', () => {
    // FiNER sample
    expect(valueOf('The notes bore interest at an annual rate equal to LIBOR plus 4.15 % , payable quarterly .', '4.15')).toEqual({ value: 4.15, unit: '%' });
    expect(valueOf('interest at a rate of LIBOR plus 1.75 % per annum', '1.75')).toEqual({ value: 1.75, unit: '%' });
    expect(valueOf('The 5.25 % Senior Notes due 2027', '5.25')).toEqual({ value: 5.25, unit: '%' });
    // AMD 10-K
    expect(valueOf("a commitment fee based on the Company's Debt Ratings from time to time of between 0.050% and 0.125% (as defined in the Revolving Credit Agreement).", '0.125')).toEqual({ value: 0.125, unit: '%' });
    expect(valueOf('The 10 percent redemption value', '10')).toEqual({ value: 10, unit: '%' });
    expect(valueOf('bearing interest at 4.125 per cent.', '4.125')).toEqual({ value: 4.125, unit: '%' });
  });

  it('reads basis points as a percent', () => {
    // FiNER sample
    expect(valueOf('The interest rate on the 2016 Loan is equal to the prime rate ( 5.25 % as of September 30 , 2018 ) plus 250 basis points ( 2.50 % ) .', '250')).toEqual({ value: 2.5, unit: '%' });
    expect(valueOf('( 2 ) Bears interest at a rate per annum equal to the 3 - month LIBOR rate , plus 50 bps .', '50')).toEqual({ value: 0.5, unit: '%' });
    expect(valueOf('SOFR plus 275 basis points', '275')).toEqual({ value: 2.75, unit: '%' });
    expect(valueOf('SOFR plus 125bps', '125bps')).toEqual({ value: 1.25, unit: '%' });
    expect(valueOf('SOFR plus 1 basis point', '1')).toEqual({ value: 0.01, unit: '%' });
  });

  it('reads the fractions of older notes', () => {
    expect(valueOf('the 5 1 / 4 % Senior Notes', '5')).toEqual({ value: 5.25, unit: '%' });
    expect(valueOf('the 6-7/8% Debentures', '6')).toEqual({ value: 6.875, unit: '%' });
    expect(valueOf('the 5¼% notes', '5¼')).toEqual({ value: 5.25, unit: '%' });
    expect(valueOf('on 3 / 15 / 2020', '3')).toEqual({ value: 3, unit: null });
  });
});

describe('entityValue: written numbers', () => {
  it('reads common English numbers', () => {
    // Emerson 10-K 2022
    expect(valueOf('Product warranty expense is less than one-half of one percent of sales.', 'one')).toEqual({ value: 0.5, unit: '%' });
    expect(valueOf('interest at five percent per annum', 'five')).toEqual({ value: 5, unit: '%' });
    expect(valueOf('Five Hundred Million Dollars ($500,000,000) of notes', 'Five')).toEqual({ value: 500_000_000, unit: 'USD' });
    expect(valueOf('twenty-five million dollars', 'twenty')).toEqual({ value: 25_000_000, unit: 'USD' });
    expect(valueOf('one hundred and fifty thousand shares', 'one')).toEqual({ value: 150_000, unit: null });
  });

  it('gives null for an entity without a number', () => {
    expect(valueOf('the notes of the Company', 'notes')).toEqual({ value: null, unit: null });
    expect(entityValue('', 0, 0)).toEqual({ value: null, unit: null });
  });
});
