/**
 * The batches the training steps read: the tagger's padded `InputBatch`
 * (core/src/ner/tagger.ts, row-major [batchSize, seqLen]) with what a loss
 * needs. train/batch.ts makes token-classification batches, pretrain/masking.ts
 * masked-LM ones.
 */
import type { InputBatch } from '@finer-lens/core/ner/tagger.ts';

/** Label ignored by the loss. */
export const IGNORE = -100;

/** A label per position, [batchSize, seqLen]; IGNORE on [CLS], [SEP], padding and non-first sub-tokens. */
export interface Batch extends InputBatch { labels: BigInt64Array }

/**
 * A packed pretraining batch; the masked positions are flat indices
 * (row x seqLen + column) into it, ascending, with the original id at each.
 */
export interface MaskedLmBatch extends InputBatch {
  maskedPositions: BigInt64Array;
  maskedLabels: BigInt64Array;
}
