/**
 * A fine-tuning run: the loop (engine/loop.ts) on the token-classification
 * objective (objective.ts), with evaluation on the validation sentences after
 * each epoch, the best model kept, and early stopping.
 *
 * Determinism (a resumed run equals an uninterrupted one bit-for-bit), beyond
 * the loop's own:
 * - micro-batch k is batch (k mod perEpoch) of epoch floor(k / perEpoch), and
 *   an epoch's batches are a pure function of (seed, epoch);
 * - each segment's dropout seed is hash(seed, segment).
 */
import { FinerError } from '../util/errors.ts';
import { checkRecordedOptions } from '../config/train.ts';
import type { DistilBertConfig } from '../model/config.ts';
import { paramSpecs } from '../model/params.ts';
import { inferenceRunner } from '../engine/session.ts';
import type { WordPrediction } from '@finer-lens/core/ner/tagger.ts';
import type { WordPiece } from '@finer-lens/core/text/wordpiece.ts';
import { predictSet, scoreSet, type Tagger } from '../eval/evaluate.ts';
import type { DenseSet } from '../eval/data.ts';
import type { FinerSentence } from '../data/sentence.ts';
import { AdamW } from '../engine/adamw.ts';
import { defaultStride } from '@finer-lens/core/text/windows.ts';
import { runLoop, type StepRecord } from '../engine/loop.ts';
import { tokenClassification } from './objective.ts';
import { batchesPerEpoch, collate, epochBatches, IGNORE, type Batch, type EncodedSentence } from './batch.ts';
import {
  HEAD, labelsOf, saveCheckpoint, writeModelFiles,
  type Checkpoint, type EvalRecord, type TrainerState, type TrainOptions,
} from './checkpoint.ts';
import { createProgress, type Progress } from '../engine/progress.ts';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { readSafetensors } from './safetensors.ts';

export interface TrainRun {
  outDir: string;
  /** Classifier config: id2label names the labels. */
  config: DistilBertConfig;
  /** Starting parameters (fresh or from --init); ignored when resuming. */
  params: Map<string, Float32Array>;
  train: readonly EncodedSentence[];
  /** Whole sentences, scored as `finer evaluate` scores them (label ids into id2label). */
  validation: readonly FinerSentence[];
  /** The vocabulary the validation sentences are tagged with. */
  encoder: WordPiece;
  options: TrainOptions;
  resume?: Checkpoint;
  threads?: number;
  /** Return after this many optimizer steps without a final checkpoint, as a killed run would (tests). */
  stopAfterSteps?: number;
  onEvaluate?: (record: EvalRecord) => void | Promise<void>;
  progress?: Progress;
}

export interface TrainResult { params: Map<string, Float32Array>; state: TrainerState }

/** FNV-1a over every id and label, so a resume on different data is refused. */
export function fingerprint(sentences: readonly EncodedSentence[]): string {
  let h = 0x811c9dc5;
  const mix = (x: number) => (h = Math.imul(h ^ (x & 0xffff), 0x01000193) >>> 0);
  for (const s of sentences) {
    mix(s.ids.length);
    s.ids.forEach(mix);
    s.labels.forEach(mix);
  }
  return h.toString(16).padStart(8, '0');
}

/** Everything that would make training fail or be meaningless, checked before step 1. */
function checkRun(run: TrainRun, labels: readonly string[]): void {
  const o = run.options;
  const maxPos = run.config.max_position_embeddings;
  if (!Number.isInteger(o.maxLength) || o.maxLength < 3) {
    // [CLS] and [SEP] alone leave no labelled token: every loss would be 0/0 = NaN
    throw new FinerError(`--max-length ${o.maxLength}: too short; expected an integer of at least 3 ([CLS], one sub-token, [SEP])`);
  }
  if (o.maxLength > maxPos) {
    throw new FinerError(`--max-length ${o.maxLength} exceeds the model's max_position_embeddings ${maxPos}; expected at most ${maxPos}`);
  }
  for (const [k, v] of Object.entries(o) as [keyof TrainOptions, number][]) {
    if (!Number.isFinite(v)) throw new FinerError(`option ${k} = ${v}; expected a number`);
  }
  for (const k of ['epochs', 'batchSize', 'accum', 'saveEvery', 'keep', 'bucketBatches'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) throw new FinerError(`option ${k} = ${o[k]}; expected a positive integer`);
  }
  checkRecordedOptions(o, run.resume !== undefined);
  run.train.forEach((s, i) => {
    if (s.ids.length > maxPos) {
      throw new FinerError(`train sentence ${i}: ${s.ids.length} sub-tokens; expected at most max_position_embeddings ${maxPos}`);
    }
    s.labels.forEach((l) => {
      if (l !== IGNORE && (l < 0 || l >= labels.length)) {
        throw new FinerError(`train sentence ${i}: label id ${l}; expected 0..${labels.length - 1} or -100`);
      }
    });
  });
  run.validation.forEach((s, i) => {
    if (s.tokens.length !== s.ner_tags.length) throw new FinerError(`validation sentence ${i}: ${s.ner_tags.length} labels for ${s.tokens.length} words; expected one per word`);
    s.ner_tags.forEach((l) => {
      if (!Number.isInteger(l) || l < 0 || l >= labels.length) throw new FinerError(`validation sentence ${i}: label id ${l}; expected 0..${labels.length - 1}`);
    });
  });
  if (run.validation.length > 0 && run.encoder.size > run.config.vocab_size) {
    throw new FinerError(`the vocabulary has ${run.encoder.size} tokens; expected at most the model's vocab_size ${run.config.vocab_size}`);
  }
}

