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
 * `--prose R` also keeps R times as many untagged prose sentences without
 * debt vocabulary (core/src/ner/debt-words.ts) per target sentence, `--prose-debt
 * D` D times as many with it: sentences with a digit and no FiNER-139 tag at
 * all (MD&A, risk factors, cover pages, exhibit lists of a `finer ixbrl
 * --all-sentences` folder), all O but for their `repeats` (words that repeat
 * the value of one of the filing's target facts, possibly an entity the filer
 * did not tag again): those are left out of the loss (`ignore`), or with
 * `--repeats label` get the fact's type as a weak label.
 *
 * `--near-miss TYPE...` keeps the B- labels of those FiNER-139 types as classes of their own,
 * named `O-<type>` and numbered after the four (near-miss classes, core/src/ner/labels.ts): the
 * model learns them apart from the four, and prediction and scoring read them as O. The
 * sentences kept are the same as without the option; only their labels differ.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { NEAR_MISS_PREFIX, SUBSET_FINER_IDS, SUBSET_LABELS } from '@finer-lens/core/ner/labels.ts';
import { hasDebtWords } from '@finer-lens/core/ner/debt-words.ts';
import { writeDirAtomic, writeFileAtomic } from '../util/atomic.ts';
import { checkOutDir, type OutputGuard } from '../util/output.ts';
import { hashSeed, mulberry32, shuffleInPlace } from '../util/rng.ts';
import { num, int, oneOf } from '../util/flags.ts';
import { action } from '../util/cli.ts';
import { FinerError } from '../util/errors.ts';
import { DATASET_INFO, openDatasetFolder, readSplit, type DatasetFolder } from './dataset-folder.ts';
import { JsonlWriter } from './jsonl.ts';
import type { FinerSentence, SplitName } from './sentence.ts';

export interface SubsetSplitCounts {
  inputSentences: number;
  /** Words marked `ignore`: the prose sentences' repeats left out of the loss. */
  ignoredWords: number;
  sentences: number;
  /** Of `sentences`, those that hold only other tags (the negatives). */
  negatives: number;
  /** Of `sentences`, the untagged prose sentences (`--prose`). */
  prose: number;
  /** Words of the prose sentences that repeat a target value (left out of the loss, or weak labels). */
  repeatWords: number;
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
  /** Input types (B-/I- stripped) whose B- labels become near-miss classes `O-<type>`. */
  nearMiss?: readonly string[];
  /** Untagged prose sentences (a digit, no FiNER-139 tag) without debt vocabulary per target sentence (0: none). */
  prose?: number;
  /** The same, with debt vocabulary. */
  proseDebt?: number;
  /** What the prose sentences' repeats of a target value become: left out of the loss, or that type as a weak label. */
  repeats?: RepeatsAs;
  seed?: number;
  /** Replace an existing output folder that is not a finer subset output. */
  force?: boolean;
}

export const REPEATS_AS = ['ignore', 'label'] as const;
export type RepeatsAs = (typeof REPEATS_AS)[number];

const DIGIT_RE = /\d/;

/** An untagged prose sentence: a digit and no FiNER-139 tag. */
function isUntaggedProse(tokens: readonly string[], tags: readonly number[]): boolean {
  return !tags.some((id) => id !== 0) && tokens.some((t) => DIGIT_RE.test(t));
}

/** The `repeats` field of a `finer ixbrl` line: [word index, subset id 1..4] pairs, checked. */
function repeatsOf(sentence: FinerSentence, where: string): [number, number][] {
  const r = sentence.repeats;
  if (r === undefined) return [];
  const ok = Array.isArray(r) && r.every((p) => Array.isArray(p) && p.length === 2 && Number.isInteger(p[0]) && p[0] >= 0 && p[0] < sentence.tokens.length && Number.isInteger(p[1]) && p[1] >= 1 && p[1] < SUBSET_LABELS.length);
  if (!ok) throw new FinerError(`${where}: sentence ${sentence.id}: field "repeats" = ${JSON.stringify(r).slice(0, 40)}; expected [word index, type id 1..${SUBSET_LABELS.length - 1}] pairs`);
  return r as [number, number][];
}

interface Chosen {
  negatives: Set<number>;
  prose: Set<number>;
}

/**
 * Line indices (per split) of the negatives and prose sentences to keep: seeded samples of the
 * candidates. The negatives' sample does not depend on the prose options, so adding prose
 * sentences keeps the same negatives.
 */
