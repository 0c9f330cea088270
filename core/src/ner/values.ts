/**
 * What an entity's number means: its value in base units and its unit, read
 * from the entity and the characters around it in its sentence.
 *
 *   "issued $ 500.0 million of notes"    500.0  ->  500000000 USD
 *   "bear interest at 4.125 % per annum"  4.125  ->  4.125 %
 *   "LIBOR plus 275 basis points"          275    ->  2.75 %
 *   "RMB9.0 billion", "€300m", "¥ 92.0 bn", "5 1/4%", "one-half of one percent"
 *
 * The model tags the number word alone (`500`, `4.125`), so the currency sign
 * or code before it and the scale, percent or currency word after it are
 * looked for in the sentence. A unit the text does not give is null, never
 * guessed; a scale abbreviation that could be something else (`m`, `b`, `k`)
 * counts only after a currency. Parentheses around an amount are skipped, not
 * read as a minus: in prose they enclose a figure restating the one before.
 */

/** A number in base units (`500000000` for $500 million; percent points for a rate) and its ISO 4217 code or `%`. */
export interface EntityValue {
  value: number | null;
  unit: string | null;
}

/** ISO 4217 codes read where the text writes them (`EUR 300`, `300 million USD`). */
const ISO_CODES = new Set(
  ('USD EUR GBP CNY JPY CAD CHF AUD INR KRW HKD SEK NOK DKK MXN BRL NZD SGD TWD ZAR TRY RUB PLN ILS THB MYR IDR PHP CZK HUF CLP COP ' +
    'ARS PEN AED SAR EGP NGN KES VND').split(' '),
);

/**
 * Signs written right before the number, a prefixed dollar before the bare one (`US$`, `HK$` before `$`).
 * A one-letter prefix counts only written against the sign (`C$`, not `Series C $`).
 */
const SIGNS: ReadonlyArray<[RegExp, string]> = [
  [/(?:^|[^\p{L}])(?:US|U\.S\.)\s*\$$/u, 'USD'],
  [/(?:^|[^\p{L}])(?:C\$|(?:CA|CAD|CDN|Cdn)\s*\$)$/u, 'CAD'],
  [/(?:^|[^\p{L}])(?:A\$|(?:AU|AUD)\s*\$)$/u, 'AUD'],
  [/(?:^|[^\p{L}])(?:HK|HKD)\s*\$$/u, 'HKD'],
  [/(?:^|[^\p{L}])(?:NZ|NZD)\s*\$$/u, 'NZD'],
  [/(?:^|[^\p{L}])(?:S\$|(?:SG|SGD)\s*\$)$/u, 'SGD'],
  [/(?:^|[^\p{L}])(?:NT|NTD)\s*\$$/u, 'TWD'],
  [/(?:^|[^\p{L}])(?:Mex|MX)\s*\$$/u, 'MXN'],
  [/(?:^|[^\p{L}])R\$$/u, 'BRL'],
  [/\$$/, 'USD'],
  [/€$/, 'EUR'],
  [/£$/, 'GBP'],
  [/(?:^|[^\p{L}])(?:RMB|CN)\s*[¥￥]$/u, 'CNY'],
  [/[¥￥]$/, 'JPY'], // the yen's sign; Chinese filers write RMB (read below)
  [/₹$/, 'INR'],
  [/₩$/, 'KRW'],
  [/₪$/, 'ILS'],
  [/(?:^|[^\p{L}])(?:RMB|Rmb|Renminbi)$/u, 'CNY'],
  [/(?:^|[^\p{L}])Rs\.?$/u, 'INR'],
  [/(?:^|[^\p{L}])Ps\.$/u, 'MXN'],
];

/** Currency words after the number (and its scale): `500 million euros`, `4.9 billion Indian rupees`. */
const CURRENCY_WORDS: ReadonlyArray<[RegExp, string]> = [
  [/^(?:U\.S\.|US|United States)\s*dollars?\b/i, 'USD'],
  [/^Canadian\s+dollars?\b/i, 'CAD'],
  [/^Australian\s+dollars?\b/i, 'AUD'],
  [/^Hong\s+Kong\s+dollars?\b/i, 'HKD'],
  [/^New\s+Zealand\s+dollars?\b/i, 'NZD'],
  [/^Singapore\s+dollars?\b/i, 'SGD'],
  [/^(?:New\s+)?Taiwan\s+dollars?\b/i, 'TWD'],
  [/^dollars?\b/i, 'USD'],
  [/^euros?\b/i, 'EUR'],
  [/^(?:pounds?\s+sterling|British\s+pounds?|sterling)\b/i, 'GBP'],
  [/^(?:Japanese\s+)?yen\b/i, 'JPY'],
  [/^(?:Chinese\s+)?(?:Renminbi|RMB|yuan)\b/i, 'CNY'],
  [/^Swiss\s+francs?\b/i, 'CHF'],
  [/^(?:Indian\s+)?rupees?\b/i, 'INR'],
  [/^(?:South\s+)?Korean\s+won\b/i, 'KRW'],
  [/^Swedish\s+kron(?:or|a)\b/i, 'SEK'],
  [/^Norwegian\s+kron(?:er|e)\b/i, 'NOK'],
  [/^Danish\s+kron(?:er|e)\b/i, 'DKK'],
  [/^Mexican\s+pesos?\b/i, 'MXN'],
  [/^(?:Brazilian\s+)?reais\b|^Brazilian\s+real\b/i, 'BRL'],
];

