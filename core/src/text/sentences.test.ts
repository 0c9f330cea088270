import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitSentences } from './sentences.ts';
import { tokenizeWords } from './words.ts';
import { abbreviationKind } from './abbreviations.ts';

const sentences = (text: string) => splitSentences(text).map((s) => text.slice(s.start, s.end));

describe('splitSentences', () => {
  it('splits plain sentences and trims them', () => {
    expect(sentences('  The notes bear interest at 5.25% per annum.  They mature in 2025. ')).toEqual([
      'The notes bear interest at 5.25% per annum.',
      'They mature in 2025.',
    ]);
  });

  it('does not break inside numbers', () => {
    expect(sentences('Borrowings of $1.5 billion at 2.25% were repaid. The rate was 3.0%.')).toEqual([
      'Borrowings of $1.5 billion at 2.25% were repaid.',
      'The rate was 3.0%.',
    ]);
  });

  it('repairs false breaks after abbreviations and initials', () => {
    const one = [
      'We entered into an agreement with U.S. Bank National Association as agent.',
      'The loan from Acme Corp. Revolving Lenders is due in 2026.',
      'See Amendment No. 5 to the agreement.',
      'J. P. Morgan Securities LLC acted as arranger.',
      'The fee was approx. 50 basis points.',
      'Wells Fargo Bank, N.A. Syndicated Loans are secured.',
    ];
    for (const s of one) expect(sentences(s)).toEqual([s]);
  });

  it('knows every abbreviation the word tokeniser keeps whole, in capitals too', () => {
    const one = [
      'The loan from ACME CORP. Revolving Lenders is due in 2026.',
      'The loan from Acme Ltd. Revolving Lenders is due in 2026.',
      'Paid to ACME BROS. Holdings and ACME COS. Trust on JAN. 5.',
      'MESSRS. SMITH AND DR. JONES OF ACME CO. SIGNED AMENDMENT NO. 5 ON SEPT. 30.',
      'Paid to Acme Div. Holdings under Messrs. Smith and Jones.',
    ];
    for (const s of one) expect(sentences(s), s).toEqual([s]);
    // and in capitals, a new sentence after one still starts one
    expect(sentences('WE SOLD THE NOTES TO ACME CORP. THE NOTES BEAR INTEREST AT 4%.')).toEqual([
      'WE SOLD THE NOTES TO ACME CORP.',
      'THE NOTES BEAR INTEREST AT 4%.',
    ]);
  });

  it('ends a sentence after a designator\'s label (Class A., Series B., Schedule A.) when a capitalised word follows', () => {
    expect(sentences('The shares convert into shares of Class A. Holders may convert at any time.')).toEqual([
      'The shares convert into shares of Class A.',
      'Holders may convert at any time.',
    ]);
    expect(sentences('We redeemed the Series B. Dividends accrue at 8%.')).toEqual(['We redeemed the Series B.', 'Dividends accrue at 8%.']);
    expect(sentences('The fees are set out in Schedule A. Lenders receive them quarterly.')).toEqual([
      'The fees are set out in Schedule A.',
      'Lenders receive them quarterly.',
    ]);
    expect(sentences('HOLDERS OF CLASS B. SHARES VOTE.')).toEqual(['HOLDERS OF CLASS B.', 'SHARES VOTE.']);
    // an initial is still an initial
    expect(sentences('The Class A shares were sold to J. P. Morgan Securities LLC.')).toHaveLength(1);
  });

  it('agrees with the word tokeniser: a sentence ends after a label\'s period only where the tokeniser splits it off', () => {
    const [first, second] = sentences('shares of Class A. Holders may convert.');
    expect(tokenizeWords(first!).map((t) => t.text)).toEqual(['shares', 'of', 'Class', 'A', '.']);
    expect(tokenizeWords(second!).map((t) => t.text)).toEqual(['Holders', 'may', 'convert', '.']);
  });

  it('still ends a sentence after an abbreviation when a new sentence clearly starts', () => {
    expect(sentences('We sold the notes to Acme Inc. The notes bear interest at 4%.')).toEqual([
      'We sold the notes to Acme Inc.',
      'The notes bear interest at 4%.',
    ]);
    expect(sentences('Most of our sales are in the U.S. We also sell in Europe.')).toHaveLength(2);
  });

  it('goes on after an abbreviation when a parenthesis or a quote continues the sentence (FuelCell Energy 10-Ks)', () => {
    // FuelCell Energy, Inc. 10-K 2022-10-31 and 2023-10-31: each of these was two or three sentences
    const one = [
      'Fuel Cell Energy Finance II, LLC, a wholly owned subsidiary of FuelCell Energy Finance, LLC (“FCEF”), which, in turn, is a wholly owned subsidiary of FuelCell Energy, Inc. (“Parent”), entered into a Financing Agreement (as amended, the “Financing Agreement”) with Investec Bank plc.',
      'In November 2019, POSCO Energy spun-off its fuel cell business into a new entity, Korea Fuel Cell Co., Ltd. (“KFC”), without our consent.',
      'The goodwill and IPR&D asset are both held by the Company’s Versa Power Systems, Inc. (“Versa”) reporting unit.',
      'The Company entered into the License Agreements (as defined elsewhere herein) with POSCO Energy Co., Ltd. (“POSCO Energy”) in 2007, 2009 and 2012.',
      'The increase in product revenues is a result of module sales to Korea Fuel Cell Co., Ltd. (“KFC”) (a subsidiary of POSCO Energy Co., Ltd. (“POSCO Energy”)) for which the Company recognized $60.0 million.',
      'Our technology is deployed at 7 sites through our previous relationship with POSCO Energy Co., Ltd. (“POSCO Energy”).',
      'We entered into a credit agreement with Acme Holdings, Inc. (the “Borrower”) and Wells Fargo Bank, N.A. (the “Agent”) on May 1, 2023.',
      'The notes were issued by Acme Corp. “under the indenture” dated 2020.',
    ];
    for (const s of one) expect(sentences(s), s).toEqual([s]);
  });

  it('still ends a sentence after an abbreviation before a list item or a parenthesised sentence', () => {
    expect(sentences('The lenders include Acme Inc. (1) The notes bear interest at 4%.')).toEqual([
      'The lenders include Acme Inc.',
      '(1) The notes bear interest at 4%.',
    ]);
    expect(sentences('We sold the notes to Acme Inc. (See Note 5.)')).toEqual(['We sold the notes to Acme Inc.', '(See Note 5.)']);
    expect(sentences('We sold the notes to Acme Inc. “The Notes” bear interest at 4%.')).toHaveLength(2);
  });

  it('returns absolute spans of the requested slice', () => {
    const text = 'xx\nFirst one. Second one.\nyy';
    const spans = splitSentences(text, 3, 25);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['First one.', 'Second one.']);
  });

  it('never ends a sentence inside a word the tokeniser keeps whole, nor after a never-final abbreviation', () => {
    const piece = fc.constantFrom(
      'The', 'notes', 'Holders', 'Revolving', 'THE', 'LENDERS', 'Inc.', 'INC.', 'Corp.', 'CORP.', 'Co.', 'No.', 'NO.', 'Dr.', 'Jan.',
      'U.S.', 'N.A.', 'J.', 'A.', 'Class', 'Series', 'Schedule', 'rate.', '5.', '1.5%', 'e.g.', 'approx.', '“Notes”.', 'it.',
    );
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 25 }), (words) => {
        const text = words.join(' ');
        const spans = splitSentences(text);
        const whole = tokenizeWords(text);
        for (const { end } of spans.slice(0, -1)) {
          // every boundary falls between two tokens of the whole text
          expect(whole.some((t) => t.start < end && t.end > end), `${text} | cut at ${end}`).toBe(false);
          const last = whole.filter((t) => t.end <= end).at(-1)!;
          if (last.text.endsWith('.') && last.text.length > 1) {
            // an abbreviation kept whole may end a sentence, but never a never-final one
            expect(abbreviationKind(last.text.slice(0, -1)), `${text} | ${last.text}`).not.toBe('never-final');
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives ordered, disjoint, trimmed spans that cover every non-space character', () => {
    const piece = fc.constantFrom('The', 'notes', 'Inc.', 'U.S.', 'No.', '1.5%', '$', 'A.', 'It', 'rate.', 'end!', '(the', '“Notes”).', ' ', '  ');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (words) => {
        const text = words.join(' ');
        const spans = splitSentences(text);
        let at = 0;
        let covered = '';
        for (const { start, end } of spans) {
          expect(start).toBeGreaterThanOrEqual(at);
          expect(end).toBeGreaterThan(start);
          expect(text.slice(start, end)).toBe(text.slice(start, end).trim());
          covered += text.slice(start, end);
          at = end;
        }
        expect(covered.replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
      }),
      { numRuns: 200 },
    );
  });
});
