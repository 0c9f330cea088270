/**
 * `finer subset DIR --out DIR2`: the 4-entity dataset. Keeps the sentences
 * that hold one of the four B- labels (FiNER ids 41, 87, 34, 37), maps every
 * other label to O and renumbers to 0..4 (SUBSET_LABELS). Labels are matched
 * by name, so any folder that uses FiNER label names works, whatever its ids.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { SUBSET_FINER_IDS, SUBSET_LABELS } from '../../../src/ner/labels.ts';
import { writeDirAtomic, writeFileAtomic } from '../util/atomic.ts';
import { action } from '../util/cli.ts';
import { FinerError } from '../util/errors.ts';
import { DATASET_INFO, openDatasetFolder, readSplit, type DatasetFolder } from './dataset-folder.ts';
import { JsonlWriter } from './jsonl.ts';
import type { SplitName } from './sentence.ts';

export interface SubsetSplitCounts {
  inputSentences: number;
  sentences: number;
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

/** Write the 4-entity dataset of `dir` to `outDir` (all or nothing). */
export async function writeSubset(dir: string, outDir: string): Promise<SubsetCounts> {
  const folder = await openDatasetFolder(dir);
  const map = subsetMapping(folder);
  const counts: SubsetCounts = {};
  await writeDirAtomic(outDir, async (tmp) => {
    for (const split of folder.splits) {
      const c: SubsetSplitCounts = { inputSentences: 0, sentences: 0, tokens: 0, labelTokens: SUBSET_LABELS.map(() => 0) };
      const out = await JsonlWriter.create(join(tmp, `${split.name}.jsonl`));
      try {
        for await (const sentence of readSplit(folder, split)) {
          c.inputSentences++;
          const tags = sentence.ner_tags.map((id) => map[id]);
          if (!tags.some((t) => t !== 0)) continue;
          for (const t of tags) c.labelTokens[t]++;
          c.sentences++;
          c.tokens += tags.length;
          await out.write({ ...sentence, ner_tags: tags });
        }
      } finally {
        await out.close();
      }
      counts[split.name] = c;
    }
    await writeFileAtomic(join(tmp, DATASET_INFO), JSON.stringify(subsetInfo(folder, counts), null, 1) + '\n');
  });
  return counts;
}

function subsetInfo(folder: DatasetFolder, counts: SubsetCounts) {
  return {
    schema: 1,
    description: 'FiNER 4-entity subset: sentences with at least one of the four labels; every other label is O',
    label_names: SUBSET_LABELS,
    splits: Object.fromEntries(
      Object.entries(counts).map(([name, c]) => [
        name,
        {
          sentences: c.sentences,
          tokens: c.tokens,
          input_sentences: c.inputSentences,
          label_tokens: Object.fromEntries(SUBSET_LABELS.map((l, i) => [l, c.labelTokens[i]])),
        },
      ]),
    ),
    ...(folder.info?.provenance !== undefined ? { provenance: folder.info.provenance } : {}),
    subset: { from: folder.dir, input_labels: folder.labelSource, finer_ids: SUBSET_FINER_IDS },
  };
}

export function registerSubset(program: Command): void {
  program
    .command('subset')
    .description('make the 4-entity dataset: keep sentences with one of the four labels, map the rest to O')
    .argument('<dir>', 'FiNER dataset folder (JSONL or parquet)')
    .requiredOption('--out <dir>', 'output dataset folder (JSONL)')
    .action(
      action(async (dir: string, opts: { out: string }) => {
        const counts = await writeSubset(dir, opts.out);
        for (const [name, c] of Object.entries(counts)) {
          process.stdout.write(`${name}: kept ${c.sentences} of ${c.inputSentences} sentences, ${c.tokens} tokens\n`);
        }
        process.stdout.write(`wrote ${opts.out}\n`);
      }),
    );
}
