import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitSentences } from './sentences.ts';

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

  it('still ends a sentence after an abbreviation when a new sentence clearly starts', () => {
    expect(sentences('We sold the notes to Acme Inc. The notes bear interest at 4%.')).toEqual([
      'We sold the notes to Acme Inc.',
      'The notes bear interest at 4%.',
    ]);
    expect(sentences('Most of our sales are in the U.S. We also sell in Europe.')).toHaveLength(2);
  });

  it('returns absolute spans of the requested slice', () => {
    const text = 'xx\nFirst one. Second one.\nyy';
    const spans = splitSentences(text, 3, 25);
    expect(spans.map((s) => text.slice(s.start, s.end))).toEqual(['First one.', 'Second one.']);
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
