/**
 * The one list of abbreviations shared by the word tokeniser (`words.ts`:
 * which words keep their period) and the sentence splitter
 * (`ixbrl/sentences.ts`: after which periods a sentence does not end), so the
 * two always agree: a word that keeps its period never ends a sentence unless
 * a new sentence clearly starts after it.
 *
 * Case: an entry matches as written, capitalised (`approx` -> `Approx`) and in
 * capitals (`Corp` -> `CORP`, as in "ACME CORP."), not in other casings
 * (`inc`, `cORP`).
 */

/** Abbreviations that (practically) never end a sentence: the splitter always joins what follows. */
const NEVER_FINAL = ['Mr', 'Mrs', 'Ms', 'Dr', 'Messrs', 'No', 'Nos', 'vs', 'cf', 'approx', 'e.g', 'i.e'];

/**
 * Abbreviations that may end a sentence ("... of Acme Inc. The Company ..."):
 * the splitter joins what follows unless it starts like a new sentence.
 */
const MAYBE_FINAL = [
  'Inc', 'Corp', 'Co', 'Cos', 'Ltd', 'Ltda', 'Bros', 'Assn', 'Dept', 'Div', 'Intl',
  'Jr', 'Sr', 'St', 'Ave', 'Blvd', 'Mt', 'etc',
  'Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec',
];

function casings(word: string): string[] {
  return [word, word[0]!.toUpperCase() + word.slice(1), word.toUpperCase()];
}

function withCasings(words: readonly string[]): ReadonlySet<string> {
  return new Set(words.flatMap(casings));
}

const NEVER: ReadonlySet<string> = withCasings(NEVER_FINAL);
const MAYBE: ReadonlySet<string> = withCasings(MAYBE_FINAL);

/** Dotted letters without the final period: "U.S" of "U.S.", "e.g" of "e.g.", "N.A" of "N.A.". */
const DOTTED_LETTERS_RE = /^(?:\p{L}\.)+\p{L}$/u;
/** A single capital: an initial ("J. P. Morgan") or a designator's label ("Class A."). */
const INITIAL_RE = /^\p{Lu}$/u;

/**
 * Words after which a single capital is a label, not an initial: "Class A.",
 * "Series B.", "Schedule A." end a sentence when a new one follows.
 */
const DESIGNATORS: ReadonlySet<string> = withCasings([
  'Class', 'Series', 'Schedule', 'Exhibit', 'Annex', 'Appendix', 'Attachment', 'Tranche', 'Part', 'Loan', 'Facility',
]);

/**
 * How a word (without its period) followed by a period reads:
 * - 'never-final' and 'maybe-final': a listed abbreviation (see above);
 * - 'dotted': dotted letters (`U.S.`, `L.P.`, `N.A.`) or a single capital
 *   initial (`J.`), which may end a sentence like 'maybe-final';
 * - undefined: an ordinary word, whose period is a full stop.
 * Every kind but undefined keeps its period in the tokeniser.
 */
export type AbbreviationKind = 'never-final' | 'maybe-final' | 'dotted';

export function abbreviationKind(word: string): AbbreviationKind | undefined {
  if (NEVER.has(word)) return 'never-final';
  if (MAYBE.has(word)) return 'maybe-final';
  if (INITIAL_RE.test(word) || DOTTED_LETTERS_RE.test(word)) return 'dotted';
  return undefined;
}

/**
 * Is the single capital `word` (period following) the label of a designator
 * (`previous`, the word before it: "Class", "Series", "Schedule", ...)? Then
 * its period ends the sentence when the text after it is empty or starts,
 * after whitespace, with anything but a lower-case letter (`endsAfterLabel`).
 */
export function isDesignatorLabel(previous: string | undefined, word: string): boolean {
  return previous !== undefined && INITIAL_RE.test(word) && DESIGNATORS.has(previous);
}

const LABEL_END_RE = /\s*$|\s+[^\s\p{Ll}]/uy;

/** After a designator's label and its period, does text[at..] start a new sentence (or is it the end)? */
export function endsAfterLabel(text: string, at: number): boolean {
  LABEL_END_RE.lastIndex = at;
  return LABEL_END_RE.test(text);
}
