/**
 * Word tokeniser that reproduces FiNER-139's tokenisation, with offsets.
 *
 *   "at LIBOR plus 1.20% per annum."  ->  at | LIBOR | plus | 1.20 | % | per | annum | .
 *
 * Rules (see docs/architecture.md, "Word tokenisation"):
 * - every Unicode whitespace character separates tokens and is never inside one;
 * - a word is a run of letters, marks and digits; a period between two word
 *   characters stays inside it (`1,250.5`, `Amazon.com`), a comma only between
 *   two digits (thousands separators);
 * - a period after a word is split off (sentence end) unless the word is an
 *   abbreviation: a known one (`Inc.`, `Corp.`, `No.`, `Jan.`), dotted letters
 *   (`U.S.`, `L.P.`, `e.g.`) or a single capital initial (`J.`);
 * - an ASCII `'s` is one token (`Company 's`); the typographic `’` is a token
 *   of its own (`Company ’ s`), as in the dataset;
 * - every other character (currency signs, `%`, brackets, hyphens, quotes,
 *   `,` `;` `:` `/`, emoji) is a token of one code point.
 *
 * One global regex scans the text, so tokenising costs one pass and one slice
 * per token. Offsets are UTF-16 indices into the original string.
 */

/** A word of the source text: `text === source.slice(start, end)`. */
export interface WordToken {
  text: string;
  start: number;
  end: number;
}

/** Abbreviations that keep their period (FiNER keeps `Inc.` whole). Case-sensitive. */
const ABBREVIATIONS: ReadonlySet<string> = new Set([
  'Inc', 'Corp', 'Co', 'Cos', 'Ltd', 'No', 'Nos', 'Bros', 'Assn', 'Dept', 'Div', 'Intl',
  'INC', 'CORP', 'CO', 'LTD', 'NO',
  'Mr', 'Mrs', 'Ms', 'Dr', 'Jr', 'Sr', 'St', 'Ave', 'Blvd', 'Mt', 'vs', 'etc', 'approx', 'Approx',
  'Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec',
]);

// Group 1: a word; group 2: a period right after it (kept or split below).
// Second branch: ASCII 's not followed by a word character. Last branch: any
// other non-whitespace code point, so every non-space character lands in a token.
const WORD = String.raw`[\p{L}\p{M}\p{N}]`;
const TOKEN_RE = new RegExp(
  String.raw`(${WORD}+(?:(?:\.|(?<=\p{Nd}),(?=\p{Nd}))${WORD}+)*)(\.?)|'[sS](?!${WORD})|\S`,
  'gu',
);
const DOTTED_LETTERS_RE = /^(?:\p{L}\.)+\p{L}$/u; // "U.S" of "U.S.", "e.g" of "e.g."
const INITIAL_RE = /^\p{Lu}$/u;

function keepsPeriod(word: string): boolean {
  return ABBREVIATIONS.has(word) || INITIAL_RE.test(word) || DOTTED_LETTERS_RE.test(word);
}

/** Split `text` into FiNER-style words with their UTF-16 offsets. */
export function tokenizeWords(text: string): WordToken[] {
  const tokens: WordToken[] = [];
  const re = new RegExp(TOKEN_RE); // own lastIndex: safe to call re-entrantly
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const start = m.index;
    const word = m[1];
    if (word !== undefined && m[2] === '.' && !keepsPeriod(word)) {
      const end = start + word.length;
      tokens.push({ text: word, start, end });
      tokens.push({ text: '.', start: end, end: end + 1 });
    } else {
      tokens.push({ text: m[0], start, end: start + m[0].length });
    }
  }
  return tokens;
}
