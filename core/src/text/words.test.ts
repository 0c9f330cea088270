import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tokenizeWords } from './words.ts';

const words = (text: string): string[] => tokenizeWords(text).map((t) => t.text);
const joined = (text: string): string => words(text).join(' ');

describe('tokenizeWords: FiNER-139 examples (docs/architecture.md)', () => {
  it('splits currency, commas, % and the sentence-final period', () => {
    expect(
      joined(
        'As of March 31, 2020, HHFNE had an outstanding $45.0 million loan facility, which bears interest at LIBOR plus 1.20% per annum.',
      ),
    ).toBe(
      'As of March 31 , 2020 , HHFNE had an outstanding $ 45.0 million loan facility , which bears interest at LIBOR plus 1.20 % per annum .',
    );
  });

  it('reproduces the train example of the dataset card', () => {
    expect(
      words('In March 2014, the Rialto segment issued an additional $100 million of the 7.00% Senior Notes, at a price of 102.25% of their face value in a private placement.'),
    ).toEqual([
      'In', 'March', '2014', ',', 'the', 'Rialto', 'segment', 'issued', 'an', 'additional', '$', '100', 'million', 'of', 'the',
      '7.00', '%', 'Senior', 'Notes', ',', 'at', 'a', 'price', 'of', '102.25', '%', 'of', 'their', 'face', 'value', 'in', 'a',
      'private', 'placement', '.',
    ]);
  });

  it("splits ASCII 's, hyphens, and the typographic apostrophe", () => {
    expect(joined("the Company's credit ratings")).toBe("the Company 's credit ratings");
    expect(joined('Euro-denominated foreign operations')).toBe('Euro - denominated foreign operations');
    expect(joined('the Company’s intangible assets')).toBe('the Company ’ s intangible assets');
  });
});