async function chooseExtra(folder: DatasetFolder, map: Uint8Array, ratio: number, prose: number, proseDebt: number, seed: number): Promise<Map<SplitName, Chosen>> {
  const chosen = new Map<SplitName, Chosen>();
  for (const [k, split] of folder.splits.entries()) {
    const candidates: number[] = [];
    const proseCandidates: number[] = [];
    const debtCandidates: number[] = [];
    let targets = 0;
    let i = 0;
    for await (const sentence of readSplit(folder, split)) {
      const mapped = sentence.ner_tags.map((id) => map[id]);
      if (mapped.some((t) => t !== 0)) targets++;
      else if (sentence.ner_tags.some((id) => id !== 0)) candidates.push(i);
      else if ((prose > 0 || proseDebt > 0) && isUntaggedProse(sentence.tokens, sentence.ner_tags)) (hasDebtWords(sentence.tokens) ? debtCandidates : proseCandidates).push(i);
      i++;
    }
    const sample = (pool: number[], r: number, salt: number) =>
      new Set(shuffleInPlace(pool, mulberry32(hashSeed(seed, salt))).slice(0, Math.min(pool.length, Math.round(targets * r))));
    const debt = sample(debtCandidates, proseDebt, 2000 + k);
    chosen.set(split.name, { negatives: sample(candidates, ratio, k), prose: new Set([...sample(proseCandidates, prose, 1000 + k), ...debt]) });
  }
  return chosen;
}

/**
 * The output labels and input label id -> output id with near-miss classes: the four's ids
 * as in `map`, and `B-<type>` of each near-miss type -> 5, 6, ... (`O-<type>`).
 */
export function nearMissMapping(folder: DatasetFolder, map: Uint8Array, types: readonly string[]): { labels: string[]; map: Uint8Array } {
  const out = Uint8Array.from(map);
  const labels = [...SUBSET_LABELS];
  for (const t of types) {
    if (SUBSET_LABELS.includes(`B-${t}`)) throw new FinerError(`--near-miss ${t}: one of the 4 entity types; expected another type of ${folder.dir}'s labels`);
    if (labels.includes(NEAR_MISS_PREFIX + t)) throw new FinerError(`--near-miss ${t}: given twice`);
    const id = folder.labelNames.indexOf(`B-${t}`);
    if (id < 0) throw new FinerError(`--near-miss ${t}: no label B-${t} among the ${folder.labelNames.length} label names of ${folder.dir} (from ${folder.labelSource})`);
    if (labels.length > 255) throw new FinerError(`--near-miss: ${types.length} types; expected at most ${256 - SUBSET_LABELS.length}`);
    out[id] = labels.length;
    labels.push(NEAR_MISS_PREFIX + t);
  }
  return { labels, map: out };
}

/**
 * A subset whose train split (every split, for a folder without one) holds no
 * sentence of the four types would train nothing: refused, as `finer ixbrl`
 * refuses an empty result, before the folder is written.
 */
function refuseEmpty(dir: string, counts: SubsetCounts): void {
  const targets = (c: SubsetSplitCounts) => c.sentences - c.negatives - c.prose;
  const split = counts.train ? 'train' : undefined;
  const checked = split ? [counts.train!] : Object.values(counts);
  if (checked.some((c) => targets(c) > 0)) return;
  const read = checked.reduce((n, c) => n + c.inputSentences, 0);
  const where = split ? 'its train split' : 'its splits';
  const what = read === 0 ? `${where} ${split ? 'is' : 'are'} empty` : `none of the ${read} sentences of ${where} holds one of the 4 labels`;
  throw new FinerError(`${dir}: nothing to write: ${what}; expected a FiNER-139 dataset with sentences of ${SUBSET_LABELS.slice(1).join(', ')}`);
}

/** Write the 4-entity dataset of `dir` to `outDir` (all or nothing). */
export async function writeSubset(dir: string, outDir: string, opts: SubsetOptions = {}): Promise<SubsetCounts> {
  const guard: OutputGuard = { kind: 'subset', inputs: [dir], force: opts.force };
  await checkOutDir(outDir, guard); // before the passes over the input
  const folder = await openDatasetFolder(dir);
  const map = subsetMapping(folder);
  // the sentences kept are chosen by `map` (the four); near-miss classes only relabel them
  const { labels, map: labelMap } = nearMissMapping(folder, map, opts.nearMiss ?? []);
  const ratio = opts.negatives ?? 0;
  const prose = opts.prose ?? 0;
  const proseDebt = opts.proseDebt ?? 0;
  const extra = ratio > 0 || prose > 0 || proseDebt > 0 ? await chooseExtra(folder, map, ratio, prose, proseDebt, opts.seed ?? 42) : undefined;
  const counts: SubsetCounts = {};
  await writeDirAtomic(outDir, async (tmp) => {
    for (const split of folder.splits) {
      const c: SubsetSplitCounts = { inputSentences: 0, ignoredWords: 0, sentences: 0, negatives: 0, prose: 0, repeatWords: 0, tokens: 0, labelTokens: labels.map(() => 0) };
      const keep = extra?.get(split.name);
      const out = await JsonlWriter.create(join(tmp, `${split.name}.jsonl`));
      try {
        for await (const sentence of readSplit(folder, split)) {
          const line = c.inputSentences++;
          const target = sentence.ner_tags.some((id) => map[id] !== 0);
          const tags = sentence.ner_tags.map((id) => labelMap[id]!);
          const isProse = !target && keep?.prose.has(line) === true;
          if (!target && !isProse && !keep?.negatives.has(line)) continue;
          if (!target) c[isProse ? 'prose' : 'negatives']++;
          const ignore: number[] = [];
          if (isProse) {
            for (const [w, type] of repeatsOf(sentence, `${dir} (${split.name})`)) {
              if (opts.repeats === 'label') tags[w] = type;
              else ignore.push(w);
              c.repeatWords++;
            }
          }
          for (const t of tags) c.labelTokens[t]!++;
          c.sentences++;
          c.tokens += tags.length;
          c.ignoredWords += ignore.length;
          await out.write({ ...sentence, ner_tags: tags, ...(ignore.length ? { ignore } : {}) });
        }
      } finally {
        await out.close();
      }
      counts[split.name] = c;
    }
    refuseEmpty(dir, counts);
    await writeFileAtomic(join(tmp, DATASET_INFO), JSON.stringify(subsetInfo(folder, counts, opts, labels), null, 1) + '\n');
  }, guard);
  return counts;
}

