/**
 * What a pretraining step does with a masked micro-batch, one objective per
 * module: masked-LM here (one model), ELECTRA in electra.ts (a generator and
 * a discriminator). The loop in pretrainer.ts gives every model its own
 * AdamW, clipping and checkpoint files, the same schedule for all.
 */
import { hashSeed } from '../util/rng.ts';
import type { DistilBertConfig } from '../model/config.ts';
import { createMaskedLmStep, type MaskedLmStep } from '../model/step.ts';
import type { MaskedLmBatch } from './masking.ts';
import type { PackedRow } from './packing.ts';

/** A model an objective trains. */
export interface TrainedModel { config: DistilBertConfig; params: Map<string, Float32Array> }

/** One micro-batch's forward/backward. */
export interface MicroStep {
  /** Per model, in `models` order: the mean loss and its gradients (arrays reused by the next `run`). */
  losses: number[];
  grads: Map<string, Float32Array>[];
  /** ELECTRA: the positions the discriminator was asked about, and how many of them were replaced. */
  replaced?: { replaced: number; labelled: number };
}

export interface Objective {
  /** The pretrained model first (the encoder written out), then any helper (ELECTRA's generator). */
  models: TrainedModel[];
  run(rows: readonly PackedRow[], batch: MaskedLmBatch): Promise<MicroStep>;
  /** Fresh onnxruntime steps for checkpoint segment `segment`: their dropout seeds derive from (seed, segment), so a resumed run replays them. */
  startSegment(segment: number): Promise<void>;
  release(): Promise<void>;
}

/** Masked-LM: one DistilBertForMaskedLM, its loss at the masked positions. */
export function maskedLmObjective(model: TrainedModel, opts: { seed: number; threads?: number }): Objective {
  let step: MaskedLmStep | null = null;
  return {
    models: [model],
    async run(_rows, batch) {
      const r = await step!.run(model.params, batch);
      return { losses: [r.loss], grads: [r.grads] };
    },
    async startSegment(segment) {
      await step?.release();
      step = await createMaskedLmStep(model.config, { dropoutSeed: hashSeed(opts.seed, segment), threads: opts.threads });
    },
    async release() {
      await step?.release();
      step = null;
    },
  };
}