/** Scale words after the number; `currencyOnly` ones (`$5m`, `$2B`, `$500k`) mean a scale only after a currency. */
const SCALES: ReadonlyArray<{ re: RegExp; exponent: number; currencyOnly?: boolean }> = [
  { re: /^-?\s*thousand\b/i, exponent: 3 },
  { re: /^-?\s*million\b/i, exponent: 6 },
  { re: /^-?\s*billion\b/i, exponent: 9 },
  { re: /^-?\s*trillion\b/i, exponent: 12 },
  { re: /^(?:mm|MM|mn|mln|Mn)(?![\p{L}\p{N}])/u, exponent: 6 },
  { re: /^(?:bn|Bn|BN)(?![\p{L}\p{N}])/u, exponent: 9 },
  { re: /^[kK](?![\p{L}\p{N}])/u, exponent: 3, currencyOnly: true },
  { re: /^[mM](?![\p{L}\p{N}])/u, exponent: 6, currencyOnly: true },
  { re: /^[bB](?![\p{L}\p{N}])/u, exponent: 9, currencyOnly: true },
];

const PERCENT = /^(?:%|％|percent\b|per\s*cent\b|pct\b|percentage\s+points?\b)/i;
const BASIS_POINTS = /^(?:basis\s*-?\s*points?|bps|bp)(?![\p{L}\p{N}])/iu;
/** `one-half of one percent`: a fraction of a percent is that many percent. */
const OF_ONE_PERCENT = /^of\s+(?:one|1)\s*(?:%|percent\b|per\s*cent\b)/i;

/** A number in ASCII digits: thousands commas, decimals. */
const NUMBER = /\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+/;
/** `5 1/4`, `5-1/4`: the fraction after a whole number, as older notes write rates. */
const FRACTION = /^(?:\s*-\s*|\s+)(\d{1,2})\s*\/\s*(2|4|8|16|32)(?!\d)/;
const VULGAR: Readonly<Record<string, number>> = { '¼': 0.25, '½': 0.5, '¾': 0.75, '⅛': 0.125, '⅜': 0.375, '⅝': 0.625, '⅞': 0.875 };

