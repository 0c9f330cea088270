import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import { FinerError } from '../util/errors.ts';
import type { Batch } from '../train/batch.ts';
import type { DistilBertConfig } from './config.ts';
import { paramSpecs, type Head, type ParamSpec } from './params.ts';
import { gradName, inferenceGraph, LOSS, trainingGraph } from './distilbert.ts';

export interface StepResult {
  loss: number; // mean loss over non-ignored tokens
  grads: Map<string, Float32Array>; // gradient of that loss, per parameter
}

export interface TrainingStep {
  run(params: Map<string, Float32Array>, batch: Batch): Promise<StepResult>;
  /** Eval forward, no dropout: [batch, seq, numLabels] (or vocab for the MLM head). */
  logits(params: Map<string, Float32Array>, batch: Batch): Promise<Float32Array>;
  release(): Promise<void>;
}

/**
 * Check a batch against the model before it reaches onnxruntime, whose own
 * errors would not say which field is wrong: sequence length, token ids,
 * attention mask, label ids.
 */
export function checkBatch(config: DistilBertConfig, head: Head, numLabels: number, batch: Batch, withLabels = true): void {
  const { batchSize: B, seqLen: S } = batch;
  const n = B * S;
  if (S > config.max_position_embeddings) throw new FinerError(`batch: seqLen ${S} exceeds max_position_embeddings; expected at most ${config.max_position_embeddings} sub-tokens per sequence`);
  if (B < 1 || S < 1) throw new FinerError(`batch: expected batchSize and seqLen >= 1, got ${B} x ${S}`);
  for (const [field, arr] of [['inputIds', batch.inputIds], ['attentionMask', batch.attentionMask], ...(withLabels ? [['labels', batch.labels] as const] : [])] as const) {
    if (arr.length !== n) throw new FinerError(`batch: field "${field}" has ${arr.length} values; expected batchSize x seqLen = ${B} x ${S} = ${n}`);
  }
  const V = BigInt(config.vocab_size);
  for (let i = 0; i < n; i++) {
    const id = batch.inputIds[i]!;
    if (id < 0n || id >= V) throw new FinerError(`batch: inputIds[${Math.floor(i / S)}][${i % S}] = ${id}; expected a token id in 0..${config.vocab_size - 1} (vocab_size)`);
    const m = batch.attentionMask[i]!;
    if (m !== 0n && m !== 1n) throw new FinerError(`batch: attentionMask[${Math.floor(i / S)}][${i % S}] = ${m}; expected 0 or 1`);
  }
  if (!withLabels) return;
  const classes = head === 'mlm' ? config.vocab_size : numLabels;
  const C = BigInt(classes);
  for (let i = 0; i < n; i++) {
    const l = batch.labels[i]!;
    if (l !== -100n && (l < 0n || l >= C)) throw new FinerError(`batch: labels[${Math.floor(i / S)}][${i % S}] = ${l}; expected a label id in 0..${classes - 1} or -100 (ignored)`);
  }
}

function paramFeeds(specs: readonly ParamSpec[], params: Map<string, Float32Array>): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  for (const s of specs) {
    const data = params.get(s.name);
    const size = s.shape.reduce((a, b) => a * b, 1);
    if (!data) throw new FinerError(`params: missing ${s.name}; expected a tensor of shape [${s.shape}]`);
    if (data.length !== size) throw new FinerError(`params: ${s.name} has ${data.length} values; expected shape [${s.shape}] = ${size}`);
    feeds[s.name] = new ort.Tensor('float32', data, s.shape);
  }
  return feeds;
}

function sessionOptions(threads: number | undefined, profile: string | undefined): ort.InferenceSession.SessionOptions {
  return {
    ...(profile ? { enableProfiling: true, profileFilePrefix: profile } : {}),
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads ?? availableParallelism(),
    interOpNumThreads: 1,
    executionMode: 'sequential',
  };
}

/**
 * The first simple engine: one onnxruntime session on the training graph
 * (forward + backward), parameters fed as inputs every step; a second session
 * on the forward graph for evaluation, created on first use.
 */
export async function createTrainingStep(
  config: DistilBertConfig,
  head: Head,
  numLabels: number,
  opts: { dropoutSeed: number; threads?: number; /** file prefix for an onnxruntime profile of the training session */ profile?: string },
): Promise<TrainingStep> {
  const specs = paramSpecs(config, head, numLabels);
  const train = await ort.InferenceSession.create(trainingGraph(config, head, numLabels, opts.dropoutSeed).serialize(), sessionOptions(opts.threads, opts.profile));
  const options = sessionOptions(opts.threads, undefined);
  let evaluation: ort.InferenceSession | null = null;

  const batchFeeds = (batch: Batch, withLabels: boolean): Record<string, ort.Tensor> => {
    const dims = [batch.batchSize, batch.seqLen];
    return {
      input_ids: new ort.Tensor('int64', batch.inputIds, dims),
      attention_mask: new ort.Tensor('int64', batch.attentionMask, dims),
      ...(withLabels ? { labels: new ort.Tensor('int64', batch.labels, dims) } : {}),
    };
  };

  return {
    async run(params, batch) {
      checkBatch(config, head, numLabels, batch);
      const out = await train.run({ ...paramFeeds(specs, params), ...batchFeeds(batch, true) });
      const grads = new Map<string, Float32Array>();
      for (const s of specs) grads.set(s.name, out[gradName(s.name)]!.data as Float32Array);
      return { loss: Number((out[LOSS]!.data as Float32Array)[0]), grads };
    },
    async logits(params, batch) {
      checkBatch(config, head, numLabels, batch, false);
      evaluation ??= await ort.InferenceSession.create(inferenceGraph(config, head, numLabels).serialize(), options);
      const out = await evaluation.run({ ...paramFeeds(specs, params), ...batchFeeds(batch, false) });
      return out.logits!.data as Float32Array;
    },
    async release() {
      if (opts.profile) train.endProfiling();
      await train.release();
      if (evaluation) await evaluation.release();
    },
  };
}
