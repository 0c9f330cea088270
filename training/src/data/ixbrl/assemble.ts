/**
 * Filings -> the three splits: every filing goes to its company's split, then
 * exact duplicate sentences (same token sequence) are dropped within each
 * filing (or, with scope 'split', anywhere in the split), and validation/test
 * sentences that appear verbatim in train are dropped.
 * Of copies within a split the one with the most labelled words is kept
 * (the first, in (file name, path, offset) order, on a tie), and the kept
 * sentences are written in that order; so the result does not depend on the
 * order of the inputs. Token sequences are compared by a 96-bit hash.
 */
import { TARGET_TAGS, tagAt, type FilingRecord, type SentenceRecord } from './filing.ts';
import { SPLITS, type SplitName } from './split.ts';

export interface KeptSentence {
  filing: FilingRecord;
  /** Index of the sentence in its filing (and line in its spill file). */
  index: number;
  sentence: SentenceRecord;
}

/**
 * Which copies of a sentence count as duplicates: 'filing' (the default) only
 * repeats within one filing, so a company's sentence repeated in next year's
 * filing stays; 'split' a repeat anywhere in the same split (validation/test
 * copies of train sentences are dropped either way).
 */
export type DedupeScope = 'split' | 'filing';

/** The one default scope, of `assemble`, the build, dataset_info.json and `finer ixbrl --dedupe`. */
export const DEFAULT_DEDUPE_SCOPE: DedupeScope = 'filing';

/**
 * What became of a labelled target fact at this stage:
 * - written: its sentence is in the dataset;
 * - duplicate: its sentence was dropped for an identical one kept in the same
 *   filing (or split, by the scope), whose word at the fact carries the same label;
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

export function assemble(
  filings: readonly FilingRecord[],
  companySplit: ReadonlyMap<string, SplitName>,
  scope: DedupeScope = DEFAULT_DEDUPE_SCOPE,
): Assembly {
  const filingSplit = new Map<FilingRecord, SplitName>();
  for (const f of filings) filingSplit.set(f, companySplit.get(f.company)!);
  const ordered = [...filings].sort(byName);
  const fates = TARGET_TAGS.map((): Record<AssemblyFate, number> => ({ written: 0, duplicate: 0, in_train: 0, label_conflict: 0 }));
  const zero = (): Record<SplitName, number> => ({ train: 0, validation: 0, test: 0 });
  const dropped = { duplicate: zero(), inTrain: zero() };
  const splits = { train: [], validation: [], test: [] } as Record<SplitName, KeptSentence[]>;
  let train = new Map<string, SentenceRecord>();
  const rank = new Map(ordered.map((f, i) => [f, i]));
  const inOrder = (a: KeptSentence, b: KeptSentence) => rank.get(a.filing)! - rank.get(b.filing)! || a.index - b.index;

  /** Count the target facts of a dropped copy against the copy that was kept. */
  const account = (copy: SentenceRecord, kept: SentenceRecord, represented: 'duplicate' | 'in_train') => {
    for (const { target, word } of copy.targetFacts) {
      fates[target][tagAt(kept, word) === tagAt(copy, word) ? represented : 'label_conflict']++;
    }
  };

  for (const split of SPLITS) {
    const best = new Map<string, KeptSentence>(); // token hash -> copy kept so far
    const duplicates: { copy: SentenceRecord; key: string }[] = [];
    const inTrain: SentenceRecord[] = [];
    for (const filing of ordered) {
      if (filingSplit.get(filing) !== split) continue;
      for (const [index, sentence] of filing.sentences.entries()) {
        const key = scope === 'split' ? sentence.key : `${rank.get(filing)}:${sentence.key}`;
        if (split !== 'train' && train.has(sentence.key)) {
          inTrain.push(sentence);
          continue;
        }
        const kept = best.get(key);
        if (kept === undefined) {
          best.set(key, { filing, index, sentence });
        } else if (sentence.labelled > kept.sentence.labelled) {
          duplicates.push({ copy: kept.sentence, key });
          best.set(key, { filing, index, sentence });
        } else {
          duplicates.push({ copy: sentence, key });
        }
      }
    }
    splits[split] = [...best.values()].sort(inOrder);
    for (const { sentence } of splits[split]) for (const { target } of sentence.targetFacts) fates[target].written++;
    for (const { copy, key } of duplicates) account(copy, best.get(key)!.sentence, 'duplicate');
    for (const copy of inTrain) account(copy, train.get(copy.key)!, 'in_train');
    dropped.duplicate[split] = duplicates.length;
    dropped.inTrain[split] = inTrain.length;
    if (split === 'train') train = new Map(splits.train.map(({ sentence }) => [sentence.key, sentence]));
  }
  return { splits, filingSplit, dropped, fates };
}