/**
 * The validation metrics of `params`: `finer evaluate`'s on the same
 * sentences (entity micro F1 by seqeval, word accuracy), for the model in the
 * graph `finer export` writes, tagged through `predictWords` (whole
 * sentences, each word from its most central window); and the mean
 * cross-entropy of the gold labels at the words the model reads.
 */
export async function evaluate(
  model: Tagger & { config: DistilBertConfig },
  params: ReadonlyMap<string, Float32Array>,
  set: DenseSet,
  opts: { batchSize: number; threads?: number },
): Promise<{ loss: number; accuracy: number; tokens: number; f1?: number }> {
  const runner = await inferenceRunner(model.config, HEAD, model.labels.length, params, { threads: opts.threads });
  let predictions: WordPrediction[][];
  try {
    predictions = await predictSet(model, set, runner.run, opts.batchSize, { probabilities: true });
  } finally {
    await runner.release();
  }
  const { metrics } = scoreSet(model, set, predictions);
  const labelId = new Map(model.labels.map((l, i) => [l, i]));
  let lossSum = 0;
  let read = 0;
  set.sentences.forEach((s, i) => predictions[i]!.forEach((p, w) => {
    if (!p.probs) return; // a word without sub-tokens, or [UNK] first: the model does not tag it
    lossSum -= Math.log(p.probs[labelId.get(s.labels[w]!)!]!);
    read++;
  }));
  // entity micro F1 when the labels name entities
  const f1 = model.labels.length > 1 ? metrics.micro.f1 : undefined;
  return { loss: read ? lossSum / read : NaN, accuracy: metrics.tokenAccuracy, tokens: metrics.tokens, ...(f1 !== undefined ? { f1 } : {}) };
}

function realTokens(batch: Batch): number {
  let n = 0;
  for (const m of batch.attentionMask) n += Number(m);
  return n;
}

/** Folder of the run that holds the best model so far (model.safetensors + config.json). */
export const BEST = 'best';

async function readBest(dir: string, specs: readonly { name: string }[]): Promise<Map<string, Float32Array> | undefined> {
  if (!existsSync(join(dir, 'model.safetensors'))) return undefined;
  const file = await readSafetensors(join(dir, 'model.safetensors'));
  return new Map(specs.map((s) => [s.name, file.get(s.name).data as Float32Array]));
}

