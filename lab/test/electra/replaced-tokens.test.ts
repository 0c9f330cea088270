/**
 * ELECTRA's data: samples from the generator's softmax at the masked
 * positions (seeded per row like the masks), and the discriminator's batch,
 * labelled 1 exactly where the corrupted token differs from the original.
 */
import { describe, expect, it } from 'vitest';
import { maskedBatch, type MaskingOptions, type MaskVocab } from '@finer-lens/training/pretrain/masking.ts';
import { SPECIAL, type PackedRow } from '@finer-lens/training/pretrain/packing.ts';
import { REPLACED, ORIGINAL, replacedTokenBatch, sampleReplacements } from '../../src/electra/replaced-tokens.ts';
import { mulberry32 } from '@finer-lens/training/util/rng.ts';
import { tokenizer } from '@finer-lens/training/test/pretrain/fixtures.ts';

const vocab: MaskVocab = {
  mask: tokenizer.mask!, pad: tokenizer.pad, size: tokenizer.size,
  specials: new Set([tokenizer.pad, tokenizer.unk, tokenizer.cls, tokenizer.sep, tokenizer.mask!]),
};
const V = tokenizer.size;
const opts: MaskingOptions = { maskRate: 0.3, numberMaskRate: 0.3, seed: 11 };

/** [CLS] w w w [SEP] w w ... of `n` positions, ids from the non-special part of the vocabulary. */
function row(n: number, index: number, seed: number): PackedRow {
  const random = mulberry32(seed);
  const ids = new Int32Array(n);
  const flags = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const special = i === 0 || i % 7 === 6;
    ids[i] = i === 0 ? tokenizer.cls : special ? tokenizer.sep : 5 + Math.floor(random() * (V - 5));
    flags[i] = special ? SPECIAL : 1; // every piece a word start
  }
  return { ids, flags, epoch: 0, index };
}

/** Logits [masked, V]: random, with one id made very likely at each position when `peak` is given. */
function logitsFor(masked: number, seed: number, peak?: (k: number) => number): Float32Array {
  const random = mulberry32(seed);
  const z = Float32Array.from({ length: masked * V }, () => random() * 2);
  if (peak) for (let k = 0; k < masked; k++) z[k * V + peak(k)] = 50;
  return z;
}

describe('replacedTokenBatch', () => {
  it('puts the samples at the masked positions and labels 1 exactly where the token changed, 0 where a sample equals the original', () => {
    const rows = [row(20, 0, 1), row(13, 1, 2)]; // the second row padded to 20
    const masked = maskedBatch(rows, opts, vocab);
    const n = masked.maskedPositions.length;
    expect(n).toBeGreaterThan(3);
    const original = (p: number) => rows[Math.floor(p / 20)]!.ids[p % 20]!;
    // every other masked position gets its own original token back
    const samples = Int32Array.from({ length: n }, (_, k) => {
      const o = original(Number(masked.maskedPositions[k]));
      return k % 2 === 0 ? o : 5 + ((o - 5 + 1) % (V - 5));
    });
    const { batch, replaced, labelled } = replacedTokenBatch(rows, masked, samples, vocab.pad);
    expect(batch.attentionMask).toBe(masked.attentionMask);
    const at = new Map(Array.from(masked.maskedPositions, (p, k) => [Number(p), samples[k]!]));
    let ones = 0;
    for (let p = 0; p < 40; p++) {
      const r = rows[Math.floor(p / 20)]!;
      const i = p % 20;
      const id = Number(batch.inputIds[p]);
      const label = Number(batch.labels[p]);
      if (i >= r.ids.length) {
        expect([id, label]).toEqual([vocab.pad, -100]);
        continue;
      }
      expect(id).toBe(at.get(p) ?? r.ids[i]); // the original id, not [MASK], away from the samples
      if (r.flags[i]! & SPECIAL) expect(label).toBe(-100);
      else expect(label).toBe(id === r.ids[i] ? ORIGINAL : REPLACED);
      if (label === REPLACED) ones++;
    }
    expect(ones).toBe(Math.floor(n / 2));
    expect(replaced).toBe(ones);
    expect(labelled).toBe(Array.from(batch.labels).filter((l) => l !== -100n).length);
    // a sample equal to the original is labelled 0
    const kept = Number(masked.maskedPositions[0]);
    expect(Number(batch.labels[kept])).toBe(ORIGINAL);
  });
});

describe('sampleReplacements', () => {
  const rows = [row(24, 3, 5), row(24, 4, 6)];
  const masked = maskedBatch(rows, opts, vocab);
  const n = masked.maskedPositions.length;

  it('is a pure function of (seed, epoch, row) and the logits', () => {
    const z = logitsFor(n, 9);
    const a = sampleReplacements(z, masked, rows, 1, vocab);
    expect(sampleReplacements(z, masked, rows, 1, vocab)).toEqual(a);
    expect(sampleReplacements(z, masked, rows, 2, vocab)).not.toEqual(a);
    const later = rows.map((r) => ({ ...r, epoch: 1 }));
    expect(sampleReplacements(z, masked, later, 1, vocab)).not.toEqual(a);
    // a row's samples do not depend on the rows beside it
    const first = Array.from(masked.maskedPositions).filter((p) => p < 24n).length;
    const alone = maskedBatch([rows[0]!], opts, vocab);
    expect(sampleReplacements(z.subarray(0, first * V), alone, [rows[0]!], 1, vocab)).toEqual(a.subarray(0, first));
  });

  it('follows the softmax, and never draws a special token', () => {
    expect(Array.from(sampleReplacements(logitsFor(n, 3, (k) => 5 + k), masked, rows, 1, vocab))).toEqual(Array.from({ length: n }, (_, k) => 5 + k));
    const onSpecials = logitsFor(n, 4, () => tokenizer.mask!); // the top logit is [MASK]'s: left out
    const drawn = sampleReplacements(onSpecials, masked, rows, 1, vocab);
    for (const id of drawn) expect(vocab.specials.has(id)).toBe(false);
    // near-uniform logits: many different ids
    expect(new Set(sampleReplacements(new Float32Array(n * V), masked, rows, 1, vocab)).size).toBeGreaterThan(Math.min(n, 20) / 2);
  });
});
