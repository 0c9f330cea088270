/**
 * Debt vocabulary: a sentence without any of these words (no note, debt,
 * credit, loan, facility, borrowing, principal, interest, rate, reference
 * rate, indenture, ...) cannot state one of the four entity types, so an
 * entity predicted there is the clearest kind of false alarm. Whole-document
 * evaluation counts them apart; whole-document training can draw its
 * negatives from such sentences.
 *
 * No DOM and no Node APIs.
 */
const DEBT_WORD_RE =
  /\b(?:notes?|debts?|debentures?|bonds?|credit|loans?|facilit(?:y|ies)|borrow\w*|lend\w*|principal|interest|rates?|libor|sofr|sonia|euribor|prime|indentures?|revolv\w*|mortgages?|convertible|coupon|basis\s+points?|spread)\b/i;

/** Whether the words (or text) hold debt vocabulary. */
export function hasDebtWords(words: string | readonly string[]): boolean {
  return DEBT_WORD_RE.test(typeof words === 'string' ? words : words.join(' '));
}
