/**
 * Sentence splitting of one prose run: ICU's sentence rules (`Intl.Segmenter`,
 * in every browser and in Node), then a repair pass for the false breaks ICU
 * makes after abbreviations that filings are full of (`Inc.`, `CORP.`, `U.S.`,
 * `No.`, initials such as `J. P. Morgan`). The abbreviations are the word
 * tokeniser's (`ner/abbreviations.ts`), so a sentence ends after a period
 * only where the tokeniser makes that period a token of its own, or where an
 * abbreviation is followed by a word that clearly starts a new sentence. A
 * designator's label (`Class A.`, `Series B.`, `Schedule A.`) is no initial:
 * the sentence ends after it when a word that is not lower-case follows. ICU
 * already keeps numbers such as `1.5` whole and never breaks before a
 * lower-case word, but it does break before a parenthesis or a quote: after
 * an abbreviation, `FuelCell Energy, Inc. (“Parent”), entered into` and
 * `Korea Fuel Cell Co., Ltd. (“KFC”) reporting unit` go on, unless the
 * parenthesis opens an enumerator or a sentence of its own (`(1) The`,
 * `(See Note 5.)`).
 */
import { abbreviationKind, endsAfterLabel, isDesignatorLabel } from './abbreviations.ts';

/** A half-open span [start, end) of UTF-16 indices into a text. */
export interface TextSpan {
  start: number;
  end: number;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Words that start a sentence far more often than they continue a name after `Inc.` or `U.S.`. */
const SENTENCE_STARTERS: ReadonlySet<string> = new Set(
  (
    'A An The This These That Those There Their They It Its We Our Us In On At As For From By To With Under ' +
    'During Each Such All Any If When While Upon After Before Also Additionally However Accordingly Therefore ' +
    'Thus Pursuant See Refer Effective Following Prior Since Subject Other Total Both Some Most Certain ' +
    'Beginning Thereafter Further Furthermore Moreover Similarly Because Although Unless Until Where Whether ' +
    'Which Who What How Between Through Including Currently Generally Historically Finally First Second Third ' +
    'Based Given Due On Interest Borrowings Amounts Management Item Note Notes Refer Net Concurrently ' +
    'Simultaneously Per Approximately Then Here Has Have Had Is Are Was Were Will Would May Might Can Could ' +
    'Should Must Do Does Did Not Nor Neither None No One Two Three Four Five Six Seven Eight Nine Ten'
  ).split(' '),
);

// The last word of a segment when a period (and only whitespace) follows it, as the tokeniser reads words.
const LAST_WORD_RE = /([\p{L}\p{M}\p{N}]+(?:\.[\p{L}\p{M}\p{N}]+)*)\.\s*$/u;
const PREVIOUS_WORD_RE = /([\p{L}\p{M}\p{N}]+)\s+$/u;
const FIRST_WORD_RE = /^\s*([\p{L}\p{N}]+)/u;
// The first word after opening punctuation (quotes, a parenthesis, a bracket), which ICU breaks before.
const OPENED_WORD_RE = /^\s*[(\[“‘"']+\s*([\p{L}\p{N}]+)/u;
// `(1) The`, `(a) Holders`, `(iv) Each`: an enumerator that starts a list item.
const ENUMERATOR_RE = /^\s*\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)\s+\p{Lu}/u;

/** A sentence starter as written, or in capitals (`THE`). */
function startsSentence(word: string): boolean {
  if (SENTENCE_STARTERS.has(word)) return true;
  return word.length > 1 && word === word.toUpperCase() && SENTENCE_STARTERS.has(word[0] + word.slice(1).toLowerCase());
}

/** Does a segment end with an abbreviation that should not end the sentence before `next`? */
function isFalseBreak(segment: string, next: string): boolean {
  const tail = segment.slice(-200); // the last word and the one before it
  const m = LAST_WORD_RE.exec(tail);
  if (m === null) return false;
  const word = m[1]!;
  const kind = abbreviationKind(word);
  if (kind === undefined) return false;
  if (kind === 'never-final') return true;
  if (kind === 'dotted' && isDesignatorLabel(PREVIOUS_WORD_RE.exec(tail.slice(0, m.index))?.[1], word)) {
    // "Class A. Holders ...": the label, then a new sentence (the tokeniser splits this period off too)
    if (endsAfterLabel(tail + next, m.index + word.length + 1)) return false;
  }
  const first = FIRST_WORD_RE.exec(next)?.[1];
  if (first !== undefined) return !startsSentence(first);
  // `Inc. (“Parent”), entered into`: a defined term or a lower-case word after the abbreviation goes on
  const opened = OPENED_WORD_RE.exec(next)?.[1];
  if (opened === undefined || ENUMERATOR_RE.test(next)) return false; // another symbol, or a list item: trust ICU
  return !startsSentence(opened);
}

/**
 * Sentences of text.slice(start, end), as absolute spans with surrounding
 * whitespace trimmed. Empty and whitespace-only pieces are dropped.
 */
export function splitSentences(text: string, start = 0, end = text.length): TextSpan[] {
  const piece = text.slice(start, end);
  const spans: TextSpan[] = [];
  let open: TextSpan | undefined;
  let openText = '';
  for (const { segment, index } of segmenter.segment(piece)) {
    if (open !== undefined && isFalseBreak(openText, segment)) {
      open.end = start + index + segment.length;
      openText = segment;
      continue;
    }
    if (open !== undefined) spans.push(open);
    open = { start: start + index, end: start + index + segment.length };
    openText = segment;
  }
  if (open !== undefined) spans.push(open);
  return spans.map((s) => trimSpan(text, s)).filter((s) => s.end > s.start);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13 || code === 0xa0 || (code >= 0x2000 && code <= 0x200a);
}

function trimSpan(text: string, span: TextSpan): TextSpan {
  let { start, end } = span;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return { start, end };
}
