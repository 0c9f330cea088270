/**
 * The steps of a recipe, top to bottom, each a `finer` command line that is
 * skipped when its output exists (`done`), or a few lines of TypeScript:
 *
 *   filings -> every labelled sentence, and every prose sentence -> vocabulary
 *   -> 4-entity dataset with 2 negatives per target sentence (its test split is the measure)
 *   -> the training data (that one, or one with untagged prose: recipe.prose, recipe.proseDebt)
 *   -> the pretrained encoder -> [a stage on all 139 tags] -> the 4 types, one run per seed
 *   -> the seed of best validation F1 -> thresholds -> context check -> evaluation -> export -> comparison
 *
 * A killed run, started again, skips what is done and continues a killed
 * fine-tune from its last checkpoint. Evaluation, export and comparison
 * always run: their outputs are the committed reports and model, which the
 * new model replaces.
 */
import { existsSync } from 'node:fs';
import { cp, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEvalReport } from '@finer-lens/core/reports/parse.ts';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../config/train.ts';
import { readReportFile } from '../infer/model-folder.ts';
import { configFlags } from '../train/command.ts';
import { tempOf, writeFileAtomic } from '../util/atomic.ts';
import { FinerError } from '../util/errors.ts';
import { dataNote, originNote, readFilingCount, readPretrainingFacts, readSubsetFacts } from './notes.ts';
import type { Recipe } from './recipe.ts';

/** One `finer` command line, skipped when `done` exists; `quiet`: its stdout is not shown. */
export interface FinerRun { args: string[]; done?: string; quiet?: boolean }

/** What runs (or, in a dry run, prints) the steps. */
export interface StepRunner {
  readonly dryRun: boolean;
  /** A step's header. */
  step(title: string): void;
  finer(run: FinerRun): Promise<void>;
  /** Several command lines side by side. */
  parallel(runs: FinerRun[]): Promise<void>;
  /** A step written here; `what` is what a dry run prints. */
  code(what: string, fn: () => Promise<void>): Promise<void>;
  /** Steps left out because `done` exists; `what` names them. */
  skip(done: string, what: string): void;
}

/** A candidate model of the seed choice and its validation entity micro F1. */
export interface Candidate { dir: string; f1: number }

/** The candidate of best F1; on a tie, the first. */
export function bestCandidate(candidates: readonly Candidate[]): Candidate {
  return candidates.reduce((best, c) => (c.f1 > best.f1 ? c : best));
}

/**
 * The command line of a fine-tune into `out` that continues a killed run:
 * --resume when `out` holds a checkpoint, nothing to do when its model is there.
 */
export function trainRun(t: { out: string; data: string; init: string; config: Partial<TrainConfig>; report: string }): FinerRun {
  const done = join(t.out, 'model.safetensors');
  if (!existsSync(done) && existsSync(join(t.out, 'last'))) {
    // the options come from the checkpoint; the thread count does not, and float sums follow it
    return { args: ['train', '--data', t.data, '--resume', t.out, '--report', t.report, ...configFlags({ threads: t.config.threads })] };
  }
  return { args: ['train', '--data', t.data, '--init', t.init, '--out', t.out, ...configFlags(t.config), '--report', t.report], done };
}

/** The paths a recipe reads and writes. */
export function recipePaths(r: Recipe) {
  const data = (name: string) => join(r.folders.data, name);
  const neg2 = data('finer4-neg2');
  const run = join(r.folders.runs, r.name);
  return {
    ixbrl139: data('ixbrl139'),
    ixbrlAll: data('ixbrl-all'),
    vocab: data('vocab16k'),
    neg2,
    /** The training data: neg2, or a dataset with untagged prose. */
    training: r.prose === 0 && r.proseDebt === 0 ? neg2 : data(`finer4-prose${r.prose}-debt${r.proseDebt}`),
    stage1: `${run}-139`,
    run,
    seedRun: (seed: number) => `${run}-seed${seed}`,
    report: (name: string) => join(r.folders.reports, name),
    model: join(r.folders.models, r.name),
  };
}

