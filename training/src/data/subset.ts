/**
 * `finer subset DIR --out DIR2`: the 4-entity dataset. Keeps the sentences
 * that hold one of the four B- labels (FiNER ids 41, 87, 34, 37), maps every
 * other label to O and renumbers to 0..4 (SUBSET_LABELS). Labels are matched
 * by name, so any folder that uses FiNER label names works, whatever its ids.
 *
 * `--negatives R` also keeps, per split, R times as many sentences that hold
 * only other FiNER-139 tags (all-O after the mapping): numbers that the model
 * must learn to leave alone. They are a seeded sample, in file order.
 *
 * `--ignore TYPE...` marks the words of those input types (B-/I- stripped,
 * e.g. `ExtensionFact` of `finer concepts`) as of unknown label: they are O
 * in `ner_tags`, as evaluation scores them, and listed in the line's
 * `ignore` field, which training leaves out of the loss.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { SUBSET_FINER_IDS, SUBSET_LABELS, labelType } from '../../../src/ner/labels.ts';
import { writeDirAtomic, writeFileAtomic } from '../util/atomic.ts';
import { hashSeed, mulberry32, shuffleInPlace } from '../util/rng.ts';
import { num, int } from '../util/flags.ts';
import { action } from '../util/cli.ts';
import { FinerError } from '../util/errors.ts';
import { DATASET_INFO, openDatasetFolder, readSplit, type DatasetFolder } from './dataset-folder.ts';
import { JsonlWriter } from './jsonl.ts';
import type { SplitName } from './sentence.ts';

export interface SubsetSplitCounts {
  inputSentences: number;
  /** Words marked `ignore` (`--ignore`). */
  ignoredWords: number;
  sentences: number;
  /** Of `sentences`, those that hold only other tags (the negatives). */
  negatives: number;
  tokens: number;
  /** Tokens per subset label, index = new id. */
  labelTokens: number[];
}

export type SubsetCounts = Partial<Record<SplitName, SubsetSplitCounts>>;

/** Input label id -> subset id (0 for every label that is not one of the four). */
export function subsetMapping(folder: DatasetFolder): Uint8Array {
  const map = new Uint8Array(folder.labelNames.length);
  folder.labelNames.forEach((name, id) => {
    const subsetId = SUBSET_LABELS.indexOf(name);
    if (subsetId > 0) map[id] = subsetId;
  });
  if (!map.some((x) => x !== 0)) {
    throw new FinerError(
      `${folder.dir}: none of the 4 subset labels (${SUBSET_LABELS.slice(1).join(', ')}) is among its ${folder.labelNames.length} label names (from ${folder.labelSource})`,
    );
  }
  return map;
}

export interface SubsetOptions {
  /** Negatives per target sentence (0: none, the seed's dataset). */
  negatives?: number;
  /** Input types (B-/I- stripped) whose words get `ignore` (unknown label). */
  ignore?: readonly string[];
  seed?: number;
}

/** Line indices (per split) of the negatives to keep: a seeded sample of the candidates. */
async function chooseNegatives(folder: DatasetFolder, map: Uint8Array, ratio: number, seed: number): Promise<Map<SplitName, Set<number>>> {
  const chosen = new Map<SplitName, Set<number>>();
  for (const [k, split] of folder.splits.entries()) {
    const candidates: number[] = [];
    let targets = 0;
    let i = 0;
    for await (const sentence of readSplit(folder, split)) {
      const mapped = sentence.ner_tags.map((id) => map[id]);
      if (mapped.some((t) => t !== 0)) targets++;
      else if (sentence.ner_tags.some((id) => id !== 0)) candidates.push(i);
      i++;
    }
    const want = Math.min(candidates.length, Math.round(targets * ratio));
    chosen.set(split.name, new Set(shuffleInPlace(candidates, mulberry32(hashSeed(seed, k))).slice(0, want)));
  }
  return chosen;
}

/** Input label id -> 1 when its type is one of `types` (B-/I- stripped); every type must occur in the folder's labels. */
export function ignoreMapping(folder: DatasetFolder, types: readonly string[]): Uint8Array {
  const map = new Uint8Array(folder.labelNames.length);
  for (const t of types) {
    if (SUBSET_LABELS.includes(`B-${t}`)) throw new FinerError(`--ignore ${t}: one of the 4 entity types; expected another type of ${folder.dir}'s labels`);
    if (!folder.labelNames.some((name) => name !== 'O' && labelType(name) === t)) {
      throw new FinerError(`--ignore ${t}: no such type among the ${folder.labelNames.length} label names of ${folder.dir} (from ${folder.labelSource})`);
    }
  }
  folder.labelNames.forEach((name, id) => {
    if (name !== 'O' && types.includes(labelType(name))) map[id] = 1;
  });
  return map;
}

