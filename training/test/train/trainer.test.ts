import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initParams, paramSpecs } from '../../src/model/params.ts';
import { encodeSentences } from '../../src/train/batch.ts';
import { classifierConfig, HEAD, loadCheckpoint, type TrainOptions } from '../../src/train/checkpoint.ts';
import type { Progress } from '../../src/engine/progress.ts';
import { train, type TrainRun } from '../../src/train/trainer.ts';
import { FinerError } from '../../src/util/errors.ts';
import { LABELS, synthetic, tinyConfig, tokenizer, VOCAB } from './fixtures.ts';
import { openModelFolder } from '../../src/infer/model-folder.ts';
import { checkpointRunner } from '../../src/infer/runners.ts';
import { readEvalSet } from '../../src/eval/data.ts';
import { evaluateModel } from '../../src/eval/evaluate.ts';
import type { FinerSentence } from '../../src/data/sentence.ts';
import type { EntityMetrics } from '@finer-lens/core/ner/metrics.ts';

/** A JSONL file of FiNER sentences, as `finer evaluate --data FILE` reads it. */
async function writeSplit(sentences: readonly FinerSentence[]): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'split-')), 'validation.jsonl');
  await writeFile(path, sentences.map((s) => JSON.stringify(s)).join('\n') + '\n');
  return path;
}

const quiet: Progress = { update: () => {}, log: () => {}, setTotal: () => {}, stop: () => {} };
const encode = (n: number, seed: number) =>
  encodeSentences(synthetic(n, seed), tokenizer, { maxLength: 32, stride: 8, vocabSize: tokenizer.size, where: 'synthetic' }).encoded;

const OPTIONS: TrainOptions = {
  epochs: 3, batchSize: 4, accum: 2, lr: 3e-3, warmupSteps: 2, weightDecay: 0.01, clip: 1.0, maxLength: 32,
  seed: 7, saveEvery: 3, evalEvery: 0, keep: 2, bucketBatches: 2,
};

async function run(overrides: Partial<TrainRun> = {}): Promise<TrainRun> {
  const config = classifierConfig(tinyConfig({ dropout: 0.1, attention_dropout: 0.1 }), LABELS);
  return {
    outDir: await mkdtemp(join(tmpdir(), 'train-')),
    config,
    params: initParams(paramSpecs(config, HEAD, LABELS.length), config, 7),
    train: encode(22, 1), // 6 batches of 4 per epoch -> 3 steps of 2 per epoch, 9 steps
    validation: synthetic(6, 2),
    encoder: tokenizer,
    options: OPTIONS,
    progress: quiet,
    threads: 1,
    ...overrides,
  };
}

