/**
 * Untagged repeats of a target fact: filers tag a figure once (often in a
 * table or the debt note) and repeat it untagged in MD&A, liquidity and
 * risk-factor prose. A word "repeats" a target fact when its number equals
 * the displayed value of one of the filing's facts of the four target tags,
 * wherever that fact stands. Whole-document training leaves such words out of
 * the loss, and whole-document evaluation counts predictions on them apart.
 *
 * No DOM and no Node APIs.
 */
import { SUBSET_LABELS } from '../ner/labels.ts';
import type { IxFact } from './extract.ts';

const NUMBER_RE = /^(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?$/;

/**
 * Canonical value of a plain number ("1,250.50" -> "1250.5", "05" -> "5"), or
 * undefined when the text is not one (words, dates, "10-K", "(500)", "").
 */
export function numberValue(text: string): string | undefined {
  if (!/\d/.test(text) || !NUMBER_RE.test(text)) return undefined;
  return String(Number(text.replace(/,/g, '')));
}

/** Subset id (1..4) of each target concept name. */
const TARGET_ID = new Map(SUBSET_LABELS.slice(1).map((label, i) => [`us-gaap:${label.slice('B-'.length)}`, i + 1]));

/**
 * The displayed values of a filing's target facts: canonical value -> the
 * subset id (1..4) of the type that shows it most often (the lower id on a tie).
 */
export function targetValues(facts: readonly Pick<IxFact, 'name' | 'value'>[]): Map<string, number> {
  const counts = new Map<string, number[]>();
  for (const fact of facts) {
    const id = TARGET_ID.get(fact.name);
    const value = id === undefined ? undefined : numberValue(fact.value);
    if (value === undefined) continue;
    let c = counts.get(value);
    if (!c) counts.set(value, (c = new Array<number>(SUBSET_LABELS.length).fill(0)));
    c[id!]!++;
  }
  const values = new Map<string, number>();
  for (const [value, c] of counts) values.set(value, c.indexOf(Math.max(...c)));
  return values;
}

/** `[word index, subset id]` of each unlabelled word (label 0) whose number is one of `values`. */
export function findRepeats(tokens: readonly string[], labels: readonly number[], values: ReadonlyMap<string, number>): [number, number][] {
  const found: [number, number][] = [];
  if (values.size === 0) return found;
  tokens.forEach((token, w) => {
    if (labels[w] !== 0) return;
    const value = numberValue(token);
    const id = value === undefined ? undefined : values.get(value);
    if (id !== undefined) found.push([w, id]);
  });
  return found;
}
