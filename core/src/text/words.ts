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
 *   abbreviation (`abbreviations.ts`, the list the sentence splitter uses too):
 *   a known one (`Inc.`, `Corp.`, `CORP.`, `No.`, `Jan.`), dotted letters
 *   (`U.S.`, `L.P.`, `e.g.`) or a single capital initial (`J.`); but a
 *   designator's label (`Class A.`, `Series B.`) gives up its period where a
 *   sentence ends: at the end of the text or before a word that is not lower-case;
 * - an ASCII `'s` is one token (`Company 's`); the typographic `’` is a token
 *   of its own (`Company ’ s`), as in the dataset;
 * - every other character (currency signs, `%`, brackets, hyphens, quotes,
 *   `,` `;` `:` `/`, emoji) is a token of one code point.
 *
 * One global regex scans the text, so tokenising costs one pass and one slice
 * per token. Offsets are UTF-16 indices into the original string.
 */

import { abbreviationKind, endsAfterLabel, isDesignatorLabel } from './abbreviations.ts';

/** A word of the source text: `text === source.slice(start, end)`. */
export interface WordToken {
  text: string;
  start: number;
  end: number;
}

// Group 1: a word; group 2: a period right after it (kept or split below).
// Second branch: ASCII 's not followed by a word character. Last branch: any
// other non-whitespace code point, so every non-space character lands in a token.
const WORD = String.raw`[\p{L}\p{M}\p{N}]`;
const TOKEN_RE = new RegExp(
  String.raw`(${WORD}+(?:(?:\.|(?<=\p{Nd}),(?=\p{Nd}))${WORD}+)*)(\.?)|'[sS](?!${WORD})|\S`,
  'gu',
);

/** Is the period after `word` (at `start`; the text goes on at `after`) a token of its own? */
function splitsPeriod(tokens: readonly WordToken[], word: string, start: number, text: string, after: number): boolean {
  const kind = abbreviationKind(word);
  if (kind === undefined) return true;
  if (kind !== 'dotted') return false;
  const previous = tokens[tokens.length - 1]; // the word before, if whitespace separates them
  return previous !== undefined && previous.end < start && isDesignatorLabel(previous.text, word) && endsAfterLabel(text, after);
}

/** Split `text` into FiNER-style words with their UTF-16 offsets. */
export function tokenizeWords(text: string): WordToken[] {
  const tokens: WordToken[] = [];
  const re = new RegExp(TOKEN_RE); // own lastIndex: safe to call re-entrantly
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const start = m.index;
    const word = m[1];
    if (word !== undefined && m[2] === '.' && splitsPeriod(tokens, word, start, text, re.lastIndex)) {
      const end = start + word.length;
      tokens.push({ text: word, start, end });
      tokens.push({ text: '.', start: end, end: end + 1 });
    } else {
      tokens.push({ text: m[0], start, end: start + m[0].length });
    }
  }
  return tokens;
}