describe('train', () => {
  it('resumed from a checkpoint, ends bit-for-bit where an uninterrupted run ends (dropout on)', async () => {
    const whole = await train(await run());
    expect(whole.state.step).toBe(9);

    // Stop after 5 steps: the last checkpoint is step 3, so steps 4-5 are redone on resume.
    const first = await run();
    await train({ ...first, stopAfterSteps: 5 });
    expect(await readFile(join(first.outDir, 'last'), 'utf8')).toBe('checkpoint-3\n');
    const resumed = await train({ ...first, params: new Map(), resume: await loadCheckpoint(first.outDir) });

    expect(resumed.state.history).toEqual(whole.state.history);
    expect(resumed.state.evals).toEqual(whole.state.evals);
    for (const [name, value] of whole.params) expect(resumed.params.get(name), name).toEqual(value);
  });

  it('resumes a run that recorded augmentNumbers 0 (runs before 2026-12-07) as any other, and refuses, before any step, one that recorded more', async () => {
    const whole = await train(await run());
    const cut = await run();
    await train({ ...cut, stopAfterSteps: 5 });
    const statePath = join(cut.outDir, 'checkpoint-3', 'trainer_state.json');
    const recorded = async (augmentNumbers: number) => {
      const state = JSON.parse(await readFile(statePath, 'utf8'));
      await writeFile(statePath, JSON.stringify({ ...state, options: { ...state.options, augmentNumbers } }));
    };
    await recorded(0.5);
    await expect(train({ ...cut, params: new Map(), resume: await loadCheckpoint(cut.outDir) })).rejects.toThrow(new FinerError(
      "cannot resume: the checkpoint's options have augmentNumbers 0.5, number augmentation, which left finer train on 2026-12-07; " +
        'expected 0 or none (lab/RESULTS.md names the commit that still runs it)',
    ));
    expect((await readdir(cut.outDir)).sort()).toEqual(['best', 'checkpoint-3', 'last']); // nothing trained, nothing written
    await recorded(0);
    const resumed = await train({ ...cut, params: new Map(), resume: await loadCheckpoint(cut.outDir) });
    expect(resumed.state.options.augmentNumbers).toBe(0); // the options it recorded, kept
    expect(resumed.state.history).toEqual(whole.state.history);
    for (const [name, value] of whole.params) expect(resumed.params.get(name), name).toEqual(value);
  });

  it('keeps the newest checkpoints, evaluates per epoch, and writes the final model files', async () => {
    const r = await run();
    const evals: number[] = [];
    const result = await train({ ...r, onEvaluate: (e) => void evals.push(e.step) });
    expect(evals).toEqual([3, 6, 9]);
    const files = (await readdir(r.outDir)).sort();
    expect(files).toEqual(['best', 'checkpoint-6', 'checkpoint-9', 'config.json', 'last', 'model.safetensors']);
    expect((await readdir(join(r.outDir, 'checkpoint-9'))).sort()).toEqual([
      'config.json', 'model.safetensors', 'optimizer.safetensors', 'trainer_state.json',
    ]);
    const config = JSON.parse(await readFile(join(r.outDir, 'config.json'), 'utf8'));
    expect(config.architectures).toEqual(['DistilBertForTokenClassification']);
    expect(config.id2label).toEqual({ 0: 'O', 1: 'B-RATE', 2: 'B-AMOUNT' });
    expect(result.state.best?.step).toBeDefined();
    // linear warm-up then decay
    const lrs = result.state.history.map((h) => h.lr);
    expect(lrs[1]).toBeCloseTo(OPTIONS.lr, 10);
    expect(lrs[0]).toBeCloseTo(OPTIONS.lr / 2, 10);
    expect(lrs[8]!).toBeLessThan(lrs[2]!);
  });

  it('keeps the model of the best validation entity F1 as the run\'s model, and stops early after `patience` evaluations without one', async () => {
    const r = await run();
    const result = await train({ ...r, options: { ...OPTIONS, epochs: 8, patience: 2 } });
    const evals = result.state.evals;
    const best = result.state.best!;
    expect(best.metric).toBe('eval_f1');
    expect(best.value).toBe(Math.max(...evals.map((e) => e.f1!)));
    expect(best.step).toBe(evals.find((e) => e.f1 === best.value)!.step);
    const model = await readFile(join(r.outDir, 'model.safetensors'));
    expect(model.equals(await readFile(join(r.outDir, 'best', 'model.safetensors')))).toBe(true);
    // with this seed the F1 peaks early: the run stops exactly `patience` evaluations after its best one, before the schedule's end
    expect(result.state.stopped).toEqual({ step: result.state.step, reason: 'early-stopping' });
    expect(evals.filter((e) => e.step > best.step)).toHaveLength(2);
    expect(result.state.step).toBeLessThan(result.state.totalSteps);
    expect(evals.at(-1)!.step).toBe(result.state.step);
    // the best model's weights are what train() returns
    for (const [name, value] of result.params) expect(value.length, name).toBeGreaterThan(0);
  });

  it("reports, for its best model, the F1 and word accuracy `finer evaluate` gives that model on the same sentences", async () => {
    // windows of 10 sub-tokens: most validation sentences become two or three overlapping windows
    const r = await run({ options: { ...OPTIONS, maxLength: 10 } });
    const result = await train(r);
    const best = result.state.evals.find((e) => e.step === result.state.best!.step)!;
    await writeFile(join(r.outDir, 'vocab.txt'), VOCAB.join('\n') + '\n');
    // the run's model is its best; evaluated with the run's window, as `finer export` writes it into config.json
    const folder = { ...(await openModelFolder(r.outDir, { needWeights: true })), window: { maxLength: 10, stride: 2 } };
    const set = await readEvalSet(await writeSplit(r.validation as FinerSentence[]), 'validation', LABELS);
    const runner = await checkpointRunner(folder, 1);
    const report = await evaluateModel(folder, [set], runner.run, { backend: 'checkpoint', batchSize: 32 });
    await runner.release();
    const metrics = report.datasets[0]!.metrics as EntityMetrics;
    expect(best.f1).toBe(metrics.micro.f1);
    expect(best.accuracy).toBe(metrics.tokenAccuracy);
    expect(best.tokens).toBe(r.validation.reduce((n, s) => n + s.tokens.length, 0));
    expect(best.f1).toBeGreaterThan(0);
    expect(best.f1).toBeLessThan(1); // a score that could differ between the two ways
  });

  it('refuses a max length beyond max_position_embeddings before training', async () => {
    const r = await run();
    await expect(train({ ...r, options: { ...OPTIONS, maxLength: 100 } })).rejects.toThrow(
      /--max-length 100 exceeds the model's max_position_embeddings 64/,
    );
    expect(await readdir(r.outDir)).toEqual([]);
  });

  it('refuses a max length below 3 ([CLS], one sub-token, [SEP]) before training, instead of a NaN loss', async () => {
    const r = await run();
    for (const maxLength of [2, 1, 0, -1, 2.5]) {
      await expect(train({ ...r, options: { ...OPTIONS, maxLength } }), String(maxLength)).rejects.toThrow(
        new RegExp(`^--max-length ${maxLength}: too short; expected an integer of at least 3 \\(\\[CLS\\], one sub-token, \\[SEP\\]\\)$`),
      );
    }
    await expect(train({ ...r, options: { ...OPTIONS, maxLength: 2 } })).rejects.toThrow(FinerError);
    expect(await readdir(r.outDir)).toEqual([]);
  });

  it('refuses to resume on different data', async () => {
    const r = await run();
    await train({ ...r, stopAfterSteps: 3 });
    await expect(train({ ...r, train: encode(22, 99), resume: await loadCheckpoint(r.outDir) })).rejects.toThrow(FinerError);
  });
});
