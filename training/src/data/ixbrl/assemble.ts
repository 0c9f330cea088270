/**
 * Filings -> the three splits: every filing goes to its company's split, then
 * exact duplicate sentences (same token sequence) are dropped within a split,
 * and validation/test sentences that appear verbatim in train are dropped.
 * The first copy is kept, in (file name, path, offset) order, so the result
 * does not depend on the order the files were given in.
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
 * - duplicate: its sentence was dropped, an identical one (same tokens, same labels) is kept in the same split;
 * - in_train: its validation/test sentence was dropped, an identical one is in train;
 * - label_conflict: its sentence was dropped for a copy with the same tokens but other labels (lost).
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

function sameTags(a: Uint16Array, b: Uint16Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function assemble(filings: readonly FilingRecord[], companySplit: ReadonlyMap<string, SplitName>): Assembly {
  const filingSplit = new Map<FilingRecord, SplitName>();
  for (const f of filings) filingSplit.set(f, companySplit.get(f.company)!);
  const ordered = [...filings].sort(byName);
  const fates = TARGET_TAGS.map((): Record<AssemblyFate, number> => ({ written: 0, duplicate: 0, in_train: 0, label_conflict: 0 }));
  const zero = (): Record<SplitName, number> => ({ train: 0, validation: 0, test: 0 });
  const dropped = { duplicate: zero(), inTrain: zero() };
  const splits = { train: [], validation: [], test: [] } as Record<SplitName, KeptSentence[]>;
  let train = new Map<string, Uint16Array>();

  for (const split of SPLITS) {
    const kept = new Map<string, Uint16Array>(); // tokens JSON -> labels of the kept copy
    for (const filing of ordered) {
      if (filingSplit.get(filing) !== split) continue;
      for (const sentence of filing.sentences) {
        const inTrain = split === 'train' ? undefined : train.get(sentence.tokensJson);
        const copy = inTrain ?? kept.get(sentence.tokensJson);
        if (copy === undefined) {
          kept.set(sentence.tokensJson, sentence.nerTags);
          splits[split].push({ filing, sentence });
          for (const t of sentence.targetFacts) fates[t].written++;
          continue;
        }
        if (inTrain !== undefined) dropped.inTrain[split]++;
        else dropped.duplicate[split]++;
        const same = sameTags(copy, sentence.nerTags);
        for (const t of sentence.targetFacts) fates[t][!same ? 'label_conflict' : inTrain ? 'in_train' : 'duplicate']++;
      }
    }
    if (split === 'train') train = kept;
  }
  return { splits, filingSplit, dropped, fates };
}
