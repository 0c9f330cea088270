/**
 * Numbers the entity types' definitions rule out, whatever the model and the
 * context check say of them. Filers almost never tag these, so neither the
 * model nor the check learns them well from filers' tags, yet the wording is
 * plain (shared/docs/labels.md, spread over a variable rate: "Not: ... rate
 * floors, default-rate increases, basis-point changes"; on test, 2 of the
 * filers' 164 spread tags are such numbers):
 *
 * - `ratio`: a covenant ratio, "a leverage ratio not greater than 3.50 to
 *   1.00" (both numbers), read as a spread because it looks like "1.00 %";
 * - `change`: a change of a rate, "the margin would increase by 0.5 %",
 *   "a 1.0 % increase or decrease in interest rates";
 * - `floor`: a floor of the reference rate, "the greater of LIBOR or
 *   1.00 %", "with a floor of 0.50 %", "shall not be less than 0 %".
 *
 * The context check applies the rules its `verifier.json` names (`rules`).
 *
 * No DOM and no Node APIs.
 */

export const DEFINITION_RULES = ['ratio', 'change', 'floor'] as const;
export type DefinitionRule = (typeof DEFINITION_RULES)[number];

/** What each rule drops, in words (the model card, docs). */
export const DEFINITION_RULE_TEXT: Record<DefinitionRule, string> = {
  ratio: 'covenant ratios read as spreads ("3.50 to 1.00")',
  change: 'changes of a rate read as spreads ("would increase by 0.5 %")',
  floor: 'rate floors read as spreads ("the greater of LIBOR or 1.00 %")',
};

/** What one entity a rule drops is, in words (the app's tooltip). */
export const DEFINITION_RULE_NAME: Record<DefinitionRule, string> = {
  ratio: 'a covenant ratio',
  change: 'a change of a rate',
  floor: 'a rate floor',
};

const SPREAD = 'DebtInstrumentBasisSpreadOnVariableRate1';
/** The other side of a ratio: 1, 1.0, 1.00 */
const ONE = /^1(?:\.0+)?$/;
const HAS_DIGIT = /\p{Nd}/u;
/** Words that make "0.50 to 1.00" a range of rates, not a ratio: "0.50 to 1.00 %". */
const UNITS = new Set(['%', 'percent', 'basis', 'bps']);
const CHANGE_NOUNS = new Set(['increase', 'decrease', 'change']);
const CHANGE_VERB = /^(?:increas|decreas|chang)/;
/** How far back from the number `change` and `floor` look (never past the previous number). */
const BACK = 8;

/** The words since the previous number (at most BACK), nearest last. */
function since(lower: readonly string[], at: number): string[] {
  let from = at;
  while (from > 0 && at - from < BACK && !HAS_DIGIT.test(lower[from - 1]!)) from--;
  return lower.slice(from, at);
}

/** Whether the number at `at` is either side of a ratio "X to 1.00" not followed by a unit. */
function isRatio(lower: readonly string[], at: number): boolean {
  const word = (j: number) => lower[j] ?? '';
  if (word(at + 1) === 'to' && ONE.test(word(at + 2)) && !UNITS.has(word(at + 3))) return true;
  return at >= 2 && word(at - 1) === 'to' && ONE.test(word(at)) && HAS_DIGIT.test(word(at - 2)) && !UNITS.has(word(at + 1));
}

/** Whether the number at `at` is a change: "increase(d) ... by 0.5 %" or "a 1.0 % increase". */
function isChange(lower: readonly string[], at: number): boolean {
  if (CHANGE_NOUNS.has(lower[at + 2] ?? '') || CHANGE_NOUNS.has(lower[at + 3] ?? '')) return true;
  if (lower[at - 1] !== 'by' && lower[at - 2] !== 'by') return false;
  return since(lower, at).some((w) => CHANGE_VERB.test(w));
}

/** Whether the number at `at` is a floor: "floor" or "greater of" / "less than" / "minimum" just before it (not "... floor ) plus 1.00 %"), or "floor" just after. */
function isFloor(lower: readonly string[], at: number): boolean {
  for (let j = at + 1; j <= at + 3 && j < lower.length && !HAS_DIGIT.test(lower[j]!); j++) if (lower[j] === 'floor') return true;
  const before = since(lower, at).slice(-4);
  if (before.slice(-2).includes('plus')) return false;
  const text = ` ${before.join(' ')} `;
  return [' floor ', ' greater of ', ' less than ', ' minimum '].some((p) => text.includes(p));
}

const TESTS: Record<DefinitionRule, { type: string; test: (lower: readonly string[], at: number) => boolean }> = {
  ratio: { type: SPREAD, test: isRatio },
  change: { type: SPREAD, test: isChange },
  floor: { type: SPREAD, test: isFloor },
};

/** The first of `rules` that rules out an entity of `type` starting at word `at`, or undefined. */
export function ruledOut(rules: readonly DefinitionRule[], words: readonly string[], at: number, type: string): DefinitionRule | undefined {
  if (rules.length === 0) return undefined;
  const lower = words.map((w) => w.toLowerCase());
  return rules.find((r) => TESTS[r].type === type && TESTS[r].test(lower, at));
}