function subsetInfo(folder: DatasetFolder, counts: SubsetCounts, opts: SubsetOptions, labels: readonly string[]) {
  return {
    schema: 1,
    description: 'FiNER 4-entity subset: sentences with at least one of the four labels (plus sampled negatives: sentences with only other tags); every other label is O',
    label_names: labels,
    splits: Object.fromEntries(
      Object.entries(counts).map(([name, c]) => [
        name,
        {
          sentences: c.sentences,
          negatives: c.negatives,
          ...(opts.prose || opts.proseDebt ? { prose: c.prose, repeat_words: c.repeatWords } : {}),
          tokens: c.tokens,
          input_sentences: c.inputSentences,
          label_tokens: Object.fromEntries(labels.map((l, i) => [l, c.labelTokens[i]])),
        },
      ]),
    ),
    ...(folder.info?.provenance !== undefined ? { provenance: folder.info.provenance } : {}),
    subset: {
      from: folder.dir, input_labels: folder.labelSource, finer_ids: SUBSET_FINER_IDS, negatives: opts.negatives ?? 0, seed: opts.seed ?? 42,
      ...(opts.prose || opts.proseDebt ? { prose: opts.prose ?? 0, prose_debt: opts.proseDebt ?? 0, repeats: opts.repeats ?? 'ignore' } : {}),
      ...(opts.nearMiss?.length ? { near_miss: opts.nearMiss } : {}),
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
    .option('--prose <ratio>', 'also keep this many untagged prose sentences (a digit, no FiNER-139 tag; from a finer ixbrl --all-sentences folder) without debt vocabulary per target sentence, per split', num('--prose'), 0)
    .option('--prose-debt <ratio>', 'the same for untagged prose sentences with debt vocabulary (note, debt, credit, loan, interest, rate, ...)', num('--prose-debt'), 0)
    .option('--repeats <as>', `what the prose sentences' repeats of a target value become: ${REPEATS_AS.join(' (left out of the loss) or ')} (the type as a weak label)`, oneOf('--repeats', REPEATS_AS), 'ignore')
    .option('--seed <n>', 'seed of the negatives sample', int('--seed'), 42)
    .option('--near-miss <types...>', 'FiNER-139 types (e.g. LineOfCreditFacilityRemainingBorrowingCapacity) kept as classes of their own, O-<type>, that prediction and scoring read as O')
    .option('--force', 'replace an existing --out folder that is not a finer subset output')
    .action(
      action(async (dir: string, opts: { out: string; negatives: number; prose: number; proseDebt: number; repeats: RepeatsAs; seed: number; nearMiss?: string[]; force?: boolean }) => {
        const counts = await writeSubset(dir, opts.out, { negatives: opts.negatives, prose: opts.prose, proseDebt: opts.proseDebt, repeats: opts.repeats, seed: opts.seed, nearMiss: opts.nearMiss, force: opts.force });
        for (const [name, c] of Object.entries(counts)) {
          const ignored = opts.prose || opts.proseDebt ? `, ${c.ignoredWords} words marked ignore` : '';
          const prose = opts.prose || opts.proseDebt ? `, ${c.prose} untagged prose with ${c.repeatWords} repeat words` : '';
          process.stdout.write(`${name}: kept ${c.sentences} of ${c.inputSentences} sentences (${c.negatives} negatives${prose}), ${c.tokens} tokens${ignored}\n`);
        }
        process.stdout.write(`wrote ${opts.out}\n`);
      }),
    );
}
