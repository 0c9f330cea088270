/**
 * ELECTRA (Clark et al. 2020): a small masked-LM generator fills the masked
 * positions with samples, and the model being pretrained, the discriminator,
 * learns to tell every position's token original (0) or replaced (1) with a
 * 2-class token-classification head. Each model has its own loss; no
 * gradient crosses the sampling, so the paper's `gen + 50 disc` sum is two
 * separate losses with two AdamW optimizers (Adam is invariant to the 50,
 * up to eps and clipping). Embeddings are not shared (the generator is
 * narrower).
 */
import { hashSeed } from '../util/rng.ts';
import { classifierConfig } from '../train/checkpoint.ts';
import { defaultConfig, validateConfig, type DistilBertConfig } from '../model/config.ts';
import { initParams, paramSpecs } from '../model/params.ts';
import { createMaskedLmStep, createTrainingStep, type MaskedLmStep, type TrainingStep } from '../model/step.ts';
import type { MaskVocab } from './masking.ts';
import type { Objective, TrainedModel } from './objective.ts';
import { replacedTokenBatch, RTD_LABELS, sampleReplacements } from './replaced-tokens.ts';
import type { GeneratorSize } from './checkpoint.ts';

/** Salt of the generator's initialisation and dropout seeds. */
const GENERATOR_SEED = 0x67656e72;

/** The generator's size from --generator-layers/--generator-dim: heads of 64 (at least one), FFN 4x dim (ELECTRA's small generator). */
export function generatorSize(layers: number, dim: number): GeneratorSize {
  return { n_layers: layers, dim, n_heads: Math.max(1, Math.floor(dim / 64)), hidden_dim: 4 * dim };
}

/** DistilBertForMaskedLM of that size, on the discriminator's vocabulary and positions. */
export function generatorConfig(discriminator: DistilBertConfig, size: GeneratorSize): DistilBertConfig {
  const { id2label: _i, label2id: _l, ...base } = discriminator;
  const config = validateConfig({ ...base, ...size }, '--generator-layers/--generator-dim');
  return { ...config, architectures: ['DistilBertForMaskedLM'] };
}

/** The discriminator's config: the encoder's, with the original/replaced head (DistilBertForTokenClassification). */
export function discriminatorConfig(encoder: DistilBertConfig): DistilBertConfig {
  return classifierConfig(encoder, RTD_LABELS);
}

/**
 * The discriminator's parameters: the encoder body of `from` (fresh or an
 * --init encoder), a fresh head; `from` must hold every `distilbert.*` tensor.
 */
export function discriminatorParams(config: DistilBertConfig, from: ReadonlyMap<string, Float32Array>, seed: number): Map<string, Float32Array> {
  const params = initParams(paramSpecs(config, 'token-classification', RTD_LABELS.length), config, seed);
  for (const name of params.keys()) if (name.startsWith('distilbert.')) params.set(name, from.get(name)!);
  return params;
}

/** A fresh generator, initialised from its own seed stream. */
export function freshGenerator(config: DistilBertConfig, seed: number): Map<string, Float32Array> {
  return initParams(paramSpecs(config, 'mlm', 0), config, hashSeed(seed, GENERATOR_SEED));
}

/** The ELECTRA objective: models [discriminator, generator]. */
export function electraObjective(
  discriminator: TrainedModel,
  generator: TrainedModel,
  opts: { seed: number; threads?: number; vocab: Pick<MaskVocab, 'specials' | 'pad'> },
): Objective {
  let gen: MaskedLmStep | null = null;
  let disc: TrainingStep | null = null;
  return {
    models: [discriminator, generator],
    async run(rows, batch) {
      const g = await gen!.run(generator.params, batch);
      const samples = sampleReplacements(g.logits!, batch, rows, opts.seed, opts.vocab);
      const rtd = replacedTokenBatch(rows, batch, samples, opts.vocab.pad);
      const d = await disc!.run(discriminator.params, rtd.batch);
      return { losses: [d.loss, g.loss], grads: [d.grads, g.grads], replaced: { replaced: rtd.replaced, labelled: rtd.labelled } };
    },
    async startSegment(segment) {
      await this.release();
      gen = await createMaskedLmStep(generator.config, { dropoutSeed: hashSeed(opts.seed, GENERATOR_SEED, segment), threads: opts.threads, logits: true });
      disc = await createTrainingStep(discriminator.config, 'token-classification', RTD_LABELS.length, { dropoutSeed: hashSeed(opts.seed, segment), threads: opts.threads });
    },
    async release() {
      await gen?.release();
      await disc?.release();
      gen = disc = null;
    },
  };
}
