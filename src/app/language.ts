/**
 * Is a text English prose? The model was trained on English 10-Ks only: on
 * Chinese it tags a "、" as a face amount and a clause without a digit as a
 * spread. Two measures, both cheap on a whole 10-K:
 *
 *   script share     the share of letters outside the Latin script, a Han,
 *                    kana or Hangul character weighing as much as 3 Latin
 *                    letters (a word of English is 5 letters, of Chinese 1.5
 *                    characters)
 *   stop-word share  the share of Latin words that are English function words
 *                    (the, of, and, ...): English prose has 25-45%, a whole
 *                    10-K with its tables of numbers 26-36% (40 filings of
 *                    ../shared/data/ixbrl), German, French or Spanish prose
 *                    0-5%. Words common in those languages too (a, in, an,
 *                    on, also, was, will, no, per, die) are not counted. A
 *                    text short of English function words is another
 *                    language only when it has more of another language's
 *                    (der, und, le, et, el, y, ...): a pasted financial
 *                    statement, row labels and numbers, has few of either.
 *
 * Text with too few words to judge (a heading, a one-line fragment) is judged
 * by its script alone.
 */

export interface LanguageCheck {
  english: boolean;
  /** Weighted share of letters outside the Latin script (0..1). */
  otherScriptShare: number;
  /** The script most of those letters are in, e.g. `Chinese or Japanese`; absent when there are none. */
  otherScript?: string;
  /** Share of the Latin words that are English function words (0..1). */
  stopWordShare: number;
  /** Share of the Latin words that are function words of other languages written in Latin script (0..1). */
  foreignStopWordShare: number;
  /** Latin words counted (of the sampled text). */
  latinWords: number;
  /** Why the text is not taken for English prose, in plain words; absent when it is. */
  reason?: string;
}

/** Above this weighted share of other-script letters, the text is not English. */
export const MAX_OTHER_SCRIPT = 0.2;
/** Below this share of function words, a text of at least MIN_WORDS Latin words is not English prose. */
export const MIN_STOP_WORDS = 0.1;
export const MIN_WORDS = 20;
/** At most this many characters are read (evenly spread slices of a longer text): the check runs on the page's thread. */
export const SAMPLE_CHARS = 100_000;
const SLICES = 10;

const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'the of and to for with as by at from or be are were been being this that these those which who whom whose ' +
    'its it our we us they their them he his she her you your has have had not than then such into upon under ' +
    'over each any all other more most some only would could should shall can must may if but there when where ' +
    'while about after before between during through against within without until since because both either ' +
    'neither nor what how whether'
  ).split(' '),
);

/** Function words of German, French, Spanish, Italian, Portuguese, Dutch, Polish, Turkish, Indonesian: none an English word. */
const FOREIGN_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'der die das und den dem des mit ist sich auf für nicht eine einer eines wird werden sind zur zum vom ' +
    'le la les et du une est pour dans par au aux sur que qui pas sont été ' +
    'el los las del y por con para una que se su sus es al lo como más ' +
    'il di che della delle dei gli per non sono alla ' +
    'os do da dos das em com não uma para pelo pela ' +
    'het een van en niet zijn voor ook bij ' +
    'w z na się nie jest oraz ' +
    've bir bu ile için olarak ' +
    'yang dan di dengan untuk dari ini'
  ).split(' '),
);

const SCRIPTS: ReadonlyArray<{ name: string; re: RegExp; weight: number }> = [
  { name: 'Chinese or Japanese', re: /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u, weight: 3 },
  { name: 'Korean', re: /\p{Script=Hangul}/u, weight: 3 },
  { name: 'Cyrillic', re: /\p{Script=Cyrillic}/u, weight: 1 },
  { name: 'Greek', re: /\p{Script=Greek}/u, weight: 1 },
  { name: 'Arabic', re: /\p{Script=Arabic}/u, weight: 1 },
  { name: 'Hebrew', re: /\p{Script=Hebrew}/u, weight: 1 },
  { name: 'Devanagari', re: /\p{Script=Devanagari}/u, weight: 1 },
  { name: 'Thai', re: /\p{Script=Thai}/u, weight: 1 },
];

const LETTER_RE = /\p{L}/u;
const LATIN_RE = /\p{Script=Latin}/u;
// punctuation of CJK text (、。，「」) counts as its script: a clause of Chinese is often short on letters
const CJK_PUNCTUATION_RE = /[\u3000-\u303f\uff01-\uff0f\uff1a-\uff20]/u;
const LATIN_WORD_RE = /\p{Script=Latin}+/gu;

/** The text itself, or evenly spread slices of it adding up to `max` characters. */
export function sample(text: string, max = SAMPLE_CHARS): string {
  if (text.length <= max) return text;
  const size = Math.floor(max / SLICES);
  const step = Math.floor((text.length - size) / (SLICES - 1));
  return Array.from({ length: SLICES }, (_, i) => text.slice(i * step, i * step + size)).join('\n');
}

export function checkLanguage(text: string): LanguageCheck {
  const s = sample(text);
  let latin = 0;
  let other = 0;
  const byScript = new Map<string, number>();
  for (const ch of s) {
    const isLetter = LETTER_RE.test(ch);
    if (isLetter && LATIN_RE.test(ch)) {
      latin++;
      continue;
    }
    if (!isLetter && !CJK_PUNCTUATION_RE.test(ch)) continue;
    const script = isLetter ? SCRIPTS.find((x) => x.re.test(ch)) : SCRIPTS[0]!;
    const weight = script?.weight ?? 1;
    other += weight;
    const name = script?.name ?? 'another script';
    byScript.set(name, (byScript.get(name) ?? 0) + weight);
  }
  const words = s.match(LATIN_WORD_RE) ?? [];
  let stops = 0;
  let foreign = 0;
  for (const w of words) {
    const lower = w.toLowerCase();
    if (STOP_WORDS.has(lower)) stops++;
    else if (FOREIGN_STOP_WORDS.has(lower)) foreign++;
  }
  const otherScriptShare = latin + other === 0 ? 0 : other / (latin + other);
  const stopWordShare = words.length === 0 ? 0 : stops / words.length;
  const foreignStopWordShare = words.length === 0 ? 0 : foreign / words.length;
  const otherScript = [...byScript].sort((a, b) => b[1] - a[1])[0]?.[0];
  const check: LanguageCheck = { english: true, otherScriptShare, stopWordShare, foreignStopWordShare, latinWords: words.length, ...(otherScript ? { otherScript } : {}) };
  if (otherScriptShare > MAX_OTHER_SCRIPT) {
    return { ...check, english: false, reason: `about ${percent(otherScriptShare)} of it is in ${otherScript} script` };
  }
  if (words.length >= MIN_WORDS && stopWordShare < MIN_STOP_WORDS && foreignStopWordShare > stopWordShare) {
    return {
      ...check,
      english: false,
      reason: `only ${percent(stopWordShare)} of its words are common English words such as "the", "of" or "and" (English prose has 25% or more)`,
    };
  }
  return check;
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}
