/**
 * Fine-tuning's objective for the loop (engine/loop.ts): a token classifier's
 * cross-entropy at the labelled sub-tokens of a batch of windows.
 */
import { hashSeed } from '../util/rng.ts';
import type { DistilBertConfig } from '../model/config.ts';
import { createTrainingStep, type TrainingStep } from '../engine/step.ts';
import type { Batch } from '../engine/batch.ts';
import type { Objective } from '../engine/loop.ts';
import { HEAD } from './checkpoint.ts';

export function tokenClassification(
  config: DistilBertConfig,
  numLabels: number,
  params: Map<string, Float32Array>,
  opts: { seed: number; threads?: number; batch: (k: number) => Batch },
): Objective<Batch> {
  let step: TrainingStep | null = null;
  return {
    params,
    batch: opts.batch,
    run: (batch) => step!.run(params, batch),
    async startSegment(segment) {
      await step?.release();
      step = await createTrainingStep(config, HEAD, numLabels, { dropoutSeed: hashSeed(opts.seed, segment), threads: opts.threads });
    },
    async release() {
      await step?.release();
      step = null;
    },
  };
}
