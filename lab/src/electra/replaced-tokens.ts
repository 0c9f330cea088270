/**
 * ELECTRA's replaced-token detection data (Clark et al. 2020): the generator's
 * softmax at the masked positions is sampled, the samples replace the
 * original tokens there, and every real position of the corrupted row is
 * labelled 1 if its token is no longer the original one, else 0. A sample
 * that happens to be the original token is labelled 0, as in the paper.
 *
 * The samples of a row are a pure function of (seed, the row's epoch, its
 * index in that epoch's stream) and the generator's logits, as the masks are
 * (masking.ts): a resumed run, whose generator is the same bit for bit, draws
 * the same replacements without any saved RNG state.
 */
import { hashSeed, mulberry32 } from '@finer-lens/training/util/rng.ts';
import { IGNORE, type Batch } from '@finer-lens/training/engine/batch.ts';
import type { MaskedLmBatch, MaskVocab } from '@finer-lens/training/pretrain/masking.ts';
import { SPECIAL, type PackedRow } from '@finer-lens/training/pretrain/packing.ts';

/** Salt of the sampling stream. */
const SAMPLES = 0x73616d70;
/** Discriminator labels. */
export const ORIGINAL = 0;
export const REPLACED = 1;
export const RTD_LABELS = ['original', 'replaced'] as const;

/**
 * One token per masked position, drawn from softmax(logits) with the
 * specials left out (the generator is never asked for one; a [SEP] or [PAD]
 * in the discriminator's input would not be text).
 *   logits: [masked, vocab], rows in `batch.maskedPositions` order
 * -> [masked] token ids
 */
export function sampleReplacements(
  logits: Float32Array,
  batch: MaskedLmBatch,
  rows: readonly PackedRow[],
  seed: number,
  vocab: Pick<MaskVocab, 'specials'>,
): Int32Array {
  const masked = batch.maskedPositions.length;
  const V = logits.length / masked;
  const samples = new Int32Array(masked);
  const probs = new Float64Array(V);
  let random: () => number = () => NaN;
  let row = -1;
  for (let k = 0; k < masked; k++) {
    const r = Math.floor(Number(batch.maskedPositions[k]) / batch.seqLen);
    if (r !== row) {
      row = r;
      random = mulberry32(hashSeed(seed, SAMPLES, rows[r]!.epoch, rows[r]!.index));
    }
    const z = logits.subarray(k * V, (k + 1) * V);
    let max = -Infinity;
    for (let v = 0; v < V; v++) if (!vocab.specials.has(v) && z[v]! > max) max = z[v]!;
    let sum = 0;
    for (let v = 0; v < V; v++) sum += probs[v] = vocab.specials.has(v) ? 0 : Math.exp(z[v]! - max);
    // inverse CDF; the last allowed id catches the rounding left at the top
    let u = random() * sum;
    let pick = -1;
    for (let v = 0; v < V; v++) {
      if (probs[v] === 0) continue;
      pick = v;
      if ((u -= probs[v]!) < 0) break;
    }
    samples[k] = pick;
  }
  return samples;
}

/** The discriminator's batch, and how many of its labelled positions were replaced. */
export interface ReplacedTokenBatch { batch: Batch; replaced: number; labelled: number }

/**
 * The corrupted rows: the original ids (not the generator's masked input)
 * with `samples` at the masked positions; labels 1 where the token differs
 * from the original, 0 at every other real position, -100 at [CLS], [SEP]
 * and padding. Same [batch, seq] layout and attention mask as `masked`.
 */
export function replacedTokenBatch(rows: readonly PackedRow[], masked: MaskedLmBatch, samples: Int32Array, pad: number): ReplacedTokenBatch {
  const { batchSize, seqLen } = masked;
  const inputIds = new BigInt64Array(batchSize * seqLen).fill(BigInt(pad));
  const labels = new BigInt64Array(batchSize * seqLen).fill(BigInt(IGNORE));
  rows.forEach((row, r) => {
    for (let i = 0; i < row.ids.length; i++) inputIds[r * seqLen + i] = BigInt(row.ids[i]!);
  });
  masked.maskedPositions.forEach((p, k) => (inputIds[Number(p)] = BigInt(samples[k]!)));
  let replaced = 0;
  let labelled = 0;
  rows.forEach((row, r) => {
    for (let i = 0; i < row.ids.length; i++) {
      if (row.flags[i]! & SPECIAL) continue;
      const at = r * seqLen + i;
      const label = inputIds[at] === BigInt(row.ids[i]!) ? ORIGINAL : REPLACED;
      labels[at] = BigInt(label);
      replaced += label;
      labelled++;
    }
  });
  return { batch: { inputIds, attentionMask: masked.attentionMask, labels, batchSize, seqLen }, replaced, labelled };
}
