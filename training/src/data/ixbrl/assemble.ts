/**
 * Filings -> the three splits: every filing goes to its company's split, then
 * exact duplicate sentences (same token sequence) are dropped within a split,
 * and validation/test sentences that appear verbatim in train are dropped.
 * Of copies within a split the one with the most labelled words is kept
 * (the first, in (file name, path, offset) order, on a tie), at the place of
 * the first copy; so the result does not depend on the order of the inputs.
 */
import type { FilingRecord, SentenceRecord } from './filing.ts';
import { TARGET_TAGS } from './filing.ts';
import { SPLITS, type SplitName } from './split.ts';

export interface KeptSentence {
  filing: FilingRecord;
  sentence: SentenceRecord;
}

/**
 * What became of a labelled target fact at this stage:
 * - written: its sentence is in the dataset;
 * - duplicate: its sentence was dropped for an identical one kept in the same
 *   split, whose word at the fact carries the same label;
 * - in_train: the same, its validation/test sentence dropped for a copy in train;
 * - label_conflict: its sentence was dropped for a copy whose word at the fact
 *   carries another label (the fact is lost).
 */
export type AssemblyFate = 'written' | 'duplicate' | 'in_train' | 'label_conflict';

export interface Assembly {
  splits: Record<SplitName, KeptSentence[]>;
  filingSplit: Map<FilingRecord, SplitName>;
  dropped: { duplicate: Record<SplitName, number>; inTrain: Record<SplitName, number> };
  /** Per target tag (index as TARGET_TAGS). */
  fates: Record<AssemblyFate, number>[];
}

function byName(a: FilingRecord, b: FilingRecord): number {
  return a.source < b.source ? -1 : a.source > b.source ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

function labelledWords(s: SentenceRecord): number {
  let n = 0;
  for (let i = 0; i < s.tags.length; i++) if (s.tags.charCodeAt(i) !== 0) n++;
  return n;
}

export function assemble(filings: readonly FilingRecord[], companySplit: ReadonlyMap<string, SplitName>): Assembly {
  const filingSplit = new Map<FilingRecord, SplitName>();
  for (const f of filings) filingSplit.set(f, companySplit.get(f.company)!);
  const ordered = [...filings].sort(byName);
  const fates = TARGET_TAGS.map((): Record<AssemblyFate, number> => ({ written: 0, duplicate: 0, in_train: 0, label_conflict: 0 }));
  const zero = (): Record<SplitName, number> => ({ train: 0, validation: 0, test: 0 });
  const dropped = { duplicate: zero(), inTrain: zero() };
  const splits = { train: [], validation: [], test: [] } as Record<SplitName, KeptSentence[]>;
  let train = new Map<string, SentenceRecord>();

  /** Count the target facts of a dropped copy against the copy that was kept. */
  const account = (copy: SentenceRecord, kept: SentenceRecord, represented: 'duplicate' | 'in_train') => {
    for (const { target, word } of copy.targetFacts) {
      fates[target][kept.tags.charCodeAt(word) === copy.tags.charCodeAt(word) ? represented : 'label_conflict']++;
    }
  };

  for (const split of SPLITS) {
    const best = new Map<string, KeptSentence>(); // tokens JSON -> copy kept so far
    const order: string[] = [];
    const duplicates: SentenceRecord[] = [];
    const inTrain: SentenceRecord[] = [];
    for (const filing of ordered) {
      if (filingSplit.get(filing) !== split) continue;
      for (const sentence of filing.sentences) {
        const key = sentence.tokensJson;
        if (split !== 'train' && train.has(key)) {
          inTrain.push(sentence);
          continue;
        }
        const kept = best.get(key);
        if (kept === undefined) {
          best.set(key, { filing, sentence });
          order.push(key);
        } else if (labelledWords(sentence) > labelledWords(kept.sentence)) {
          duplicates.push(kept.sentence);
          best.set(key, { filing, sentence });
        } else {
          duplicates.push(sentence);
        }
      }
    }
    splits[split] = order.map((key) => best.get(key)!);
    for (const { sentence } of splits[split]) for (const { target } of sentence.targetFacts) fates[target].written++;
    for (const copy of duplicates) account(copy, best.get(copy.tokensJson)!.sentence, 'duplicate');
    for (const copy of inTrain) account(copy, train.get(copy.tokensJson)!, 'in_train');
    dropped.duplicate[split] = duplicates.length;
    dropped.inTrain[split] = inTrain.length;
    if (split === 'train') train = new Map(splits.train.map(({ sentence }) => [sentence.tokensJson, sentence]));
  }
  return { splits, filingSplit, dropped, fates };
}
