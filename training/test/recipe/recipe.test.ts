/**
 * `finer recipe` on a tiny recipe this test makes: ten one-company filings,
 * a tiny "pretrained" encoder (trained here from scratch, with a
 * pretraining.json), a dev set and a FiNER-139 sample. Every step runs once
 * (in this process, faster); a run killed during its fine-tune, started
 * again (as real processes), skips the steps done and resumes the fine-tune
 * to the same weights. A dry run prints the steps and runs nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCompareReport, parseEvalReport, parseTrainReport } from '@finer-lens/core/reports/parse.ts';
import { buildIxbrlDataset } from '../../src/data/ixbrl/build.ts';
import { writeSubset } from '../../src/data/subset.ts';
import { DEFAULT_TRAIN_CONFIG, recordedOptions } from '../../src/config/train.ts';
import { runTrain } from '../../src/train/command.ts';
import { liveRunner, runRecipe, spawnFiner, type FinerExec } from '../../src/recipe/command.ts';
import { bestCandidate, recipePaths, trainRun } from '../../src/recipe/steps.ts';
import { dataNote, originNote } from '../../src/recipe/notes.ts';
import { parseRecipe } from '../../src/recipe/recipe.ts';
import { expectOneLineError, runFiner, runFinerInProcess } from '../cli-run.ts';
import { FACE, LINE, RATE, SPREAD, fact, removeTempDirs, tempDir, writeFiling } from '../data/ixbrl-fixtures.ts';

afterAll(removeTempDirs);

const dir = tempDir('finer-recipe-');
const file = join(dir, 'recipe.json');
const TRAIN = { epochs: 2, batchSize: 4, lr: 0.003, warmupSteps: 0, maxLength: 32, stride: 8, saveEvery: 2, threads: 1 };
const recipe = {
  name: 'tiny',
  filings: join(dir, 'filings'),
  sample: join(dir, 'sample.jsonl'),
  devSet: join(dir, 'dev/train.jsonl'),
  encoder: join(dir, 'encoder'),
  prose: 0,
  proseDebt: 0,
  stage1Epochs: 0,
  seeds: [3],
  train: TRAIN,
  folders: { data: join(dir, 'data'), runs: join(dir, 'runs'), reports: join(dir, 'reports'), models: join(dir, 'models') },
};
const paths = recipePaths(parseRecipe(recipe, file));

const paragraphs = (i: number) => [
  `The notes bear interest at ${fact(RATE, `${i}.5`)}% per annum.`,
  `We issued $${fact(FACE, `${100 + i}`)} million of notes in 2021.`,
  `The revolving credit facility provides up to $${fact(LINE, `${50 + i}`)} million.`,
  `Borrowings bear interest at SOFR plus ${fact(SPREAD, `${i % 3}.25`)}%.`,
  `Long-term debt was $${fact('LongTermDebt', `${70 + i}`)} million.`,
  `The carrying amount was $${fact('DebtInstrumentCarryingAmount', `${30 + i}`)} million.`,
];

/** `finer <args>` in this process; the names of the commands it ran, in order, in `ran`. */
function inProcess(ran: string[]): FinerExec {
  return async (args) => {
    ran.push(args[0]!);
    const r = await runFinerInProcess(args);
    if (r.code !== 0) throw new Error(`finer ${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
  };
}

beforeAll(async () => {
  for (let i = 0; i < 10; i++) await writeFiling(join(dir, `filings/co${i}-2023.htm`), { cik: `${40 + i}`, paragraphs: paragraphs(i) });
  // the dev set: other companies' sentences, as finer thresholds and evaluate read a dense JSONL file
  const devFilings = [0, 1].map((i) => join(dir, `dev-filings/dev${i}.htm`));
  for (const [i, path] of devFilings.entries()) await writeFiling(path, { cik: `${90 + i}`, paragraphs: paragraphs(20 + i) });
  await buildIxbrlDataset(devFilings, { out: join(dir, 'dev-139'), seed: 1, split: [1, 0, 0], allSentences: false });
  await writeSubset(join(dir, 'dev-139'), join(dir, 'dev'), { negatives: 2, seed: 1 });
  // the encoder: a tiny model of the filings' words, trained from scratch, with the record finer pretrain writes
  const words = new Set<string>();
  for (const line of readFileSync(recipe.devSet, 'utf8').split('\n').filter(Boolean)) for (const w of JSON.parse(line).tokens) words.add(w);
  for (let i = 0; i < 40; i++) words.add(`${i}`);
  const vocab = join(dir, 'vocab.txt');
  writeFileSync(vocab, ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...[...words].sort()].join('\n') + '\n');
  await runTrain(
    { data: join(dir, 'dev'), out: recipe.encoder, vocabFile: vocab, layers: 1, dim: 16, heads: 2, hidden: 32, maxPositions: 64 },
    { ...DEFAULT_TRAIN_CONFIG, epochs: 2, batchSize: 4, lr: 3e-3, maxLength: 32, threads: 1 },
  );
  writeFileSync(join(recipe.encoder, 'pretraining.json'), JSON.stringify({ sub_tokens_read: 123456, steps: 10, minutes: 2.6, loss: { final: 2.504 } }));
  writeFileSync(recipe.sample, JSON.stringify({ id: 'sample-0', tokens: ['Interest', 'of', '4.5', '%'], gold: { 2: RATE } }) + '\n');
  writeFileSync(file, JSON.stringify(recipe, null, 1));
}, 120_000);

describe('finer recipe', () => {
  it('--dry-run prints each step and the command lines it would run, and runs nothing', async () => {
    // a real process: the command's smoke test
    const r = await runFiner(['recipe', file, '--dry-run', '--seeds', '3', '5', '--threads', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect([...r.stdout.matchAll(/^== (\d+)\/10 /gm)].map((m) => Number(m[1]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const lines = r.stdout.split('\n').map((l) => l.trim());
    expect(lines).toContain(`finer ixbrl ${recipe.filings} --out ${paths.ixbrl139}`);
    expect(lines).toContain(`finer subset ${paths.ixbrl139} --out ${paths.neg2} --negatives 2 --seed 42`);
    for (const seed of [3, 5]) {
      expect(lines).toContain(
        `finer train --data ${paths.neg2} --init ${recipe.encoder} --out ${paths.seedRun(seed)} --epochs 2 --batch-size 4 --lr 0.003 --warmup 0 --max-length 32 --stride 8 ` +
          `--seed ${seed} --save-every 2 --threads 2 --report ${join(paths.seedRun(seed), 'train.json')}`,
      );
      expect(lines).toContain(`finer evaluate --model ${paths.seedRun(seed)} --data ${paths.neg2} --split validation --out ${join(paths.seedRun(seed), 'validation.json')}`);
    }
    expect(lines).toContain(`keep the run of best validation entity micro F1 as ${paths.run}, its train.json as ${join(recipe.folders.reports, 'train.json')}`);
    expect(r.stdout).toMatch(/finer export .* --origin-note '<the training, from .*pretraining\.json>'/);
    expect(existsSync(recipe.folders.data)).toBe(false);
    expect(existsSync(recipe.folders.runs)).toBe(false);
  });

  it('runs every step; killed in its fine-tune and started again, it skips what is done and resumes to the same model', async () => {
    const ran: string[] = [];
    await runRecipe(file, {}, liveRunner(inProcess(ran), () => {}));
    expect(ran).toEqual(['ixbrl', 'ixbrl', 'vocab', 'subset', 'train', 'thresholds', 'verifier', 'evaluate', 'export', 'compare']);
    const report = (name: string) => JSON.parse(readFileSync(join(recipe.folders.reports, name), 'utf8'));
    const train = parseTrainReport(report('train.json'), 'train.json');
    expect(train.options).toEqual(recordedOptions({ ...DEFAULT_TRAIN_CONFIG, ...TRAIN, seed: 3 }));
    parseEvalReport(report('eval.json'), 'eval.json');
    parseCompareReport(report('compare.json'), 'compare.json');
    expect(existsSync(join(paths.run, 'thresholds.json'))).toBe(true);
    expect(existsSync(join(paths.run, 'verifier.json'))).toBe(true);
    const card = readFileSync(join(paths.model, 'README.md'), 'utf8');
    expect(card).toContain(`(1) the encoder \`${recipe.encoder}\`, masked-LM pretraining on their prose (0.12 M sub-tokens, 10 steps, 3 min, loss 2.50); (2) the four entity types`);
    expect(card).toMatch(/Built by `finer ixbrl` \+ `finer subset --negatives 2` from 10 inline-XBRL 10-K\/10-Q filings .*: train \d+ sentences/);
    const model = await readFile(join(paths.run, 'model.safetensors'));

    // killed after the fine-tune's first checkpoint: its run folder holds `last` and no model
    await rm(paths.run, { recursive: true });
    const killed = trainRun({ out: paths.run, data: paths.neg2, init: recipe.encoder, config: { ...TRAIN, seed: 3 }, report: join(recipe.folders.reports, 'train.json') });
    expect((await runFinerInProcess([...killed.args, '--stop-after', '3'])).code).toBe(0);
    expect(existsSync(join(paths.run, 'last'))).toBe(true);
    expect(existsSync(join(paths.run, 'model.safetensors'))).toBe(false);

    // started again, each step a real process, as `finer recipe` runs them
    const again: string[] = [];
    const log: string[] = [];
    await runRecipe(file, {}, liveRunner((args, o) => (again.push(args.slice(0, args[0] === 'train' ? 5 : 1).join(' ')), spawnFiner(args, o)), (l) => log.push(l)));
    expect(again).toEqual([`train --data ${paths.neg2} --resume ${paths.run}`, 'thresholds', 'verifier', 'evaluate', 'export', 'compare']);
    for (const done of [join(paths.ixbrl139, 'dataset_info.json'), join(paths.ixbrlAll, 'dataset_info.json'), join(paths.vocab, 'vocab.txt'), join(paths.neg2, 'dataset_info.json')]) {
      expect(log).toContain(`skipped: ${done} exists`);
    }
    expect((await readFile(join(paths.run, 'model.safetensors'))).equals(model)).toBe(true);
  }, 300_000);

  it('with several seeds, keeps the run of best validation F1 and its report', async () => {
    const ran: string[] = [];
    const several = join(dir, 'seeds.json');
    writeFileSync(several, JSON.stringify({ ...recipe, name: 'seeds', seeds: [3, 5] }));
    await runRecipe(several, {}, liveRunner(inProcess(ran), () => {}));
    // the datasets are the first test's
    expect(ran).toEqual(['train', 'train', 'evaluate', 'evaluate', 'thresholds', 'verifier', 'evaluate', 'export', 'compare']);
    const p = recipePaths(parseRecipe({ ...recipe, name: 'seeds' }, several));
    const f1 = (seed: number) => parseEvalReport(JSON.parse(readFileSync(join(p.seedRun(seed), 'validation.json'), 'utf8')), 'validation.json').datasets[0]!.metrics.micro.f1;
    const best = bestCandidate([3, 5].map((seed) => ({ dir: p.seedRun(seed), f1: f1(seed) }))).dir;
    expect((await readFile(join(p.run, 'model.safetensors'))).equals(await readFile(join(best, 'model.safetensors')))).toBe(true);
    expect(readFileSync(join(recipe.folders.reports, 'train.json'), 'utf8')).toBe(readFileSync(join(best, 'train.json'), 'utf8'));
    expect(readFileSync(join(p.model, 'README.md'), 'utf8')).toContain('Seeds 3 5 were each run; the run kept scored best on validation');
  }, 300_000);

  it('refuses a recipe whose field is missing, misspelled or mistyped, in one line naming the file and the field', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...recipe, seed: [3] }, /: field "seed" is not a recipe field; expected name, filings, .*folders\n$/],
      [{ ...recipe, seeds: [] }, /: field "seeds" is \[\]; expected a non-empty array of non-negative integers\n$/],
      [{ ...recipe, encoder: undefined }, /: field "encoder" is missing; expected a non-empty string\n$/],
      [{ ...recipe, train: { ...TRAIN, warmup: 300 } }, /: field "train.warmup" is not a training option \(did you mean "warmupSteps"\?\)/],
      [{ ...recipe, folders: { ...recipe.folders, report: 'x' } }, /: field "folders.report" is not a recipe folder; expected data, runs, reports, models\n$/],
    ];
    for (const [i, [json, message]] of cases.entries()) {
      const bad = join(dir, `bad-${i}.json`);
      writeFileSync(bad, JSON.stringify(json));
      const r = await runFinerInProcess(['recipe', bad, '--dry-run']);
      expectOneLineError(r, message);
      expect(r.stderr.startsWith(`finer: ${bad}: `), r.stderr).toBe(true);
    }
  });
});

