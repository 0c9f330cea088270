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
import { join } from 'node:path';
import { hashSeed } from '@finer-lens/training/util/rng.ts';
import { classifierConfig } from '@finer-lens/training/train/checkpoint.ts';
import { AdamW, clipScale, globalNorm, GradAccumulator } from '@finer-lens/training/engine/adamw.ts';
import { readSavedModel, type OptimizerState } from '@finer-lens/training/engine/checkpoint.ts';
import type { StepRecord } from '@finer-lens/training/engine/loop.ts';
import { validateConfig, type DistilBertConfig } from '@finer-lens/training/model/config.ts';
import { initParams, paramSpecs } from '@finer-lens/training/model/params.ts';
import { createMaskedLmStep, createTrainingStep, type MaskedLmStep, type TrainingStep } from '@finer-lens/training/engine/step.ts';
import type { ObjectiveContext, ObjectiveFactory, PretrainingObjective } from '@finer-lens/training/pretrain/objective.ts';
import { replacedTokenBatch, RTD_LABELS, sampleReplacements } from './replaced-tokens.ts';
import { lossSummary, parameterCount, type GeneratorSize } from '@finer-lens/training/pretrain/checkpoint.ts';

/** The checkpoint subfolder of the generator. */
export const GENERATOR = 'generator';
/** The objective's name in the run's state and pretraining.json. */
export const ELECTRA = 'electra';

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

/** The generator: fresh (no optimizer state yet), or a checkpoint's generator/ folder (`readGenerator`). */
export interface Generator { config: DistilBertConfig; params: Map<string, Float32Array>; optimizer?: OptimizerState }

/** The generator of a checkpoint folder (its generator/ subfolder), with its AdamW state. */
export function readGenerator(checkpointDir: string): Promise<Generator> {
  return readSavedModel(join(checkpointDir, GENERATOR), (config) => paramSpecs(config, 'mlm', 0));
}

/**
 * The ELECTRA objective: the loop trains the discriminator; the objective
 * owns the generator, its onnxruntime step and its own AdamW, which it
 * updates after the loop's update at the same learning rate and clip.
 */
export function electraObjective(generator: Generator, opts: { weightDecay: number }): ObjectiveFactory {
  return (ctx) => electra(ctx, generator, opts);
}

function electra(ctx: ObjectiveContext, generator: Generator, opts: { weightDecay: number }): PretrainingObjective {
  const specs = paramSpecs(generator.config, 'mlm', 0);
  const optimizer = new AdamW(specs, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: opts.weightDecay });
  if (generator.optimizer) optimizer.restore(generator.optimizer);
  const accumulator = new GradAccumulator();
  let grads: Map<string, Float32Array> | undefined;
  let lossSum = 0;
  let replaced = 0;
  let labelled = 0;
  let gen: MaskedLmStep | null = null;
  let disc: TrainingStep | null = null;
  return {
    params: ctx.params,
    batch: ctx.batch,
    async run({ rows, batch }, micro) {
      if (micro === 0) {
        lossSum = replaced = labelled = 0;
        grads = undefined;
      }
      const g = await gen!.run(generator.params, batch);
      if (!Number.isFinite(g.loss)) throw new Error(`generator loss is ${g.loss}`);
      const samples = sampleReplacements(g.logits!, batch, rows, ctx.seed, ctx.vocab);
      const rtd = replacedTokenBatch(rows, batch, samples, ctx.vocab.pad);
      lossSum += g.loss;
      replaced += rtd.replaced;
      labelled += rtd.labelled;
      if (ctx.accum === 1) grads = g.grads;
      else accumulator.add(g.grads);
      return disc!.run(ctx.params, rtd.batch);
    },
    afterUpdate(lr, clip) {
      const g = grads ?? accumulator.take();
      const gradNorm = globalNorm(g);
      optimizer.update(generator.params, g, lr, clipScale(gradNorm, clip));
      return { generatorLoss: lossSum / ctx.accum, generatorGradNorm: gradNorm, replaced: replaced / labelled };
    },
    async startSegment(segment) {
      await this.release();
      gen = await createMaskedLmStep(generator.config, { dropoutSeed: hashSeed(ctx.seed, GENERATOR_SEED, segment), threads: ctx.threads, logits: true });
      disc = await createTrainingStep(ctx.config, 'token-classification', RTD_LABELS.length, { dropoutSeed: hashSeed(ctx.seed, segment), threads: ctx.threads });
    },
    others: () => [[GENERATOR, { config: generator.config, specs, params: generator.params, optimizer }]],
    detail: (r) => {
      const e = r as StepRecord & { generatorLoss: number; replaced: number };
      return `gen ${e.generatorLoss.toFixed(4)} | disc ${e.loss.toFixed(4)} | replaced ${(e.replaced * 100).toFixed(1)}%`;
    },
    record: (state) => ({
      generator: {
        n_layers: generator.config.n_layers, dim: generator.config.dim, n_heads: generator.config.n_heads, hidden_dim: generator.config.hidden_dim,
        parameters: parameterCount(specs),
        loss: lossSummary(state.history.map((h) => ({ ...h, loss: h.generatorLoss ?? NaN }))),
      },
    }),
    async release() {
      await gen?.release();
      await disc?.release();
      gen = disc = null;
    },
  };
}
