/**
 * `finer adapt`: fine-tune a trained 4-type model a little further on the
 * filer's own tags in a company's earlier iXBRL filings, so that it learns
 * that company's conventions before it reads the company's next filing.
 *
 *   filings --finer ixbrl (all train)--> labelled sentences
 *           --finer subset --negatives R--> the 4 types, with negatives
 *           --finer train --init MODEL --init-head labels--> the adapted model (a run folder)
 *
 * The model keeps its classifier (every label row) and trains a few dozen
 * steps at a small learning rate; there is no validation split (the
 * company's filings are all it learns from), so the model is the last
 * step's. Datasets go to a scratch folder beside `out` that is removed at
 * the end; `out` is the run folder `finer train` writes (model.safetensors,
 * config.json, vocab.txt, train.json) plus adapt.json, so `finer evaluate`,
 * `predict` and `export` take it as they take any run.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { SUBSET_LABELS } from '../../../src/ner/labels.ts';
import { buildIxbrlDataset } from '../data/ixbrl/build.ts';
import { writeSubset } from '../data/subset.ts';
import { runTrain, TRAIN_DEFAULTS } from '../train/command.ts';
import { FinerError } from '../util/errors.ts';
import { ADAPT_FILE, type AdaptRecord } from './record.ts';

export interface AdaptOptions {
  /** The model folder to start from (a run folder or an exported Hugging Face folder with config.json, model.safetensors, vocab.txt). */
  model: string;
  out: string;
  epochs: number;
  batchSize: number;
  lr: number;
  warmup: number;
  /** Negatives (sentences with only other FiNER-139 tags) per target sentence. */
  negatives: number;
  seed: number;
  maxLength: number;
  threads?: number;
  onWarning?: (message: string) => void;
}

export const ADAPT_DEFAULTS = { epochs: 10, batchSize: 8, lr: 1e-4, warmup: 3, negatives: 2, seed: 42, maxLength: 128 } as const;

export async function adaptModel(filings: readonly string[], o: AdaptOptions): Promise<AdaptRecord> {
  for (const f of ['config.json', 'model.safetensors', 'vocab.txt']) {
    if (!existsSync(join(o.model, f))) throw new FinerError(`--model ${o.model}: no ${f}; expected a trained model folder (a finer train run, or an exported one such as public/models/finer-lens-small)`);
  }
  if (existsSync(o.out)) throw new FinerError(`--out ${o.out}: already exists; expected a new folder for the adapted model`);
  const scratch = `${resolve(o.out)}.adapt-data`;
  await rm(scratch, { recursive: true, force: true });
  await mkdir(dirname(scratch), { recursive: true });
  try {
    const labelled = join(scratch, 'ixbrl');
    const build = await buildIxbrlDataset(filings, { out: labelled, seed: o.seed, split: [1, 0, 0], allSentences: false, onWarning: o.onWarning });
    const subset = join(scratch, 'subset');
    const counts = (await writeSubset(labelled, subset, { negatives: o.negatives, seed: o.seed })).train!;
    const targets = counts.sentences - counts.negatives;
    if (targets === 0) {
      throw new FinerError(
        `${filings.join(', ')}: no sentence of the ${build.files} filing(s) holds one of the ${SUBSET_LABELS.length - 1} entity types (${SUBSET_LABELS.slice(1).map((l) => l.slice(2)).join(', ')}); nothing to adapt the model to`,
      );
    }
    await runTrain({
      ...TRAIN_DEFAULTS,
      data: subset,
      init: o.model,
      initHead: 'labels',
      out: o.out,
      epochs: o.epochs,
      batchSize: o.batchSize,
      lr: o.lr,
      warmup: o.warmup,
      seed: o.seed,
      maxLength: o.maxLength,
      saveEvery: Number.MAX_SAFE_INTEGER, // one checkpoint, at the end
      keep: 1,
      threads: o.threads,
      report: join(o.out, 'train.json'),
    });
    const record: AdaptRecord = {
      schema: 1,
      model: o.model,
      filings: build.filings.map((f) => f.source),
      skipped: build.skipped.map((s) => `${s.path}: ${s.reason}`),
      sentences: { targets, negatives: counts.negatives },
      entities: Object.fromEntries(SUBSET_LABELS.slice(1).map((l, i) => [l.slice(2), counts.labelTokens[i + 1]!])),
      options: { epochs: o.epochs, batchSize: o.batchSize, lr: o.lr, warmup: o.warmup, negatives: o.negatives, seed: o.seed, maxLength: o.maxLength },
    };
    await writeFile(join(o.out, ADAPT_FILE), JSON.stringify(record, null, 1) + '\n');
    return record;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
