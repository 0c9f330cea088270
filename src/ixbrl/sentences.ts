/**
 * Sentence splitting of one prose run: ICU's sentence rules (`Intl.Segmenter`,
 * in every browser and in Node), then a repair pass for the false breaks ICU
 * makes after abbreviations that filings are full of (`Inc.`, `U.S.`, `No.`,
 * `Corp.`, initials such as `J. P. Morgan`). ICU already keeps numbers such
 * as `1.5` whole and never breaks before a lower-case word.
 */

/** A half-open span [start, end) of UTF-16 indices into a text. */
export interface TextSpan {
  start: number;
  end: number;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Abbreviations that (practically) never end a sentence: always joined to what follows. */
const NEVER_FINAL: ReadonlySet<string> = new Set([
  'Mr.', 'Mrs.', 'Ms.', 'Dr.', 'No.', 'Nos.', 'no.', 'vs.', 'e.g.', 'i.e.', 'cf.', 'approx.', 'Approx.', 'Messrs.',
]);

/**
 * Abbreviations that may end a sentence ("... of Acme Inc. The Company ..."):
 * joined unless the next piece starts like a new sentence.
 */
const MAYBE_FINAL: ReadonlySet<string> = new Set([
  'Inc.', 'Corp.', 'Co.', 'Cos.', 'Ltd.', 'Bros.', 'Jr.', 'Sr.', 'St.', 'Ave.', 'Mt.', 'Intl.', 'Assn.', 'Dept.',
  'Jan.', 'Feb.', 'Mar.', 'Apr.', 'Jun.', 'Jul.', 'Aug.', 'Sep.', 'Sept.', 'Oct.', 'Nov.', 'Dec.', 'etc.', 'Ltda.',
]);

/** Dotted letters (`U.S.`, `N.A.`, `L.P.`) or a single capital initial (`J.`). */
const DOTTED_RE = /^(?:\p{L}\.){2,}$|^\p{Lu}\.$/u;

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

const LAST_WORD_RE = /(\S+)\s*$/;
const FIRST_WORD_RE = /^\s*([\p{L}\p{N}]+)/u;

/** Does a segment end with an abbreviation that should not end the sentence before `next`? */
function isFalseBreak(segment: string, next: string): boolean {
  const last = LAST_WORD_RE.exec(segment)?.[1];
  if (last === undefined || !last.endsWith('.')) return false;
  // "(U.S." or "“Inc." : look at the word itself
  const word = last.replace(/^[(\[“"'‘]+/, '');
  if (NEVER_FINAL.has(word)) return true;
  if (!MAYBE_FINAL.has(word) && !DOTTED_RE.test(word)) return false;
  const first = FIRST_WORD_RE.exec(next)?.[1];
  if (first === undefined) return false; // next starts with a quote or symbol: trust ICU
  return !SENTENCE_STARTERS.has(first);
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
