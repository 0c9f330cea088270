import * as ort from 'onnxruntime-node';
import { sessionOptions, type SessionSettings } from './session.ts';
import { FinerError } from '../util/errors.ts';
import type { Batch, MaskedLmBatch } from './batch.ts';
import type { DistilBertConfig } from '../model/config.ts';
import { paramSpecs, type Head, type ParamSpec } from '../model/params.ts';
import { buildMaskedLmGraph, buildTrainingGraph, gradName, LOSS, MASKED_LOGITS, type DropoutSource } from '../model/distilbert.ts';
import { PrefetchedDropoutMasks } from './dropout-masks.ts';

export interface StepResult {
  loss: number; // mean loss over non-ignored tokens
  /** Gradient of that loss, per parameter. The arrays are reused by the next `run` (no 30 MB of garbage per step): use or copy them before. */
  grads: Map<string, Float32Array>;
}

export interface TrainingStep {
  run(params: Map<string, Float32Array>, batch: Batch): Promise<StepResult>;
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

export interface StepOptions extends SessionSettings {
  /** Seeds every dropout mask of this step's lifetime; a fresh step with the same seed replays them. */
  dropoutSeed: number;
  /**
   * Where dropout masks come from: 'inputs' (drawn in JS by
   * `DropoutMasks`, one `Mul` forward and backward) or 'onnx' (`Dropout`
   * nodes, onnxruntime's single-threaded RNG); see NOTES.md for the figures.
   * Default `DEFAULT_DROPOUT_SOURCE` ('inputs'), the same as `trainingGraph`'s.
   */
  dropout?: DropoutSource;
}

/** Outputs written in place by every run: the loss (a scalar) and one gradient per parameter. */
function outputArrays(specs: readonly ParamSpec[]): { loss: Float32Array; grads: Map<string, Float32Array>; fetches: Record<string, ort.Tensor> } {
  const loss = new Float32Array(1);
  const grads = new Map<string, Float32Array>();
  const fetches: Record<string, ort.Tensor> = { [LOSS]: new ort.Tensor('float32', loss, []) };
  for (const s of specs) {
    const g = new Float32Array(s.shape.reduce((a, b) => a * b, 1));
    grads.set(s.name, g);
    fetches[gradName(s.name)] = new ort.Tensor('float32', g, s.shape);
  }
  return { loss, grads, fetches };
}

/**
 * The training engine: one onnxruntime session on the training graph
 * (forward + backward). Parameters are fed as inputs every step (onnxruntime
 * reads the Float32Arrays in place, no copy); gradients are written straight
 * into arrays allocated once (preallocated `fetches`); dropout masks are drawn
 * in a worker thread during the caller's optimizer update
 * (`PrefetchedDropoutMasks`). Evaluation runs the inference graph
 * (engine/session.ts `inferenceRunner`), not this one.
 */
export async function createTrainingStep(config: DistilBertConfig, head: Head, numLabels: number, opts: StepOptions): Promise<TrainingStep> {
  const specs = paramSpecs(config, head, numLabels);
  const { graph, dropoutMasks } = buildTrainingGraph(config, head, numLabels, { dropoutSeed: opts.dropoutSeed, dropoutSource: opts.dropout });
  const train = await ort.InferenceSession.create(graph.serialize(), sessionOptions(opts));
  const masks = new PrefetchedDropoutMasks(dropoutMasks, opts.dropoutSeed);

  const { loss, grads, fetches } = outputArrays(specs);

  const batchFeeds = (batch: Batch): Record<string, ort.Tensor> => {
    const dims = [batch.batchSize, batch.seqLen];
    return {
      input_ids: new ort.Tensor('int64', batch.inputIds, dims),
      attention_mask: new ort.Tensor('int64', batch.attentionMask, dims),
      labels: new ort.Tensor('int64', batch.labels, dims),
    };
  };

  return {
    async run(params, batch) {
      checkBatch(config, head, numLabels, batch);
      const feeds = { ...paramFeeds(specs, params), ...batchFeeds(batch) };
      for (const m of await masks.take(batch.batchSize, batch.seqLen)) feeds[m.name] = new ort.Tensor('float32', m.data, m.dims);
      await train.run(feeds, fetches);
      masks.prefetch(batch.batchSize, batch.seqLen); // drawn while the caller clips and updates
      return { loss: loss[0]!, grads };
    },
    async release() {
      if (opts.profile) train.endProfiling();
      await train.release();
      await masks.release();
    },
  };
}

/**
 * Check a masked-LM batch: ids and mask as `checkBatch`, then one label per
 * masked position, each position a real token of the batch, each label a
 * token id, and at least one of them (the loss is a mean over them).
 */
export function checkMaskedLmBatch(config: DistilBertConfig, batch: MaskedLmBatch): void {
  checkBatch(config, 'mlm', 0, { ...batch, labels: batch.maskedLabels }, false); // labels are not read without withLabels
  const { maskedPositions: pos, maskedLabels: labels } = batch;
  const n = batch.batchSize * batch.seqLen;
  if (pos.length !== labels.length) throw new FinerError(`batch: ${pos.length} masked positions but ${labels.length} masked labels; expected one label per position`);
  if (pos.length === 0) throw new FinerError('batch: no masked position; expected at least one');
  const V = BigInt(config.vocab_size);
  for (let k = 0; k < pos.length; k++) {
    const p = pos[k]!;
    if (p < 0n || p >= BigInt(n) || batch.attentionMask[Number(p)] !== 1n) {
      throw new FinerError(`batch: maskedPositions[${k}] = ${p}; expected the flat index (row x seqLen + column) of a real token in 0..${n - 1}`);
    }
    const l = labels[k]!;
    if (l < 0n || l >= V) throw new FinerError(`batch: maskedLabels[${k}] = ${l}; expected a token id in 0..${config.vocab_size - 1}`);
  }
}

/** The pretraining engine: `createTrainingStep` for the masked-LM graph (`buildMaskedLmGraph`). */
export interface MaskedLmStep {
  /** With `logits` in the options, the result also holds the logits at the masked positions, [masked, vocab], from the same forward pass. */
  run(params: Map<string, Float32Array>, batch: MaskedLmBatch): Promise<StepResult & { logits?: Float32Array }>;
  release(): Promise<void>;
}

/**
 * One onnxruntime session on the masked-LM training graph, run as
 * `createTrainingStep` runs its own: parameters fed without copies,
 * gradients written into arrays allocated once, dropout masks drawn in a
 * worker thread while the caller updates the parameters.
 */
export async function createMaskedLmStep(config: DistilBertConfig, opts: StepOptions & { logits?: boolean }): Promise<MaskedLmStep> {
  const specs = paramSpecs(config, 'mlm', 0);
  const { graph, dropoutMasks } = buildMaskedLmGraph(config, { dropoutSeed: opts.dropoutSeed, dropoutSource: opts.dropout, withLogits: opts.logits });
  const session = await ort.InferenceSession.create(graph.serialize(), sessionOptions(opts));
  const masks = new PrefetchedDropoutMasks(dropoutMasks, opts.dropoutSeed);
  const { loss, grads, fetches } = outputArrays(specs);
  return {
    async run(params, batch) {
      checkMaskedLmBatch(config, batch);
      const dims = [batch.batchSize, batch.seqLen];
      const m = [batch.maskedPositions.length];
      const feeds: Record<string, ort.Tensor> = {
        ...paramFeeds(specs, params),
        input_ids: new ort.Tensor('int64', batch.inputIds, dims),
        attention_mask: new ort.Tensor('int64', batch.attentionMask, dims),
        masked_positions: new ort.Tensor('int64', batch.maskedPositions, m),
        masked_labels: new ort.Tensor('int64', batch.maskedLabels, m),
      };
      for (const d of await masks.take(batch.batchSize, batch.seqLen)) feeds[d.name] = new ort.Tensor('float32', d.data, d.dims);
      // the logits' row count changes with every batch: onnxruntime allocates them (null)
      const out = await session.run(feeds, opts.logits ? { ...fetches, [MASKED_LOGITS]: null } : fetches);
      masks.prefetch(batch.batchSize, batch.seqLen); // drawn while the caller clips and updates
      return { loss: loss[0]!, grads, ...(opts.logits ? { logits: out[MASKED_LOGITS]!.data as Float32Array } : {}) };
    },
    async release() {
      if (opts.profile) session.endProfiling();
      await session.release();
      await masks.release();
    },
  };
}
