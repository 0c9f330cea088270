/**
 * One filing read and labelled, reduced to what the dataset needs. Its
 * sentences' JSONL lines go to a spill file on disk; memory keeps only what
 * deduplication and the report need (a hash of the tokens, the labels of
 * labelled sentences), so that even --all-sentences over ~1,000 filings
 * (close to a million sentences) stays well under a gigabyte.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { SUBSET_LABELS, finerBId } from '@finer-lens/core/ner/labels.ts';
import type { ExtractedFiling, FactPlace } from '@finer-lens/core/ixbrl/extract.ts';
import type { FactFate, LabelledFiling, LabelledSentence } from '@finer-lens/core/ixbrl/label.ts';
import { findRepeats, targetValues } from '@finer-lens/core/ixbrl/repeats.ts';

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

/** A sentence of one filing as deduplication sees it; its line is in the filing's spill file. */
export interface SentenceRecord {
  /** SHA-1 of the token sequence (base64, 96 bits): equal tokens, equal key. */
  key: string;
  words: number;
  /** Number of words with a label other than O. */
  labelled: number;
  /**
   * FiNER label id of each word as one UTF-16 code unit (ids < 279), or ''
   * when every word is O: a string is the most compact immutable array V8 has.
   */
  tags: string;
  targetFacts: readonly TargetFact[];
}

export interface FilingRecord {
  /** File name, the `source` of its sentences. */
  source: string;
  path: string;
  company: string;
  sentences: SentenceRecord[];
  /** JSONL file with one line per sentence, in order, without the `id` field. */
  spill: string;
  places: PlaceCounts[];
  /** Per target tag: prose facts by fate in the labeller. */
  fates: Record<FactFate, number>[];
}

/** Label id of word i of a sentence. */
export function tagAt(sentence: SentenceRecord, i: number): number {
  return sentence.tags === '' ? 0 : sentence.tags.charCodeAt(i);
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

function tagString(ids: readonly number[]): string {
  let out = '';
  for (let i = 0; i < ids.length; i += 4096) out += String.fromCharCode(...ids.slice(i, i + 4096));
  return out;
}

/** Reduce a labelled filing to its record, writing its sentence lines to `spill`. */
export async function toFilingRecord(
  paths: { path: string; source: string; spill: string },
  company: string,
  filing: ExtractedFiling,
  labelled: LabelledFiling,
): Promise<FilingRecord> {
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
  const source = JSON.stringify(paths.source);
  const values = targetValues(filing.facts);
  const lines: string[] = [];
  const sentences = labelled.sentences.map((s): SentenceRecord => {
    const tokens = JSON.stringify(s.tokens);
    const repeats = findRepeats(s.tokens, s.nerTags, values);
    const repeatsField = repeats.length ? `,"repeats":${JSON.stringify(repeats)}` : '';
    lines.push(`"tokens":${tokens},"ner_tags":[${s.nerTags.join(',')}]${repeatsField},"source":${source},"start":${s.start},"end":${s.end}}\n`);
    const count = s.nerTags.reduce((n, id) => n + (id === 0 ? 0 : 1), 0);
    return {
      key: createHash('sha1').update(tokens).digest('base64').slice(0, 16),
      words: s.tokens.length,
      labelled: count,
      tags: count === 0 ? '' : tagString(s.nerTags),
      targetFacts: targetFactsOf(s.facts, targetOf),
    };
  });
  await writeFile(paths.spill, lines.join(''));
  return { source: paths.source, path: paths.path, company, sentences, spill: paths.spill, places, fates };
}
