/**
 * The masked-LM pretraining graph (vocabulary projection at the masked
 * positions only) against the independent float64 reference, against the
 * full-head MLM graph, and the Gather rule it relies on for a computed table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { defaultConfig, type DistilBertConfig } from '../../src/model/config.ts';
import { initParams, paramSpecs } from '../../src/model/params.ts';
import { buildMaskedLmGraph } from '../../src/model/distilbert.ts';
import { createMaskedLmStep, createTrainingStep, type MaskedLmStep } from '../../src/engine/step.ts';
import type { MaskedLmBatch } from '../../src/pretrain/masking.ts';
import { Graph } from '../../src/onnx/graph.ts';
import { Tape } from '../../src/autodiff/tape.ts';
import { backward } from '../../src/autodiff/backward.ts';
import { gather, mul, reduceSum, reshape } from '../../src/autodiff/ops.ts';
import { mulberry32 } from '../../src/util/rng.ts';
import { FinerError } from '../../src/util/errors.ts';
import { referenceLoss, type RefBatch } from '../model/reference.ts';
import { WorstError } from '../autodiff/gradcheck.ts';

// the tiny model of test/model/distilbert.test.ts: every part, dropout off so gradients are deterministic
const config: DistilBertConfig = defaultConfig({
  vocab_size: 13, max_position_embeddings: 8, n_layers: 2, n_heads: 2, dim: 8, hidden_dim: 12,
  dropout: 0, attention_dropout: 0, initializer_range: 0.3, pad_token_id: 0,
});
const V = config.vocab_size;

/** Two rows, the second padded; three positions masked (one of them in the padded row). */
const ids = [
  [2, 5, 4, 7, 3, 9],
  [2, 12, 4, 3, 0, 0],
];
const mask = [
  [1, 1, 1, 1, 1, 1],
  [1, 1, 1, 1, 0, 0],
];
const masked: Array<{ row: number; col: number; label: number }> = [
  { row: 0, col: 2, label: 8 },
  { row: 0, col: 5, label: 9 },
  { row: 1, col: 2, label: 11 },
];
const S = 6;

function maskedBatch(): MaskedLmBatch {
  const flat = (rows: number[][]) => BigInt64Array.from(rows.flat(), (v) => BigInt(v));
  return {
    inputIds: flat(ids), attentionMask: flat(mask), batchSize: 2, seqLen: S,
    maskedPositions: BigInt64Array.from(masked, (m) => BigInt(m.row * S + m.col)),
    maskedLabels: BigInt64Array.from(masked, (m) => BigInt(m.label)),
  };
}

/** The same loss as the reference sees it: labels at the masked positions, -100 elsewhere. */
const ref: RefBatch = {
  ids, mask,
  labels: ids.map((row, r) => row.map((_, c) => masked.find((m) => m.row === r && m.col === c)?.label ?? -100)),
};

function randomParams(seed: number): Map<string, Float32Array> {
  const params = initParams(paramSpecs(config, 'mlm', 0), config, seed);
  const rand = mulberry32(seed + 1);
  for (const [name, data] of params) {
    if (name.endsWith('.bias') || /norm|LayerNorm/.test(name)) for (let i = 0; i < data.length; i++) data[i]! += (rand() - 0.5) * 0.4;
  }
  return params;
}