describe('tokenizeWords: tricky cases', () => {
  it('keeps decimal points and thousands separators inside numbers', () => {
    expect(words('$1,250.5 million')).toEqual(['$', '1,250.5', 'million']);
    expect(words('(2.25%)')).toEqual(['(', '2.25', '%', ')']);
    expect(words('from 2019, 2020 and 2021.')).toEqual(['from', '2019', ',', '2020', 'and', '2021', '.']);
  });

  it('keeps abbreviations whole but splits a sentence-final period', () => {
    expect(words('Apple Inc. and Foo Corp. (No. 5)')).toEqual(['Apple', 'Inc.', 'and', 'Foo', 'Corp.', '(', 'No.', '5', ')']);
    expect(words('in the U.S. by Acme Co., Ltd. and Bar L.P.')).toEqual([
      'in', 'the', 'U.S.', 'by', 'Acme', 'Co.', ',', 'Ltd.', 'and', 'Bar', 'L.P.',
    ]);
    expect(words('APPLE INC. and ACME CORP. filed.')).toEqual(['APPLE', 'INC.', 'and', 'ACME', 'CORP.', 'filed', '.']);
    expect(words('fees (e.g., legal) i.e. costs')).toEqual(['fees', '(', 'e.g.', ',', 'legal', ')', 'i.e.', 'costs']);
    expect(words('John J. Smith on Jan. 5 and Sept. 30')).toEqual(['John', 'J.', 'Smith', 'on', 'Jan.', '5', 'and', 'Sept.', '30']);
    expect(words('The rate is fixed. It was 5.')).toEqual(['The', 'rate', 'is', 'fixed', '.', 'It', 'was', '5', '.']);
  });

  it('knows the abbreviations the sentence splitter knows, capitalised and in capitals too', () => {
    expect(words('MESSRS. SMITH AND DR. JONES OF ACME BROS. ON JAN. 5 SIGNED AMENDMENT NO. 5')).toEqual([
      'MESSRS.', 'SMITH', 'AND', 'DR.', 'JONES', 'OF', 'ACME', 'BROS.', 'ON', 'JAN.', '5', 'SIGNED', 'AMENDMENT', 'NO.', '5',
    ]);
    expect(words('Acme Div. and Acme COS. and Acme Ltda. (cf. Approx. and APPROX.)')).toEqual([
      'Acme', 'Div.', 'and', 'Acme', 'COS.', 'and', 'Acme', 'Ltda.', '(', 'cf.', 'Approx.', 'and', 'APPROX.', ')',
    ]);
    // other casings are ordinary words
    expect(words('acme inc. and cORP.')).toEqual(['acme', 'inc', '.', 'and', 'cORP', '.']);
  });

  it("splits the period off a designator's label where a sentence ends (Class A., Series B., Schedule A.)", () => {
    expect(words('shares of Class A.')).toEqual(['shares', 'of', 'Class', 'A', '.']);
    expect(words('shares of Class A. Holders may convert.')).toEqual(['shares', 'of', 'Class', 'A', '.', 'Holders', 'may', 'convert', '.']);
    expect(words('the Series B. “Notes”')).toEqual(['the', 'Series', 'B', '.', '“', 'Notes', '”']);
    expect(words('see Schedule A.  ')).toEqual(['see', 'Schedule', 'A', '.']);
    expect(words('CLASS B. SHARES')).toEqual(['CLASS', 'B', '.', 'SHARES']);
    // a lower-case word after it, no designator before it, or no space: an initial as before
    expect(words('Class A. shares')).toEqual(['Class', 'A.', 'shares']);
    expect(words('John J. Smith and Class-A. Holders')).toEqual(['John', 'J.', 'Smith', 'and', 'Class', '-', 'A.', 'Holders']);
    expect(words('Class A shares')).toEqual(['Class', 'A', 'shares']);
  });

  it('makes separate tokens of punctuation and unicode quotes', () => {
    expect(words('“Notes”; term: 5/2025 [a] {b} "c" ‘d’')).toEqual([
      '“', 'Notes', '”', ';', 'term', ':', '5', '/', '2025', '[', 'a', ']', '{', 'b', '}', '"', 'c', '"', '‘', 'd', '’',
    ]);
    expect(words('€500 and £20 and ¥3')).toEqual(['€', '500', 'and', '£', '20', 'and', '¥', '3']);
    expect(words('10-K — 2023–2024')).toEqual(['10', '-', 'K', '—', '2023', '–', '2024']);
  });

  it("splits 's only at the end of a word", () => {
    expect(words("Companies' 'sample' Acme's")).toEqual(['Companies', "'", "'", 'sample', "'", 'Acme', "'s"]);
  });

  it('separates on non-breaking and other unicode spaces, with UTF-16 offsets', () => {
    const text = 'a\u00a0$5\u2009million\u3000😀x\u202fé';
    const tokens = tokenizeWords(text);
    expect(tokens.map((t) => t.text)).toEqual(['a', '$', '5', 'million', '😀', 'x', 'é']);
    expect(tokens[4]).toEqual({ text: '😀', start: 13, end: 15 }); // a surrogate pair: 2 UTF-16 units
    for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.text);
  });
});

// Tricky fragments mixed into random strings: spaces of every kind, lone and
// paired surrogates, combining marks, quotes, abbreviations, numbers.
const FRAGMENTS = [
  ' ', '\u00a0', '\t', '\n', '\u2028', '\u3000', '\ufeff', '\u200b', '\ud800', '\udc00', '😀', 'e\u0301', '’', "'s",
  '.', ',', 'Inc.', 'U.S.', '1,250.5', '$', '%', '-', 'a', '7',
];
const anyText = fc
  .array(
    fc.oneof(
      fc.constantFrom(...FRAGMENTS),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
    ),
    { maxLength: 20 },
  )
  .map((parts) => parts.join(''));

describe('tokenizeWords: properties', () => {
  it('tokens are exact, ordered, disjoint, whitespace-free slices covering every non-space character', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const tokens = tokenizeWords(text);
        const covered = new Uint8Array(text.length);
        let prevEnd = 0;
        for (const t of tokens) {
          expect(t.text.length).toBeGreaterThan(0);
          expect(text.slice(t.start, t.end)).toBe(t.text);
          expect(t.start).toBeGreaterThanOrEqual(prevEnd);
          expect(/\s/u.test(t.text)).toBe(false);
          covered.fill(1, t.start, t.end);
          prevEnd = t.end;
        }
        for (let i = 0; i < text.length; i++) {
          if (!covered[i]) expect(text[i]).toMatch(/\s/u);
        }
      }),
      { numRuns: 500 },
    );
  });
});
