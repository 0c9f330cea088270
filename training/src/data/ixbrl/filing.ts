/** One filing read and labelled, reduced to what the dataset needs (its document is gone by now). */
import { SUBSET_LABELS, finerBId } from '../../../../src/ner/labels.ts';
import type { ExtractedFiling, FactPlace } from '../../../../src/ixbrl/extract.ts';
import type { FactFate, LabelledFiling, LabelledSentence } from '../../../../src/ixbrl/label.ts';

/** The four target tags, in the subset's id order (new ids 1..4). */
export const TARGET_TAGS: readonly string[] = SUBSET_LABELS.slice(1).map((label) => label.slice('B-'.length));
const TARGET_INDEX = new Map(TARGET_TAGS.map((tag, i) => [`us-gaap:${tag}`, i]));
/** FiNER B- id of each target tag. */
export const TARGET_B_IDS: readonly number[] = TARGET_TAGS.map((tag) => finerBId(tag)!);

/** Per target tag (index as TARGET_TAGS): how many `ix:nonFraction` facts stand where. */
export type PlaceCounts = Record<FactPlace, number>;

export interface TargetFact {
  /** Target tag index (0..3, as TARGET_TAGS). */
  target: number;
  /** Index of its first word (the B- label) in the sentence. */
  word: number;
}

/** A sentence kept from one filing, ready to be deduplicated and written. */
export interface SentenceRecord {
  start: number;
  end: number;
  /** JSON of the token array: the line's `tokens` and the key for exact-duplicate checks. */
  tokensJson: string;
  /**
   * FiNER label id of each token as one UTF-16 code unit (ids < 279): a string
   * is the most compact immutable array V8 has, and with --all-sentences
   * there are close to a million of these in memory.
   */
  tags: string;
  /** The target facts labelled in this sentence. */
  targetFacts: readonly TargetFact[];
}

export interface FilingRecord {
  /** File name, the `source` of its sentences. */
  source: string;
  path: string;
  company: string;
  sentences: SentenceRecord[];
  places: PlaceCounts[];
  /** Per target tag: prose facts by fate in the labeller. */
  fates: Record<FactFate, number>[];
}

function tagString(ids: readonly number[]): string {
  let out = '';
  for (let i = 0; i < ids.length; i += 4096) out += String.fromCharCode(...ids.slice(i, i + 4096));
  return out;
}

const NO_TARGET_FACTS: readonly TargetFact[] = Object.freeze([]);

function targetFactsOf(facts: LabelledSentence['facts'], targetOf: ReadonlyMap<number, number>): readonly TargetFact[] {
  const found: TargetFact[] = [];
  for (const { fact, word } of facts) {
    const target = targetOf.get(fact);
    if (target !== undefined) found.push({ target, word });
  }
  return found.length === 0 ? NO_TARGET_FACTS : found;
}

export function toFilingRecord(
  path: string,
  source: string,
  company: string,
  filing: ExtractedFiling,
  labelled: LabelledFiling,
): FilingRecord {
  const places = TARGET_TAGS.map((): PlaceCounts => ({ prose: 0, table: 0, hidden: 0 }));
  const targetOf = new Map<number, number>(); // fact index -> target index
  filing.facts.forEach((fact, i) => {
    const target = TARGET_INDEX.get(fact.name);
    if (target === undefined) return;
    places[target][fact.place]++;
    targetOf.set(i, target);
  });
  const fates = TARGET_TAGS.map((): Record<FactFate, number> => ({ labelled: 0, no_token: 0, token_taken: 0 }));
  for (const [index, fate] of labelled.fates) {
    const target = targetOf.get(index);
    if (target !== undefined) fates[target][fate]++;
  }
  const sentences = labelled.sentences.map(
    (s): SentenceRecord => ({
      start: s.start,
      end: s.end,
      tokensJson: JSON.stringify(s.tokens),
      tags: tagString(s.nerTags),
      targetFacts: targetFactsOf(s.facts, targetOf),
    }),
  );
  return { source, path, company, sentences, places, fates };
}