describe('masked-LM graph: the head at the masked positions only', () => {
  let step: MaskedLmStep;
  const params = randomParams(11);
  beforeAll(async () => {
    step = await createMaskedLmStep(config, { dropoutSeed: 1, threads: 1 });
  });
  afterAll(() => step.release());

  it('computes the vocabulary projection on [masked, vocab] rows, never on [batch*seq, vocab]', () => {
    const { graph } = buildMaskedLmGraph({ ...config, vocab_size: 97 }, { dropoutSeed: 1 });
    expect(graph.inputs.map((v) => v.name)).toEqual(expect.arrayContaining(['masked_positions', 'masked_labels', 'input_ids', 'attention_mask']));
    const wide = graph.nodes.flatMap((n) => n.outputs).map((name) => graph.value(name)).filter((v) => v.shape.length === 2 && v.shape[1] === 97);
    expect(wide.length).toBeGreaterThan(0);
    expect(wide.every((v) => v.shape[0] === 'masked')).toBe(true);
  });

  it('gives the reference loss, and every gradient matches the central difference of the float64 reference', async () => {
    const { loss, grads } = await step.run(params, maskedBatch());
    expect(Math.abs(loss - referenceLoss(config, 'mlm', params, ref, V))).toBeLessThan(1e-5);
    expect([...grads.keys()].sort()).toEqual(paramSpecs(config, 'mlm', 0).map((s) => s.name).sort());
    const rand = mulberry32(99);
    const h = 1e-3;
    const worst = new WorstError();
    for (const [name, data] of params) {
      const g = grads.get(name)!;
      const picks = new Set([0, data.length - 1, ...Array.from({ length: 4 }, () => Math.floor(rand() * data.length))]);
      for (const j of picks) {
        const x = data[j]!;
        data[j] = x + h;
        const up = data[j]!;
        const lPlus = referenceLoss(config, 'mlm', params, ref, V);
        data[j] = x - h;
        const down = data[j]!;
        const lMinus = referenceLoss(config, 'mlm', params, ref, V);
        data[j] = x;
        const numeric = (lPlus - lMinus) / (up - down);
        const err = Math.abs(g[j]! - numeric) / (1e-4 + 1e-3 * Math.abs(numeric));
        worst.note(g[j]!, numeric, err, () => `${name}[${j}]: graph ${g[j]} reference ${numeric}`);
      }
    }
    const r = worst.report();
    expect(r.checked).toBeGreaterThan(100);
    expect(r.worst, r.where).toBeLessThanOrEqual(1);
  });

  it('equals the full-head MLM graph with labels at the same positions: loss and every gradient', async () => {
    const full = await createTrainingStep(config, 'mlm', 0, { dropoutSeed: 1, threads: 1 });
    try {
      const flat = (rows: number[][]) => BigInt64Array.from(rows.flat(), (v) => BigInt(v));
      const a = await full.run(params, { inputIds: flat(ids), attentionMask: flat(mask), labels: flat(ref.labels), batchSize: 2, seqLen: S });
      const fullGrads = new Map([...a.grads].map(([k, v]) => [k, v.slice()]));
      const b = await step.run(params, maskedBatch());
      expect(Math.abs(a.loss - b.loss)).toBeLessThan(1e-6);
      for (const [name, g] of fullGrads) {
        const mine = b.grads.get(name)!;
        let worst = 0;
        for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(g[i]! - mine[i]!) / (1e-6 + 1e-4 * Math.abs(g[i]!)));
        expect(worst, name).toBeLessThanOrEqual(1);
      }
    } finally {
      await full.release();
    }
  });

  it('rejects a masked position on padding, a label beyond the vocabulary, and a batch with nothing masked', async () => {
    const onPad = maskedBatch();
    onPad.maskedPositions[2] = BigInt(1 * S + 4);
    await expect(step.run(params, onPad)).rejects.toThrow(/maskedPositions\[2\] = 10; expected the flat index .* of a real token in 0\.\.11/);
    const badLabel = maskedBatch();
    badLabel.maskedLabels[0] = 13n;
    await expect(step.run(params, badLabel)).rejects.toThrow(/maskedLabels\[0\] = 13; expected a token id in 0\.\.12/);
    const none = { ...maskedBatch(), maskedPositions: new BigInt64Array(0), maskedLabels: new BigInt64Array(0) };
    await expect(step.run(params, none)).rejects.toThrow(FinerError);
  });
});

describe('Gather on a computed table (hidden states [batch*seq, d], not a parameter)', () => {
  it('scatters the gradient back into the rows picked, repeated rows accumulating, other rows zero', async () => {
    // loss = sum_k sum_j (y[idx[k], j] * c[j]),  y = x * x  (so d loss / d x[r, j] = count(r) * 2 x[r, j] c[j])
    const g = new Graph('gather-vjp');
    const t = new Tape(g, true);
    const x = t.requireGrad(g.input('x', 'float32', ['batch', 'seq', 3]));
    const idx = g.input('idx', 'int64', ['m']);
    g.declareDim('batch', x, 0);
    g.declareDim('seq', x, 1);
    g.declareDim('m', idx, 0);
    const table = reshape(t, mul(t, x, x), ['batch*seq', 3]); // [batch*seq, 3]: a product dimension, as in the model
    const c = g.input('c', 'float32', [3]);
    const loss = reduceSum(t, mul(t, gather(t, table, idx), c), [0, 1]);
    const grads = backward(t, loss, [x]);
    g.output(loss, 'loss');
    g.output(grads.get(x.name)!, 'dx');
    const session = await ort.InferenceSession.create(g.serialize());
    const xs = Float32Array.from({ length: 2 * 3 * 3 }, (_, i) => (i % 7) - 3 + 0.5);
    const cs = Float32Array.from([0.5, -1, 2]);
    const picks = [4, 1, 4, 0];
    const out = await session.run({
      x: new ort.Tensor('float32', xs, [2, 3, 3]),
      idx: new ort.Tensor('int64', BigInt64Array.from(picks, BigInt), [4]),
      c: new ort.Tensor('float32', cs, [3]),
    });
    const dx = out.dx!.data as Float32Array;
    for (let r = 0; r < 6; r++) {
      const count = picks.filter((p) => p === r).length;
      for (let j = 0; j < 3; j++) expect(dx[r * 3 + j], `row ${r} col ${j}`).toBeCloseTo(count * 2 * xs[r * 3 + j]! * cs[j]!, 5);
    }
    await session.release();
  });
});
