/**
 * Sentences -> sub-token batches. Labels follow HF's token-classification
 * alignment: the first sub-token of each word carries the word's label, the
 * other sub-tokens and [CLS]/[SEP] carry -100 (ignored by the loss).
 * A sentence longer than the window becomes overlapping windows.
 * Batches are length-bucketed and padded to their own longest sentence.
 */
import { FinerError } from '../util/errors.ts';
import type { WordEncoder } from '../tokenizer/wordpiece.ts';
import { encodeWindows, type WindowOptions } from '@finer-lens/core/text/windows.ts';
import { collateWindows } from '@finer-lens/core/ner/tagger.ts';
import { IGNORE, type Batch } from '../engine/batch.ts';
import type { FinerSentence } from '../data/sentence.ts';
import { hashSeed, mulberry32, shuffleInPlace } from '../util/rng.ts';

export { IGNORE, type Batch } from '../engine/batch.ts';

/** One window of a sentence as the model sees it: sub-token ids and aligned labels, same length. */
export interface EncodedSentence { ids: Int32Array; labels: Int32Array }

export interface EncodeReport {
  encoded: EncodedSentence[];
  /** Sentences longer than one window, and the windows they became. */
  windowed: number;
  windows: number;
}

/**
 * Encode and align every sentence; a sentence longer than `maxLength`
 * sub-tokens becomes overlapping windows (core/src/text/windows.ts), each one an
 * example, so no word is lost. Ids must be < vocabSize: a vocab that does
 * not match the model is caught here, before training.
 */
export function encodeSentences(
  sentences: readonly FinerSentence[],
  encoder: WordEncoder & { cls: number; sep: number },
  opts: WindowOptions & { vocabSize: number; where: string },
): EncodeReport {
  let windowed = 0;
  let windows = 0;
  const encoded: EncodedSentence[] = [];
  for (const s of sentences) {
    const parts = encodeWindows(s.tokens.map((w) => encoder.pieces(w)), encoder, opts);
    const tags = trainingTags(s);
    if (parts.length > 1) {
      windowed += 1;
      windows += parts.length;
    }
    for (const { ids, wordIds } of parts) {
      const labels = alignLabels(wordIds, tags);
      ids.forEach((id) => {
        if (!Number.isInteger(id) || id < 0 || id >= opts.vocabSize) {
          throw new FinerError(`${opts.where}: sentence "${s.id}" encodes to token id ${id}; expected 0..${opts.vocabSize - 1} (config vocab_size ${opts.vocabSize})`);
        }
      });
      encoded.push({ ids: Int32Array.from(ids), labels: Int32Array.from(labels) });
    }
  }
  return { encoded, windowed, windows };
}

/** A sentence's label ids for the loss: words of unknown label (its `ignore` field, see train/dataset.ts) get IGNORE. */
export function trainingTags(s: FinerSentence): readonly number[] {
  const ignore = s.ignore as readonly number[] | undefined;
  if (!ignore?.length) return s.ner_tags;
  const out = [...s.ner_tags];
  for (const i of ignore) out[i] = IGNORE;
  return out;
}

/** The label of each sub-token: its word's tag on the word's first sub-token, -100 on the rest and on [CLS]/[SEP]. */
export function alignLabels(wordIds: readonly (number | null)[], tags: readonly number[]): number[] {
  return wordIds.map((w, i) => (w === null || wordIds[i - 1] === w ? IGNORE : tags[w]!));
}

export interface BatchPlan { batchSize: number; seed: number; epoch: number; bucketBatches: number }

/**
 * Indices of the sentences in each batch of one epoch: a pure function of
 * (lengths, seed, epoch), so a resumed run sees the same batches.
 * Shuffle, cut into buckets of `bucketBatches` batches, sort each bucket by
 * length (so a batch holds similar lengths and little padding), cut into
 * batches, and shuffle the batch order.
 */
export function epochBatches(lengths: readonly number[], plan: BatchPlan): number[][] {
  const random = mulberry32(hashSeed(plan.seed, plan.epoch));
  const order = shuffleInPlace([...lengths.keys()], random);
  const bucket = plan.batchSize * plan.bucketBatches;
  const batches: number[][] = [];
  for (let b = 0; b < order.length; b += bucket) {
    const chunk = order.slice(b, b + bucket).sort((x, y) => lengths[y]! - lengths[x]! || x - y);
    for (let i = 0; i < chunk.length; i += plan.batchSize) batches.push(chunk.slice(i, i + plan.batchSize));
  }
  return shuffleInPlace(batches, random);
}

/** Number of batches per epoch; the same for every epoch. */
export function batchesPerEpoch(count: number, batchSize: number, bucketBatches: number): number {
  const bucket = batchSize * bucketBatches;
  const full = Math.floor(count / bucket) * bucketBatches;
  return full + Math.ceil((count % bucket) / batchSize);
}

/** Pad the chosen sentences to the longest of them as the tagger pads windows (pad id, mask 0), with label -100 on the padding. */
export function collate(sentences: readonly EncodedSentence[], indices: readonly number[], padId: number): Batch {
  const chosen = indices.map((i) => sentences[i]!);
  const batch = collateWindows(chosen, padId);
  const labels = new BigInt64Array(batch.inputIds.length).fill(BigInt(IGNORE));
  chosen.forEach(({ labels: lab }, row) => lab.forEach((l, t) => (labels[row * batch.seqLen + t] = BigInt(l))));
  return { ...batch, labels };
}

/** Number of labelled (non-ignored) tokens in a batch. */
export function labelledTokens(batch: Batch): number {
  let n = 0;
  for (const l of batch.labels) if (l !== BigInt(IGNORE)) n++;
  return n;
}