/** Write the 4-entity dataset of `dir` to `outDir` (all or nothing). */
export async function writeSubset(dir: string, outDir: string, opts: SubsetOptions = {}): Promise<SubsetCounts> {
  const folder = await openDatasetFolder(dir);
  const map = subsetMapping(folder);
  const ignored = opts.ignore?.length ? ignoreMapping(folder, opts.ignore) : undefined;
  const ratio = opts.negatives ?? 0;
  const negatives = ratio > 0 ? await chooseNegatives(folder, map, ratio, opts.seed ?? 42) : undefined;
  const counts: SubsetCounts = {};
  await writeDirAtomic(outDir, async (tmp) => {
    for (const split of folder.splits) {
      const c: SubsetSplitCounts = { inputSentences: 0, ignoredWords: 0, sentences: 0, negatives: 0, tokens: 0, labelTokens: SUBSET_LABELS.map(() => 0) };
      const keepNegative = negatives?.get(split.name);
      const out = await JsonlWriter.create(join(tmp, `${split.name}.jsonl`));
      try {
        for await (const sentence of readSplit(folder, split)) {
          const line = c.inputSentences++;
          const tags = sentence.ner_tags.map((id) => map[id]!);
          const target = tags.some((t) => t !== 0);
          if (!target && !keepNegative?.has(line)) continue;
          if (!target) c.negatives++;
          for (const t of tags) c.labelTokens[t]!++;
          c.sentences++;
          c.tokens += tags.length;
          const ignore = ignored ? sentence.ner_tags.flatMap((id, i) => (ignored[id] ? [i] : [])) : [];
          c.ignoredWords += ignore.length;
          await out.write({ ...sentence, ner_tags: tags, ...(ignore.length ? { ignore } : {}) });
        }
      } finally {
        await out.close();
      }
      counts[split.name] = c;
    }
    await writeFileAtomic(join(tmp, DATASET_INFO), JSON.stringify(subsetInfo(folder, counts, opts), null, 1) + '\n');
  });
  return counts;
}

function subsetInfo(folder: DatasetFolder, counts: SubsetCounts, opts: SubsetOptions) {
  return {
    schema: 1,
    description: 'FiNER 4-entity subset: sentences with at least one of the four labels (plus sampled negatives: sentences with only other tags); every other label is O',
    label_names: SUBSET_LABELS,
    splits: Object.fromEntries(
      Object.entries(counts).map(([name, c]) => [
        name,
        {
          sentences: c.sentences,
          negatives: c.negatives,
          tokens: c.tokens,
          input_sentences: c.inputSentences,
          ...(opts.ignore?.length ? { ignored_words: c.ignoredWords } : {}),
          label_tokens: Object.fromEntries(SUBSET_LABELS.map((l, i) => [l, c.labelTokens[i]])),
        },
      ]),
    ),
    ...(folder.info?.provenance !== undefined ? { provenance: folder.info.provenance } : {}),
    subset: {
      from: folder.dir, input_labels: folder.labelSource, finer_ids: SUBSET_FINER_IDS, negatives: opts.negatives ?? 0, seed: opts.seed ?? 42,
      ...(opts.ignore?.length ? { ignore: opts.ignore } : {}),
    },
  };
}

export function registerSubset(program: Command): void {
  program
    .command('subset')
    .description('make the 4-entity dataset: keep sentences with one of the four labels, map the rest to O')
    .argument('<dir>', 'FiNER dataset folder (JSONL or parquet)')
    .requiredOption('--out <dir>', 'output dataset folder (JSONL)')
    .option('--negatives <ratio>', 'also keep this many sentences with only other FiNER-139 tags per target sentence, per split', num('--negatives'), 0)
    .option('--seed <n>', 'seed of the negatives sample', int('--seed'), 42)
    .option('--ignore <types...>', "input types (B-/I- stripped, e.g. ExtensionFact of finer concepts) whose words are of unknown label: O in ner_tags, listed in an \"ignore\" field that training leaves out of the loss")
    .action(
      action(async (dir: string, opts: { out: string; negatives: number; seed: number; ignore?: string[] }) => {
        const counts = await writeSubset(dir, opts.out, { negatives: opts.negatives, seed: opts.seed, ignore: opts.ignore });
        for (const [name, c] of Object.entries(counts)) {
          const ignored = opts.ignore?.length ? `, ${c.ignoredWords} words marked ignore` : '';
          process.stdout.write(`${name}: kept ${c.sentences} of ${c.inputSentences} sentences (${c.negatives} negatives), ${c.tokens} tokens${ignored}\n`);
        }
        process.stdout.write(`wrote ${opts.out}\n`);
      }),
    );
}