export async function runRecipeSteps(r: Recipe, x: StepRunner): Promise<void> {
  const p = recipePaths(r);
  const config: Partial<TrainConfig> = { ...r.train };
  const epochs = config.epochs ?? DEFAULT_TRAIN_CONFIG.epochs;

  x.step('1/10 labelled sentences of the filings (sentences with any FiNER-139 tag), and every prose sentence with its tags and its repeats of a target value');
  await x.finer({ args: ['ixbrl', r.filings, '--out', p.ixbrl139], done: join(p.ixbrl139, 'dataset_info.json') });
  await x.finer({ args: ['ixbrl', r.filings, '--out', p.ixbrlAll, '--all-sentences'], done: join(p.ixbrlAll, 'dataset_info.json') });

  x.step("2/10 WordPiece vocabulary of the train-split companies' prose");
  await x.finer({ args: ['vocab', '--data', p.ixbrlAll, '--out', p.vocab, '--size', '16000'], done: join(p.vocab, 'vocab.txt') });

  x.step("3/10 the 4-entity dataset plus 2 negatives (sentences with only other tags) per target sentence: its test split is the seed's measure");
  // from ixbrl139: its validation and test negatives are a sample of another pool than ixbrl-all's
  // (more sentences there are dropped as seen in train), and the test split's figures stay comparable
  await x.finer({ args: ['subset', p.ixbrl139, '--out', p.neg2, '--negatives', '2', '--seed', '42'], done: join(p.neg2, 'dataset_info.json') });

  x.step(`4/10 the training data: ${p.training} (${r.prose} untagged prose sentences without debt words and ${r.proseDebt} with them per target sentence)`);
  if (p.training !== p.neg2) {
    await x.finer({
      args: ['subset', p.ixbrlAll, '--out', p.training, '--negatives', '2', '--prose', `${r.prose}`, '--prose-debt', `${r.proseDebt}`, '--seed', '42'],
      done: join(p.training, 'dataset_info.json'),
    });
  }

  x.step(`5/10 the pretrained encoder: ${r.encoder} (committed; masked-LM on the train-split companies' prose, see its pretraining.json)`);
  await x.code(`check that ${r.encoder}/model.safetensors exists`, async () => {
    if (!existsSync(join(r.encoder, 'model.safetensors'))) {
      throw new FinerError(`${r.encoder}/model.safetensors is missing; expected the committed pretrained encoder (docs/model-quality.md: Pretraining)`);
    }
  });

  let stage1 = r.encoder;
  if (r.stage1Epochs > 0) {
    x.step(`6/10 supervised domain stage: all 139 FiNER tags of the train-split companies (${r.stage1Epochs} epochs, from the encoder)`);
    stage1 = p.stage1;
    await x.finer(trainRun({ out: p.stage1, data: p.ixbrl139, init: r.encoder, config: { ...config, epochs: r.stage1Epochs }, report: join(p.stage1, 'train.json') }));
  } else {
    x.step('6/10 no 139-tag stage (stage1Epochs 0): the 4-type stage starts from the encoder');
  }

  x.step(`7/10 the 4 entity types with negatives (${epochs} epochs from ${stage1}, best validation entity F1 kept; seeds: ${r.seeds.join(' ')})`);
  const trainReport = p.report('train.json');
  if (r.seeds.length === 1) {
    await x.finer(trainRun({ out: p.run, data: p.training, init: stage1, config: { ...config, seed: r.seeds[0]! }, report: trainReport }));
  } else if (existsSync(join(p.run, 'model.safetensors'))) {
    x.skip(join(p.run, 'model.safetensors'), "the seeds' runs and the choice among them");
  } else {
    // one run per seed, side by side; the model is the one of best validation entity F1 (the test split plays no part)
    const runs = r.seeds.map((seed) => p.seedRun(seed));
    await x.parallel(r.seeds.map((seed, i) => trainRun({ out: runs[i]!, data: p.training, init: stage1, config: { ...config, seed }, report: join(runs[i]!, 'train.json') })));
    for (const dir of runs) {
      await x.finer({ args: ['evaluate', '--model', dir, '--data', p.neg2, '--split', 'validation', '--out', join(dir, 'validation.json')], done: join(dir, 'validation.json'), quiet: true });
    }
    await x.code(`keep the run of best validation entity micro F1 as ${p.run}, its train.json as ${trainReport}`, async () => {
      const candidates: Candidate[] = [];
      for (const dir of runs) {
        const file = join(dir, 'validation.json');
        const f1 = (await readReportFile(file, 'validation report (finer evaluate)', parseEvalReport)).datasets[0]!.metrics.micro.f1;
        process.stderr.write(`${dir}: validation entity micro F1 ${f1}\n`);
        candidates.push({ dir, f1 });
      }
      const best = bestCandidate(candidates);
      process.stderr.write(`the model: ${best.dir}\n`);
      const tmp = tempOf(p.run, 'tmp');
      await rm(tmp, { recursive: true, force: true });
      await cp(best.dir, tmp, { recursive: true });
      await rename(tmp, p.run);
      await writeFileAtomic(trainReport, await readFile(join(best.dir, 'train.json')));
    });
  }

  x.step('8/10 per-type score thresholds, then the context check learned from the train filings\' prose, both fitted on the whole-document dev set; evaluation: test split (companies never seen in training), the FiNER-139 sample, the dev set, and every prose sentence with a digit of the test filings');
  await x.finer({ args: ['thresholds', '--model', p.run, '--data', r.devSet, '--guard', p.neg2, '--max-loss', '0.01'], done: join(p.run, 'thresholds.json') });
  await x.finer({ args: ['verifier', '--model', p.run, '--train', p.ixbrlAll, '--data', r.devSet, '--guard', p.neg2, '--max-loss', '0.01', '--backend', 'int8'], done: join(p.run, 'verifier.json') });
  await x.finer({ args: ['evaluate', '--model', p.run, '--data', p.neg2, r.sample, r.devSet, '--whole-doc', p.ixbrlAll, '--out', p.report('eval.json')] });

  x.step('9/10 export');
  const pretraining = join(r.encoder, 'pretraining.json');
  const subsetInfo = join(p.training, 'dataset_info.json');
  const notes = async (): Promise<string[]> => {
    const origin = originNote({
      encoder: r.encoder, pretraining: await readPretrainingFacts(pretraining), stage1Epochs: r.stage1Epochs, epochs,
      prose: p.training !== p.neg2, seeds: r.seeds,
    });
    const data = dataNote({
      subset: await readSubsetFacts(subsetInfo), filings: await readFilingCount(join(p.ixbrl139, 'dataset_info.json')),
      ...(p.training !== p.neg2 ? { prose: { prose: r.prose, proseDebt: r.proseDebt } } : {}),
    });
    return ['--origin-note', origin, '--data-note', data];
  };
  // a dry run names the notes' sources when the files they are read from are not there yet
  const noteArgs = !x.dryRun || [pretraining, subsetInfo, join(p.ixbrl139, 'dataset_info.json')].every(existsSync)
    ? await notes()
    : ['--origin-note', `<the training, from ${pretraining}>`, '--data-note', `<the data, from ${subsetInfo}>`];
  await x.finer({
    args: ['export', '--model', p.run, '--out', p.model, '--eval', p.report('eval.json'), '--train-data', p.training, '--filings', r.filings, ...noteArgs],
  });

  x.step('10/10 comparison: checkpoint, ONNX fp32, ONNX int8, transformers.js');
  await x.finer({ args: ['compare', '--model', p.model, '--data', p.neg2, '--trained', p.run, '--out', p.report('compare.json')] });
  x.step(`done: ${p.model}, ${['train', 'eval', 'compare'].map((n) => p.report(`${n}.json`)).join(', ')}`);
}
