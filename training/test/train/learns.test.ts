/**
 * Proof that training learns: a tiny DistilBERT on a task where a number's
 * label depends on another word of its sentence ("rate" / "amount" / neither).
 * Uniform guessing costs ln(3) = 1.10 nats per token; a model that ignores
 * context can at best learn that non-numbers are O and still pays ~0.36 nats
 * (numbers are a third of the tokens, their labels 30/30/40) and gets ~40% of
 * the numbers right. A broken gradient gets neither far.
 */
import { describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initParams, paramSpecs } from '../../src/model/params.ts';
import { inferenceRunner } from '../../src/engine/session.ts';
import { collate, encodeSentences, IGNORE } from '../../src/train/batch.ts';
import { classifierConfig, HEAD } from '../../src/train/checkpoint.ts';
import { train } from '../../src/train/trainer.ts';
import { LABELS, synthetic, tinyConfig, tokenizer, VOCAB } from './fixtures.ts';

const encode = (n: number, seed: number) =>
  encodeSentences(synthetic(n, seed), tokenizer, { maxLength: 48, stride: 8, vocabSize: VOCAB.length, where: 'synthetic' }).encoded;

describe('training a tiny DistilBERT', () => {
  it('learns a context-dependent tagging task', async () => {
    const config = classifierConfig(tinyConfig(), LABELS);
    const trainSet = encode(480, 1);
    const heldOut = encode(200, 2);
    const result = await train({
      outDir: await mkdtemp(join(tmpdir(), 'learns-')),
      config,
      params: initParams(paramSpecs(config, HEAD, LABELS.length), config, 1),
      train: trainSet,
      validation: [],
      encoder: tokenizer,
      options: {
        epochs: 20, batchSize: 16, accum: 1, lr: 3e-3, warmupSteps: 20, weightDecay: 0.01, clip: 1.0, maxLength: 48,
        seed: 1, saveEvery: 1000, evalEvery: 0, keep: 1, bucketBatches: 10,
      },
      progress: { update: () => {}, log: () => {}, setTotal: () => {}, stop: () => {} },
    });
    expect(result.state.step).toBe(600);

    const uniform = Math.log(LABELS.length);
    const losses = result.state.history.map((h) => h.loss);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(0, 5))).toBeGreaterThan(0.5 * uniform);
    expect(mean(losses.slice(-20))).toBeLessThan(0.05);

    // Held-out accuracy, on all labelled tokens and on the numbers (whose label needs context).
    const model = await inferenceRunner(config, HEAD, LABELS.length, result.params);
    const count = { all: 0, allRight: 0, numbers: 0, numbersRight: 0, majority: 0 };
    for (let i = 0; i < heldOut.length; i += 50) {
      const batch = collate(heldOut, [...Array(Math.min(50, heldOut.length - i)).keys()].map((k) => i + k), config.pad_token_id);
      const logits = await model.run(batch);
      for (let t = 0; t < batch.labels.length; t++) {
        const label = Number(batch.labels[t]);
        if (label === IGNORE) continue;
        const row = [...logits.subarray(t * 3, t * 3 + 3)];
        const right = row.indexOf(Math.max(...row)) === label;
        const isNumber = /^\d$/.test(VOCAB[Number(batch.inputIds[t])]!);
        count.all++;
        count.allRight += +right;
        count.majority += +(label === 0);
        if (isNumber) (count.numbers++, (count.numbersRight += +right));
      }
    }
    await model.release();
    const accuracy = count.allRight / count.all;
    const majority = count.majority / count.all;
    expect(accuracy).toBeGreaterThan(0.98);
    expect(accuracy - majority).toBeGreaterThan(0.15);
    expect(count.numbersRight / count.numbers).toBeGreaterThan(0.95);
  });
});
