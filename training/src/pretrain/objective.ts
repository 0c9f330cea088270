/**
 * What a pretraining step does with a masked micro-batch, as the loop
 * (engine/loop.ts) runs it: masked LM here, one DistilBertForMaskedLM and its
 * loss at the masked positions. The pretraining run (pretrainer.ts) takes
 * another objective through `PretrainRun.objective` (lab/src/electra:
 * ELECTRA's discriminator, which owns its generator).
 */
import { hashSeed } from '../util/rng.ts';
import type { DistilBertConfig } from '../model/config.ts';
import { createMaskedLmStep, type MaskedLmStep } from '../engine/step.ts';
import type { MaskedLmBatch } from '../engine/batch.ts';
import type { Objective, StepRecord } from '../engine/loop.ts';
import type { ModelToSave } from '../engine/checkpoint.ts';
import type { MaskVocab } from './masking.ts';
import type { PackedRow } from './packing.ts';
import type { PretrainCheckpoint, PretrainingRecord, PretrainState } from './checkpoint.ts';

/** A micro-batch: the packed rows and their masked batch. */
export interface MaskedMicroBatch { rows: readonly PackedRow[]; batch: MaskedLmBatch }

/** An objective of a pretraining run: the loop's, and what else its checkpoints and encoder record. */
export interface PretrainingObjective extends Objective<MaskedMicroBatch> {
  /** Models trained besides the pretrained one, each saved in a subfolder of every checkpoint. */
  others?(): ReadonlyArray<[folder: string, model: ModelToSave]>;
  /** What the progress line shows instead of "loss x". */
  detail?(record: StepRecord): string | undefined;
  /** Fields of pretraining.json beyond the pretrained model's. */
  record?(state: PretrainState): Pick<PretrainingRecord, 'generator'>;
}

/** What an objective is made from: the model pretrained (the run's or the resumed checkpoint's), the run's seed and batches. */
export interface ObjectiveContext {
  config: DistilBertConfig;
  params: Map<string, Float32Array>;
  seed: number;
  threads?: number;
  vocab: MaskVocab;
  accum: number;
  batch: (k: number) => MaskedMicroBatch;
  resume?: PretrainCheckpoint;
}

export type ObjectiveFactory = (ctx: ObjectiveContext) => PretrainingObjective;

/** Masked LM: one DistilBertForMaskedLM, its loss at the masked positions. */
export function maskedLm(ctx: ObjectiveContext): PretrainingObjective {
  let step: MaskedLmStep | null = null;
  return {
    params: ctx.params,
    batch: ctx.batch,
    run: ({ batch }) => step!.run(ctx.params, batch),
    async startSegment(segment) {
      await step?.release();
      step = await createMaskedLmStep(ctx.config, { dropoutSeed: hashSeed(ctx.seed, segment), threads: ctx.threads });
    },
    async release() {
      await step?.release();
      step = null;
    },
  };
}
