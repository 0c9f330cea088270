import { describe, expect, it } from 'vitest';
import { fitOffsets, labelOffsets, LogitsRecording, offsetGrid } from '../../src/calibrate/calibrate.ts';
import type { InputBatch } from '@finer-lens/core/ner/tagger.ts';

const batch = (batchSize: number, seqLen: number): InputBatch => ({
  inputIds: new BigInt64Array(batchSize * seqLen), attentionMask: new BigInt64Array(batchSize * seqLen), batchSize, seqLen,
});

describe('labelOffsets', () => {
  it("gives B- and I- labels their type's offset and O none", () => {
    const labels = ['O', 'B-RATE', 'I-RATE', 'B-AMOUNT', 'I-AMOUNT'];
    expect([...labelOffsets(labels, { RATE: 1.5, AMOUNT: -0.25 })]).toEqual([0, 1.5, 1.5, -0.25, -0.25]);
    expect([...labelOffsets(labels, { RATE: 2 })]).toEqual([0, 2, 2, 0, 0]);
  });
});

describe('offsetGrid', () => {
  it('runs from -range to +range through 0 in steps', () => {
    expect(offsetGrid(1, 0.5)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(offsetGrid(3, 0.25)).toHaveLength(25);
  });
});

describe('LogitsRecording', () => {
  it('replays the recorded logits in order with the label offsets added, without changing the recording', async () => {
    let calls = 0;
    const rec = new LogitsRecording(async (b) => {
      calls++;
      return Float32Array.from({ length: b.batchSize * b.seqLen * 3 }, (_, i) => i + 10 * calls);
    });
    const a = await rec.record(batch(1, 2));
    const b = await rec.record(batch(2, 1));
    const replay = rec.replay(Float32Array.from([0, 1, -1]));
    expect([...(await replay(batch(1, 2)))]).toEqual([...a].map((x, i) => x + [0, 1, -1][i % 3]!));
    expect([...(await replay(batch(2, 1)))]).toEqual([...b].map((x, i) => x + [0, 1, -1][i % 3]!));
    expect(calls).toBe(2); // the model ran once per batch
    expect([...(await rec.replay(new Float32Array(3))(batch(1, 2)))]).toEqual([...a]);
  });

  it('refuses a replay that asks for other batches than were recorded', async () => {
    const rec = new LogitsRecording(async (b) => new Float32Array(b.batchSize * b.seqLen * 2));
    await rec.record(batch(1, 4));
    const replay = rec.replay(new Float32Array(2));
    await expect(replay(batch(1, 5))).rejects.toThrow(/batch 1x5; recorded 1x4/);
    await expect(replay(batch(1, 4))).rejects.toThrow(/recorded none/);
  });
});

describe('fitOffsets', () => {
  it('climbs to the best grid point of a separable score', async () => {
    const score = async (o: Record<string, number>) => -((o.A! - 1) ** 2) - (o.B! + 0.5) ** 2;
    const r = await fitOffsets(['A', 'B'], score, { grid: offsetGrid(2, 0.5), rounds: 3 });
    expect(r.offsets).toEqual({ A: 1, B: -0.5 });
    expect(r.base).toBe(-1.25);
    expect(r.score).toBeCloseTo(0, 12);
  });

  it('leaves an offset at 0 when no value scores better, and prefers the value nearest 0 among equals', async () => {
    // A: flat; B: any value >= 1 scores 1
    const score = async (o: Record<string, number>) => (o.B! >= 1 ? 1 : 0);
    const r = await fitOffsets(['A', 'B'], score, { grid: offsetGrid(2, 0.5), rounds: 3 });
    expect(r.offsets).toEqual({ A: 0, B: 1 });
    expect(r.score).toBe(1);
  });

  it('finds an interaction that needs a second round', async () => {
    // B only pays once A has moved; A pays a little on its own
    const score = async (o: Record<string, number>) => 0.1 * o.A! + (o.A! === 1 && o.B === 1 ? 1 : 0) - 0.01 * Math.abs(o.B!);
    const r = await fitOffsets(['B', 'A'], score, { grid: [-1, 0, 1], rounds: 3 });
    expect(r.offsets).toEqual({ A: 1, B: 1 });
  });
});
