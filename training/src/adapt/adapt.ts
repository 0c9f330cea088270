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
 * step's. Datasets and the run go to a scratch folder beside `out`
 * (`.<out>.<pid>.tmp`), removed at the end, or by the next adaptation beside
 * it when this one was killed; the run becomes `out` only when it is
 * complete, so a failed or killed adaptation leaves no half model there. `out` is the run folder `finer train` writes (model.safetensors,
 * config.json, vocab.txt, train.json) plus adapt.json, so `finer evaluate`,
 * `predict` and `export` take it as they take any run.
 */
import { existsSync } from 'node:fs';
import { appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { SUBSET_LABELS } from '@finer-lens/core/ner/labels.ts';
import { buildIxbrlDataset } from '../data/ixbrl/build.ts';
import { writeSubset } from '../data/subset.ts';
import { openDatasetFolder, readSplit } from '../data/dataset-folder.ts';
import type { FinerSentence } from '../data/sentence.ts';
import { hashSeed, mulberry32, shuffleInPlace } from '../util/rng.ts';
import { readJsonFile } from '../infer/model-folder.ts';
import { validateConfig } from '../model/config.ts';
import { labelsOf } from '../train/checkpoint.ts';
import { runTrain } from '../train/command.ts';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../config/train.ts';
import { removeLeftoverTemps, tempOf } from '../util/atomic.ts';
import { FinerError } from '../util/errors.ts';
import { ADAPT_FILE, type AdaptRecord } from './record.ts';

export interface AdaptOptions {
  /** The model folder to start from (a run folder or an exported Hugging Face folder with config.json, model.safetensors, vocab.txt). */
  model: string;
  out: string;
  /** Negatives (sentences with only other FiNER-139 tags) per target sentence. */
  negatives: number;
  /**
   * A 4-entity dataset folder (finer subset) whose train sentences are mixed in, `replayRatio` per
   * sentence of the company, so that the model keeps what it knew of other filers.
   */
  replay?: string;
  replayRatio: number;
  /** The fine-tune (ADAPT_TRAIN_CONFIG with the flags' changes). */
  train: TrainConfig;
  onWarning?: (message: string) => void;
}

/**
 * The fine-tune of an adaptation: a few dozen steps at a small learning rate,
 * one checkpoint (at the end), the model's classifier kept.
 */
export const ADAPT_TRAIN_CONFIG: TrainConfig = {
  ...DEFAULT_TRAIN_CONFIG, epochs: 10, batchSize: 8, lr: 1e-4, warmupSteps: 3, saveEvery: Number.MAX_SAFE_INTEGER, keep: 1, initHead: 'labels',
};

export const ADAPT_DEFAULTS = { negatives: 2, replayRatio: 2 } as const;

/** A seeded sample of `count` train sentences of the 4-entity folder `dir`; a FinerError when it is not one. */
async function replaySample(dir: string, count: number, seed: number): Promise<FinerSentence[]> {
  const folder = await openDatasetFolder(dir);
  if (folder.labelNames.join('\n') !== SUBSET_LABELS.join('\n')) {
    throw new FinerError(`--replay ${dir}: labels ${folder.labelNames.slice(0, 6).join(', ')}${folder.labelNames.length > 6 ? ', ...' : ''} (${folder.labelSource}); expected the 4-entity labels of finer subset (${SUBSET_LABELS.join(', ')})`);
  }
  const split = folder.splits.find((s) => s.name === 'train');
  if (!split) throw new FinerError(`--replay ${dir}: no train split; expected a dataset folder with train.jsonl`);
  const all: FinerSentence[] = [];
  for await (const s of readSplit(folder, split)) all.push(s);
  return shuffleInPlace(all, mulberry32(hashSeed(seed, 0x7e9))).slice(0, Math.min(all.length, count));
}

/**
 * The model must already tag the four types, within windows of `maxLength`:
 * a model of other labels would keep one classifier row of five (O) and train
 * the others from nothing on a few dozen sentences.
 */
async function checkModel(o: AdaptOptions): Promise<void> {
  for (const f of ['config.json', 'model.safetensors', 'vocab.txt']) {
    if (!existsSync(join(o.model, f))) throw new FinerError(`--model ${o.model}: no ${f}; expected a trained model folder (a finer train run, or an exported one such as public/models/finer-lens-small)`);
  }
  const configPath = join(o.model, 'config.json');
  const config = validateConfig(await readJsonFile(configPath, 'model config (config.json)'), configPath);
  const labels = new Set(labelsOf(config, configPath));
  const lacking = SUBSET_LABELS.filter((l) => !labels.has(l));
  if (lacking.length > 0) {
    throw new FinerError(`--model ${o.model}: its labels (config.json id2label) lack ${lacking.join(', ')}; expected a model of the 4 entity types (finer train on a finer subset dataset) or of the 139 FiNER tags`);
  }
  if (o.train.maxLength > config.max_position_embeddings) {
    throw new FinerError(`--max-length ${o.train.maxLength} exceeds the model's max_position_embeddings ${config.max_position_embeddings} (${configPath}); expected at most that`);
  }
}

export async function adaptModel(filings: readonly string[], o: AdaptOptions): Promise<AdaptRecord> {
  if (existsSync(o.out)) throw new FinerError(`--out ${o.out}: already exists; expected a new folder for the adapted model`);
  await checkModel(o);
  // named as the atomic writers name their temporaries, so that a killed adaptation's is removed by the next one here
  const scratch = tempOf(resolve(o.out), 'tmp');
  await mkdir(dirname(scratch), { recursive: true });
  await removeLeftoverTemps(dirname(scratch));
  try {
    const labelled = join(scratch, 'ixbrl');
    const build = await buildIxbrlDataset(filings, { out: labelled, seed: o.train.seed, split: [1, 0, 0], allSentences: false, onWarning: o.onWarning });
    if (build.reconciliation.target_sentences.train === 0) {
      throw new FinerError(
        `${filings.join(', ')}: no sentence of the ${build.files} filing(s) holds one of the ${SUBSET_LABELS.length - 1} entity types (${SUBSET_LABELS.slice(1).map((l) => l.slice(2)).join(', ')}); nothing to adapt the model to`,
      );
    }
    const subset = join(scratch, 'subset');
    const counts = (await writeSubset(labelled, subset, { negatives: o.negatives, seed: o.train.seed })).train!;
    const targets = counts.sentences - counts.negatives;
    const replayed = o.replay === undefined ? [] : await replaySample(o.replay, Math.round(o.replayRatio * counts.sentences), o.train.seed);
    if (replayed.length > 0) {
      await appendFile(join(subset, 'train.jsonl'), replayed.map((s) => JSON.stringify({ id: `replay-${s.id}`, tokens: s.tokens, ner_tags: s.ner_tags }) + '\n').join(''));
    }
    const run = join(scratch, 'run');
    await runTrain({ data: subset, init: o.model, out: run, report: join(run, 'train.json') }, o.train);
    const t = o.train;
    const record: AdaptRecord = {
      schema: 1,
      model: o.model,
      filings: build.filings.map((f) => f.source),
      skipped: build.skipped.map((s) => `${s.path}: ${s.reason}`),
      sentences: { targets, negatives: counts.negatives, replayed: replayed.length },
      ...(o.replay !== undefined ? { replay: o.replay } : {}),
      entities: Object.fromEntries(SUBSET_LABELS.slice(1).map((l, i) => [l.slice(2), counts.labelTokens[i + 1]!])),
      options: { epochs: t.epochs, batchSize: t.batchSize, lr: t.lr, warmup: t.warmupSteps, negatives: o.negatives, seed: t.seed, maxLength: t.maxLength, replayRatio: o.replayRatio },
    };
    await writeFile(join(run, ADAPT_FILE), JSON.stringify(record, null, 1) + '\n');
    await rename(run, o.out); // beside the scratch folder, whose parent exists
    return record;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
