/**
 * Whole-word masking (BERT's wwm): a word is masked with all its sub-tokens
 * or not at all. A word is picked with probability `maskRate` (15%), or
 * `numberMaskRate` when it contains a digit (numbers are what the tagger
 * tags); a picked word's sub-tokens all become [MASK] (80%), all become
 * random tokens (10%) or all stay as they are (10%), and the loss asks for
 * the original ids at every one of them. A row with no word picked gets one,
 * so no row is wasted.
 *
 * The masks of a row are a pure function of (seed, the row's epoch, its index
 * in that epoch's stream), as the trainer's dropout masks are of their seed and
 * position: a resumed run draws the same ones without any saved RNG state.
 */
import { collateWindows } from '@finer-lens/core/ner/tagger.ts';
import type { MaskedLmBatch } from '../engine/batch.ts';
import { hashSeed, mulberry32 } from '../util/rng.ts';
import { HAS_DIGIT, WORD_START } from './corpus.ts';
import { SPECIAL, type PackedRow } from './packing.ts';

export type { MaskedLmBatch } from '../engine/batch.ts';

export interface MaskingOptions {
  /** Probability that a word is masked (BERT: 0.15). */
  maskRate: number;
  /** The same for a word that contains a digit. */
  numberMaskRate: number;
  seed: number;
}

/** The ids masking needs: [MASK], the vocabulary size, and the specials a random replacement must avoid. */
export interface MaskVocab { mask: number; pad: number; size: number; specials: ReadonlySet<number> }

/** BERT's split of a picked word: [MASK] below 0.8, a random token below 0.9, else unchanged. */
const AS_MASK = 0.8;
const AS_RANDOM = 0.9;
/** Salt of the masking stream. */
const MASKS = 0x6d61736b;

export interface MaskedRow {
  /** The row as the model reads it: masked words replaced. */
  input: Int32Array;
  /** Positions in the row the loss predicts (ascending), and the original id at each. */
  positions: number[];
  labels: number[];
}

/** The words of a row as [start, end) position ranges: a word starts at WORD_START or right after a special. */
export function wordsOfRow(row: PackedRow): Array<[number, number]> {
  const words: Array<[number, number]> = [];
  for (let i = 0; i < row.ids.length; i++) {
    const f = row.flags[i]!;
    if (f & SPECIAL) continue;
    const continues = i > 0 && !(row.flags[i - 1]! & SPECIAL) && !(f & WORD_START);
    if (continues) words.at(-1)![1] = i + 1;
    else words.push([i, i + 1]);
  }
  return words;
}

export function maskRow(row: PackedRow, opts: MaskingOptions, vocab: MaskVocab): MaskedRow {
  const random = mulberry32(hashSeed(opts.seed, MASKS, row.epoch, row.index));
  const words = wordsOfRow(row);
  // one draw per word whatever the rates, so the stream does not depend on them
  let picked = words.filter(([start]) => random() < (row.flags[start]! & HAS_DIGIT ? opts.numberMaskRate : opts.maskRate));
  if (picked.length === 0 && words.length > 0) picked = [words[Math.floor(random() * words.length)]!];
  const input = row.ids.slice();
  const positions: number[] = [];
  const labels: number[] = [];
  for (const [start, end] of picked) {
    const how = random();
    for (let i = start; i < end; i++) {
      positions.push(i);
      labels.push(row.ids[i]!);
      if (how < AS_MASK) input[i] = vocab.mask;
      else if (how < AS_RANDOM) input[i] = randomToken(random, vocab);
    }
  }
  return { input, positions, labels };
}

function randomToken(random: () => number, vocab: MaskVocab): number {
  for (;;) {
    const id = Math.floor(random() * vocab.size);
    if (!vocab.specials.has(id)) return id;
  }
}

/** Mask every row and pad the batch to its longest row (the epoch's last row may be shorter), as the tagger pads windows. */
export function maskedBatch(rows: readonly PackedRow[], opts: MaskingOptions, vocab: MaskVocab): MaskedLmBatch {
  const masked = rows.map((row) => maskRow(row, opts, vocab));
  const batch = collateWindows(masked.map((m) => ({ ids: m.input })), vocab.pad);
  const positions: bigint[] = [];
  const labels: bigint[] = [];
  masked.forEach((m, r) => m.positions.forEach((p, k) => {
    positions.push(BigInt(r * batch.seqLen + p));
    labels.push(BigInt(m.labels[k]!));
  }));
  return { ...batch, maskedPositions: BigInt64Array.from(positions), maskedLabels: BigInt64Array.from(labels) };
}