export async function train(run: TrainRun): Promise<TrainResult> {
  // A resumed run continues with the checkpoint's config and hyper-parameters, whatever the caller passed.
  const config = run.resume?.config ?? run.config;
  const o = run.resume?.state.options ?? run.options;
  const labels = labelsOf(config, 'model config');
  checkRun({ ...run, config, options: o }, labels);
  const specs = paramSpecs(config, HEAD, labels.length);
  const perEpoch = batchesPerEpoch(run.train.length, o.batchSize, o.bucketBatches);
  const totalSteps = Math.max(1, Math.floor((perEpoch * o.epochs) / o.accum));
  const data = { sentences: run.train.length, fingerprint: fingerprint(run.train) };

  // --- state: fresh, or everything from the checkpoint
  const params = run.resume ? run.resume.params : run.params;
  const optimizer = new AdamW(specs, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: o.weightDecay });
  let state: TrainerState = {
    schema: 1, step: 0, totalSteps, epoch: 0, segment: 0, options: o, data,
    tokensSeen: 0, history: [], evals: [], best: null,
  };
  if (run.resume) {
    const saved = run.resume.state;
    if (saved.data.sentences !== data.sentences || saved.data.fingerprint !== data.fingerprint) {
      throw new FinerError(
        `cannot resume: the checkpoint was trained on ${saved.data.sentences} sentences (fingerprint ${saved.data.fingerprint}); ` +
          `this data has ${data.sentences} (fingerprint ${data.fingerprint}); expected the same data and vocabulary`,
      );
    }
    optimizer.restore(run.resume.optimizer);
    state = structuredClone(saved);
  }

  const progress = run.progress ?? createProgress(totalSteps, state.step);
  let epochCache: { epoch: number; batches: number[][] } | undefined;
  const microBatch = (k: number): Batch => {
    const epoch = Math.floor(k / perEpoch);
    if (epochCache?.epoch !== epoch) epochCache = { epoch, batches: epochBatches(run.train.map((s) => s.ids.length), { ...o, epoch }) };
    return collate(run.train, epochCache.batches[k % perEpoch]!, config.pad_token_id);
  };
  const objective = tokenClassification(config, labels.length, params, { seed: o.seed, threads: run.threads, batch: microBatch });
  await objective.startSegment(state.segment);
  const started = performance.now();
  let tokensHere = 0;
  let bestParams = run.resume ? await readBest(join(run.outDir, BEST), specs) : undefined;
  const validator = { config, labels, encoder: run.encoder, window: { maxLength: o.maxLength, stride: o.stride ?? defaultStride(o.maxLength) } };
  const validation: DenseSet = {
    kind: 'dense', name: 'validation', source: 'validation',
    sentences: run.validation.map((s) => ({ id: s.id, tokens: s.tokens, labels: s.ner_tags.map((t) => labels[t]!) })),
  };

  /** Counters and progress after each step, then the evaluation: at the end of each epoch (and of the run), and every evalEvery steps. */
  const afterStep = async ({ record: { loss, lr }, batches }: { record: StepRecord; batches: readonly Batch[] }) => {
    const microDone = state.step * o.accum;
    const epochEnded = Math.floor(microDone / perEpoch) > Math.floor((microDone - o.accum) / perEpoch);
    const stepTokens = batches.reduce((n, b) => n + realTokens(b), 0);
    state.epoch = microDone / perEpoch;
    state.tokensSeen += stepTokens;
    tokensHere += stepTokens;
    progress.update(state.step, { loss, lr, tokensPerSec: tokensHere / ((performance.now() - started) / 1000) });

    const last = state.step === totalSteps;
    if (run.validation.length === 0 || !(epochEnded || last || (o.evalEvery > 0 && state.step % o.evalEvery === 0))) return;
    const m = await evaluate(validator, params, validation, { batchSize: o.batchSize, threads: run.threads });
    const evalRecord: EvalRecord = { step: state.step, epoch: state.epoch, ...m };
    state.evals.push(evalRecord);
    // the best model: highest validation entity F1 (lowest loss when F1 is not defined)
    const better = m.f1 !== undefined
      ? state.best?.metric !== 'eval_f1' || m.f1 > state.best.value
      : state.best === null || m.loss < state.best.value;
    if (better) {
      state.best = m.f1 !== undefined ? { metric: 'eval_f1', value: m.f1, step: state.step } : { metric: 'eval_loss', value: m.loss, step: state.step };
      bestParams = new Map([...params].map(([k, v]) => [k, v.slice()]));
      await writeModelFiles(join(run.outDir, BEST), config, specs, bestParams);
    }
    progress.log(
      `eval step ${state.step} epoch ${state.epoch.toFixed(2)}: loss ${m.loss.toFixed(4)} accuracy ${m.accuracy.toFixed(4)}` +
        (m.f1 !== undefined ? ` entity F1 ${m.f1.toFixed(4)}` : '') + ` (${m.tokens} words)${better ? ' best' : ''}`,
    );
    await run.onEvaluate?.(evalRecord);
    // early stopping: `patience` evaluations in a row without a better model
    const sinceBest = state.evals.filter((e) => e.step > state.best!.step).length;
    if ((o.patience ?? 0) > 0 && sinceBest >= o.patience! && !last) {
      progress.log(`early stop at step ${state.step}: no better validation ${state.best!.metric} for ${sinceBest} evaluations (best at step ${state.best!.step})`);
      state.stopped = { step: state.step, reason: 'early-stopping' };
    }
  };

  const finished = await runLoop({
    objective, optimizer, state, options: o, progress, stopAfterSteps: run.stopAfterSteps, afterStep,
    checkpoint: () => saveCheckpoint(run.outDir, { config, specs, params, optimizer, state }),
  });
  if (!finished) return { params, state };
  // the run's model is the best one seen (all of them when there was no validation)
  const final = bestParams ?? params;
  await writeModelFiles(run.outDir, config, specs, final);
  return { params: final, state };
}