describe('the seed choice', () => {
  it('keeps the candidate of best validation F1, the first of a tie', () => {
    expect(bestCandidate([{ dir: 'a', f1: 0.5 }, { dir: 'b', f1: 0.7 }, { dir: 'c', f1: 0.6 }]).dir).toBe('b');
    expect(bestCandidate([{ dir: 'a', f1: 0.7 }, { dir: 'b', f1: 0.7 }]).dir).toBe('a');
  });
});

describe("the model card's notes", () => {
  // the text train-default.sh wrote for the shipped recipe, from models/pretrained/finer-mlm-4x256 and data/finer4-neg2
  it("read as the shipped recipe's card", () => {
    expect(originNote({
      encoder: 'models/pretrained/finer-mlm-4x256', pretraining: { subTokensRead: 44_698_000, steps: 10913, minutes: 246.2, finalLoss: 3.2104 },
      stage1Epochs: 0, epochs: 3, prose: false, seeds: [7],
    })).toBe(
      'Trained in Node by [finer-lens](../../../README.md) (`npm run train:default`; our own autodiff emits ONNX training graphs that onnxruntime-node runs; no Python, no outside weights) ' +
        'in two stages, all on the train-split companies only: (1) the encoder `models/pretrained/finer-mlm-4x256`, masked-LM pretraining on their prose (44.70 M sub-tokens, 10913 steps, 246 min, loss 3.21); ' +
        '(2) the four entity types below with negatives (sentences with only other FiNER-139 tags), 3 epochs, keeping the epoch of best validation entity F1.',
    );
    expect(dataNote({ subset: { train: { sentences: 10431, negatives: 6954 }, validation: 1059, test: 1359 }, filings: 910 })).toBe(
      "Built by `finer ixbrl` + `finer subset --negatives 2` from 910 inline-XBRL 10-K/10-Q filings (the filers' own us-gaap tags on prose numbers), split by company 80/10/10 so that test companies are never seen in training: " +
        'train 10431 sentences (6954 negatives that hold only other FiNER-139 tags, no untagged prose), validation 1059, test 1359.',
    );
  });

  it('say which stages, which prose and which seeds', () => {
    const origin = originNote({ encoder: 'enc', pretraining: { subTokensRead: 1e6, steps: 1, minutes: 1, finalLoss: 1 }, stage1Epochs: 4, epochs: 3, prose: true, seeds: [1, 7, 42] });
    expect(origin).toContain('in three stages, ');
    expect(origin).toContain('; (2) token classification of all 139 FiNER-139 tags on their tagged sentences, 4 epochs; (3) the four entity types below with negatives (sentences with only other FiNER-139 tags, and untagged prose), 3 epochs');
    expect(origin).toMatch(/ Seeds 1 7 42 were each run; the run kept scored best on validation \(its seed is in the training facts below\)\.$/);
    expect(dataNote({ subset: { train: { sentences: 15647, negatives: 6954, prose: 5216, repeatWords: 559 }, validation: 1589, test: 2039 }, filings: 910, prose: { prose: 1, proseDebt: 0.5 } })).toBe(
      "Built by `finer ixbrl --all-sentences` + `finer subset --negatives 2 --prose 1 --prose-debt 0.5` from 910 inline-XBRL 10-K/10-Q filings (the filers' own us-gaap tags on prose numbers), split by company 80/10/10 so that test companies are never seen in training: " +
        'train 15647 sentences (6954 negatives that hold only other FiNER-139 tags, 5216 untagged prose sentences with a digit, whose 559 words that repeat a target value of their filing are left out of the loss), validation 1589, test 2039.',
    );
  });
});