/** The value and unit of the entity at `[start, end)` of `sentence` (UTF-16 offsets). */
export function entityValue(sentence: string, start: number, end: number): EntityValue {
  const number = numberIn(sentence, start, end);
  if (!number) return { value: null, unit: null };
  // Only the characters near the number matter; slicing keeps the anchored regexes short on a long sentence.
  const left = sentence.slice(Math.max(0, number.start - 24), number.start).replace(/[\s(]+$/, '');
  let right = sentence.slice(number.end, number.end + 64);
  let { digits, fraction } = number;
  const whole = FRACTION.exec(right);
  if (whole && fraction === 0 && !digits.includes('.') && +whole[1]! < +whole[2]!) {
    fraction = +whole[1]! / +whole[2]!;
    right = right.slice(whole[0].length);
  }
  right = right.replace(/^\s+/, '');

  if (BASIS_POINTS.test(right)) return { value: scaled(digits, fraction, -2), unit: '%' };
  if (PERCENT.test(right) || (number.written && OF_ONE_PERCENT.test(right))) return { value: scaled(digits, fraction, 0), unit: '%' };

  let unit = signBefore(left);
  const scale = SCALES.find((s) => s.re.test(right) && (unit !== null || !s.currencyOnly));
  const exponent = scale ? scale.exponent : number.exponent;
  if (scale) right = right.replace(scale.re, '').replace(/^\s+/, '');
  unit ??= currencyAfter(right);
  return { value: scaled(digits, fraction, exponent), unit };
}

interface FoundNumber {
  start: number;
  end: number;
  /** Decimal digits without thousands commas, e.g. `1250.5`. */
  digits: string;
  /** A fraction to add (`5¼`). */
  fraction: number;
  /** Power of ten a written number already carries (`five hundred million`: digits 500, exponent 6). */
  exponent: number;
  written: boolean;
}

/** The first number inside `[start, end)`: digits, or an English number in words. */
function numberIn(sentence: string, start: number, end: number): FoundNumber | null {
  const text = sentence.slice(start, end);
  const m = NUMBER.exec(text);
  if (m) {
    const numEnd = start + m.index + m[0].length;
    const vulgar = VULGAR[sentence[numEnd] ?? ''];
    return {
      start: start + m.index,
      end: vulgar === undefined ? numEnd : numEnd + 1,
      digits: m[0].replace(/,/g, ''),
      fraction: vulgar ?? 0,
      exponent: 0,
      written: false,
    };
  }
  const leading = /^[½¼¾⅛⅜⅝⅞]/.exec(text);
  if (leading) return { start, end: start + 1, digits: '0', fraction: VULGAR[leading[0]]!, exponent: 0, written: false };
  return writtenNumber(sentence, start, end);
}

const UNITS = 'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen'.split(' ');
const TENS = 'twenty thirty forty fifty sixty seventy eighty ninety'.split(' ');
const FRACTIONS: Readonly<Record<string, number>> = {
  half: 0.5, quarter: 0.25, quarters: 0.25, fourth: 0.25, fourths: 0.25, eighth: 0.125, eighths: 0.125, third: 1 / 3, thirds: 1 / 3,
};
const MULTIPLIERS: Readonly<Record<string, number>> = { hundred: 2, thousand: 3, million: 6, billion: 9 };

/**
 * An English number starting at the entity (`five`, `twenty-five`, `five hundred million`, `one-half`),
 * read on to the right while the words go on being a number. Below a million the value is exact in
 * `digits`; larger scales go to `exponent` so that `scaled` shifts the decimal point, not a float.
 */
function writtenNumber(sentence: string, start: number, end: number): FoundNumber | null {
  const WORD = /[A-Za-z]+/y;
  let at = start;
  let total = 0;
  let current = 0;
  let exponent = 0;
  let fraction: number | null = null;
  let numEnd = -1;
  for (;;) {
    WORD.lastIndex = at;
    const m = WORD.exec(sentence);
    if (!m || (at >= end && numEnd < 0)) break;
    const word = m[0].toLowerCase();
    const unit = UNITS.indexOf(word);
    const ten = TENS.indexOf(word);
    if (unit >= 0) current += unit;
    else if (ten >= 0) current += 20 + 10 * ten;
    else if (word === 'hundred' && current > 0) current *= 100;
    else if ((word === 'thousand' || word === 'million' || word === 'billion') && current + total > 0 && exponent === 0) {
      if (word === 'thousand') (total += current * 1000), (current = 0);
      else (total += current), (current = 0), (exponent = MULTIPLIERS[word]!);
    } else if (FRACTIONS[word] !== undefined && current > 0 && total === 0) {
      fraction = current * FRACTIONS[word]!;
      numEnd = m.index + m[0].length;
      break;
    } else if (word === 'and' && numEnd >= 0) {
      at = m.index + m[0].length;
      at += /^\s*/.exec(sentence.slice(at))![0].length;
      continue;
    } else break;
    numEnd = m.index + m[0].length;
    const gap = /^(?:\s+|\s*-\s*)/.exec(sentence.slice(numEnd, numEnd + 8));
    if (!gap) break;
    at = numEnd + gap[0].length;
  }
  if (numEnd < 0) return null;
  if (fraction !== null) return { start, end: numEnd, digits: '0', fraction, exponent: 0, written: true };
  return { start, end: numEnd, digits: String(total + current), fraction: 0, exponent, written: true };
}

/** `digits` (plus `fraction`) times 10^exponent, the decimal point moved in the string so that 1.1 million is 1100000 exactly. */
function scaled(digits: string, fraction: number, exponent: number): number | null {
  const value = Number(`${digits}e${exponent}`) + (fraction ? Number(`${fraction}e${exponent}`) : 0);
  return Number.isFinite(value) ? value : null;
}

function signBefore(left: string): string | null {
  for (const [re, code] of SIGNS) if (re.test(left)) return code;
  const code = /(?:^|[^\p{L}])(\p{Lu}{3})$/u.exec(left);
  return code && ISO_CODES.has(code[1]!) ? code[1]! : null;
}

function currencyAfter(right: string): string | null {
  const code = /^(\p{Lu}{3})(?![\p{L}\p{N}])/u.exec(right);
  if (code && ISO_CODES.has(code[1]!)) return code[1]!;
  for (const [re, name] of CURRENCY_WORDS) if (re.test(right)) return name;
  return null;
}
