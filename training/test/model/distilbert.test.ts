import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { defaultConfig, type DistilBertConfig } from '../../src/model/config.ts';
import { initParams, paramSpecs, type Head } from '../../src/model/params.ts';
import { buildTrainingGraph, gradName, inferenceGraph, trainingGraph, type DropoutMaskInput } from '../../src/model/distilbert.ts';
import { createTrainingStep, type TrainingStep } from '../../src/engine/step.ts';
import { inferenceRunner } from '../../src/engine/session.ts';
import type { Batch } from '../../src/train/batch.ts';
import { mulberry32 } from '../../src/util/rng.ts';
import { FinerError } from '../../src/util/errors.ts';
import { referenceLogits, referenceLoss, type RefBatch } from './reference.ts';
import { WorstError, type CheckReport } from '../autodiff/gradcheck.ts';

// Tiny, but with every part: 2 layers, 2 heads, padding, ignored labels, dropout off (so gradients are deterministic).
const config: DistilBertConfig = defaultConfig({
  vocab_size: 13,
  max_position_embeddings: 8,
  n_layers: 2,
  n_heads: 2,
  dim: 8,
  hidden_dim: 12,
  dropout: 0,
  attention_dropout: 0,
  initializer_range: 0.3,
  pad_token_id: 0,
});
const NUM_LABELS = 3;

const ref: RefBatch = {
  ids: [
    [1, 5, 7, 7, 2, 0],
    [1, 12, 3, 2, 0, 0],
  ],
  mask: [
    [1, 1, 1, 1, 1, 0],
    [1, 1, 1, 1, 0, 0],
  ],
  labels: [
    [-100, 2, 0, 1, -100, -100],
    [-100, 1, 2, -100, -100, -100],
  ],
};

function toBatch(b: RefBatch): Batch {
  const flat = (rows: number[][]) => BigInt64Array.from(rows.flat(), (v) => BigInt(v));
  return { inputIds: flat(b.ids), attentionMask: flat(b.mask), labels: flat(b.labels), batchSize: b.ids.length, seqLen: b.ids[0]!.length };
}

/** HF-initialised weights, with LayerNorm weights and biases perturbed so that no parameter is trivially 1 or 0. */
function randomParams(head: Head, classes: number, seed: number): Map<string, Float32Array> {
  const params = initParams(paramSpecs(config, head, classes), config, seed);
  const rand = mulberry32(seed + 1);
  for (const [name, data] of params) {
    if (name.endsWith('.bias') || /norm|LayerNorm/.test(name)) for (let i = 0; i < data.length; i++) data[i]! += (rand() - 0.5) * 0.4;
  }
  return params;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/**
 * Sampled gradient check of the whole model: our graph's float32 gradient
 * against central differences of the independent float64 reference loss.
 */
function checkAgainstReference(head: Head, classes: number, params: Map<string, Float32Array>, grads: Map<string, Float32Array>): CheckReport {
  const rand = mulberry32(99);
  const h = 1e-3;
  const worst = new WorstError();
  for (const [name, data] of params) {
    const g = grads.get(name)!;
    expect(g.length, name).toBe(data.length);
    const picks = new Set([0, data.length - 1, ...Array.from({ length: 4 }, () => Math.floor(rand() * data.length))]);
    for (const j of picks) {
      const x = data[j]!;
      data[j] = x + h;
      const up = data[j]!;
      const lPlus = referenceLoss(config, head, params, ref, classes);
      data[j] = x - h;
      const down = data[j]!;
      const lMinus = referenceLoss(config, head, params, ref, classes);
      data[j] = x;
      const numeric = (lPlus - lMinus) / (up - down); // the float32 steps actually taken
      const err = Math.abs(g[j]! - numeric) / (1e-4 + 1e-3 * Math.abs(numeric));
      worst.note(g[j]!, numeric, err, () => `${name}[${j}]: graph ${g[j]} reference ${numeric}`);
    }
  }
  return worst.report();
}

describe('DistilBertForTokenClassification', () => {
  let step: TrainingStep;
  const params = randomParams('token-classification', NUM_LABELS, 7);
  beforeAll(async () => {
    step = await createTrainingStep(config, 'token-classification', NUM_LABELS, { dropoutSeed: 1, threads: 1 });
  });
  afterAll(() => step.release());

  it('forward logits of the inference graph (weights as initialisers) equal the float64 reference to 1e-4', async () => {
    const runner = await inferenceRunner(config, 'token-classification', NUM_LABELS, params, { threads: 1 });
    const logits = await runner.run(toBatch(ref));
    await runner.release();
    const expected = referenceLogits(config, 'token-classification', params, ref, NUM_LABELS).flatMap((seq) => seq.flatMap((row) => Array.from(row)));
    expect(logits.length).toBe(2 * 6 * NUM_LABELS);
    expect(maxAbsDiff(logits, expected)).toBeLessThan(1e-4);
  });

  it('loss equals the reference cross-entropy, and every gradient matches its central difference', async () => {
    const { loss, grads } = await step.run(params, toBatch(ref));
    expect(Math.abs(loss - referenceLoss(config, 'token-classification', params, ref, NUM_LABELS))).toBeLessThan(1e-5);
    expect([...grads.keys()].sort()).toEqual(paramSpecs(config, 'token-classification', NUM_LABELS).map((s) => s.name).sort());
    const r = checkAgainstReference('token-classification', NUM_LABELS, params, grads);
    expect(r.checked).toBeGreaterThan(100);
    expect(r.worst, r.where).toBeLessThanOrEqual(1);
  });

  it('gives the padding token row of the word embeddings no gradient, like nn.Embedding(padding_idx)', async () => {
    const { grads } = await step.run(params, toBatch(ref));
    const g = grads.get('distilbert.embeddings.word_embeddings.weight')!;
    expect(Array.from(g.subarray(0, config.dim)).every((v) => v === 0)).toBe(true);
    expect(Array.from(g.subarray(7 * config.dim, 8 * config.dim)).some((v) => v !== 0)).toBe(true); // token 7, used twice
  });

  it('exports the forward graph with the weights as initialisers: inputs input_ids and attention_mask, logits [batch, seq, labels]', async () => {
    const bytes = inferenceGraph(config, 'token-classification', NUM_LABELS, params).serialize();
    const s = await ort.InferenceSession.create(bytes);
    expect(s.inputNames).toEqual(['input_ids', 'attention_mask']);
    const b = toBatch(ref);
    const out = await s.run({ input_ids: new ort.Tensor('int64', b.inputIds, [2, 6]), attention_mask: new ort.Tensor('int64', b.attentionMask, [2, 6]) });
    expect(out.logits!.dims).toEqual([2, 6, NUM_LABELS]);
    const expected = referenceLogits(config, 'token-classification', params, ref, NUM_LABELS).flatMap((seq) => seq.flatMap((row) => Array.from(row)));
    expect(maxAbsDiff(out.logits!.data as Float32Array, expected)).toBeLessThan(1e-4);
    await s.release();
  });
});

describe('one session, many batch shapes; seeded dropout', () => {
  it('runs batches of different sizes and lengths through the same session', async () => {
    const step = await createTrainingStep(config, 'token-classification', NUM_LABELS, { dropoutSeed: 1, threads: 1 });
    const params = randomParams('token-classification', NUM_LABELS, 7);
    try {
      const small: RefBatch = { ids: [[1, 4, 2]], mask: [[1, 1, 1]], labels: [[-100, 1, -100]] };
      const { loss } = await step.run(params, toBatch(small));
      expect(Math.abs(loss - referenceLoss(config, 'token-classification', params, small, NUM_LABELS))).toBeLessThan(1e-5);
      const again = await step.run(params, toBatch(ref));
      expect(Math.abs(again.loss - referenceLoss(config, 'token-classification', params, ref, NUM_LABELS))).toBeLessThan(1e-5);
    } finally {
      await step.release();
    }
  });

  it('replays the same dropout masks in a new step with the same seed, and draws new ones each run', async () => {
    const dropConfig = { ...config, dropout: 0.3, attention_dropout: 0.3 };
    const params = randomParams('token-classification', NUM_LABELS, 7);
    const losses = async (seed: number): Promise<number[]> => {
      const step = await createTrainingStep(dropConfig, 'token-classification', NUM_LABELS, { dropoutSeed: seed, threads: 1 });
      try {
        return [(await step.run(params, toBatch(ref))).loss, (await step.run(params, toBatch(ref))).loss];
      } finally {
        await step.release();
      }
    };
    const a = await losses(5);
    expect(await losses(5)).toEqual(a);
    expect(a[1]).not.toBe(a[0]);
    expect((await losses(6))[0]).not.toBe(a[0]);
  });
});

describe('dropout masks as graph inputs', () => {
  it('lists one mask per dropout site, applies the fed masks, and keeps the gradients right', async () => {
    const dropConfig = { ...config, dropout: 0.3, attention_dropout: 0.2 };
    const { graph, dropoutMasks } = buildTrainingGraph(dropConfig, 'token-classification', NUM_LABELS, { dropoutSeed: 1, dropoutSource: 'inputs' });
    expect(graph.nodes.some((n) => n.opType === 'Dropout')).toBe(false);
    expect(dropoutMasks.map((d) => [d.shape.join(','), d.ratio])).toEqual([
      ['batch*seq,8', 0.3],
      ['batch,2,seq,seq', 0.2],
      ['batch*seq,8', 0.3],
      ['batch,2,seq,seq', 0.2],
      ['batch*seq,8', 0.3],
      ['batch*seq,8', 0.3],
    ]);
    const session = await ort.InferenceSession.create(graph.serialize());
    const params = randomParams('token-classification', NUM_LABELS, 7);
    const b = toBatch(ref);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', b.inputIds, [2, 6]),
      attention_mask: new ort.Tensor('int64', b.attentionMask, [2, 6]),
      labels: new ort.Tensor('int64', b.labels, [2, 6]),
    };
    for (const s of paramSpecs(config, 'token-classification', NUM_LABELS)) feeds[s.name] = new ort.Tensor('float32', params.get(s.name)!, s.shape);
    const dims = (d: DropoutMaskInput) => d.shape.map((x) => (x === 'batch' ? 2 : x === 'seq' ? 6 : x === 'batch*seq' ? 12 : (x as number)));
    const masks = (fill: (site: number) => number) =>
      Object.fromEntries(dropoutMasks.map((d, k) => { const shape = dims(d); return [d.name, new ort.Tensor('float32', new Float32Array(shape.reduce((a, c) => a * c, 1)).fill(fill(k)), shape)]; }));
    // all kept at scale 1: exactly the model without dropout
    const kept = await session.run({ ...feeds, ...masks(() => 1) });
    expect(Math.abs(Number(kept.loss!.data[0]) - referenceLoss(config, 'token-classification', params, ref, NUM_LABELS))).toBeLessThan(1e-5);
    // the classifier's input all dropped: only the classifier bias still gets a gradient
    const dropped = await session.run({ ...feeds, ...masks((k) => (k === dropoutMasks.length - 1 ? 0 : 1)) });
    const norm = (name: string) => (dropped[gradName(name)]!.data as Float32Array).reduce((a, v) => a + Math.abs(v), 0);
    expect(norm('classifier.weight')).toBe(0);
    expect(norm('distilbert.transformer.layer.1.ffn.lin2.weight')).toBe(0);
    expect(norm('classifier.bias')).toBeGreaterThan(0);
    await session.release();
  });
});

describe('DistilBertForMaskedLM head', () => {
  it('matches the reference in logits and gradients, with the projector tied to the word embeddings', async () => {
    const V = config.vocab_size;
    const params = randomParams('mlm', 0, 11);
    expect(params.has('vocab_projector.weight')).toBe(false);
    const step = await createTrainingStep(config, 'mlm', 0, { dropoutSeed: 1, threads: 1 });
    try {
      const mlm: RefBatch = { ...ref, labels: [[-100, 4, -100, 12, -100, -100], [-100, -100, 9, -100, -100, -100]] };
      const runner = await inferenceRunner(config, 'mlm', 0, params, { threads: 1 });
      const logits = await runner.run(toBatch(mlm));
      await runner.release();
      const expected = referenceLogits(config, 'mlm', params, mlm, V).flatMap((seq) => seq.flatMap((row) => Array.from(row)));
      expect(maxAbsDiff(logits, expected)).toBeLessThan(1e-4);
      const { loss, grads } = await step.run(params, toBatch(mlm));
      expect(Math.abs(loss - referenceLoss(config, 'mlm', params, mlm, V))).toBeLessThan(1e-5);
      const saved = ref.labels;
      ref.labels = mlm.labels; // checkAgainstReference differentiates the loss of `ref`
      try {
        const r = checkAgainstReference('mlm', V, params, grads);
        expect(r.worst, r.where).toBeLessThanOrEqual(1);
      } finally {
        ref.labels = saved;
      }
    } finally {
      await step.release();
    }
  });
});

describe('bad input is caught before training, naming the field', () => {
  it('rejects a label id out of range, a token id beyond the vocab, and a sequence longer than max_position_embeddings', async () => {
    const step = await createTrainingStep(config, 'token-classification', NUM_LABELS, { dropoutSeed: 1, threads: 1 });
    const params = randomParams('token-classification', NUM_LABELS, 7);
    try {
      const badLabel = toBatch(ref);
      badLabel.labels[3] = 3n;
      await expect(step.run(params, badLabel)).rejects.toThrow(/labels\[0\]\[3\] = 3; expected a label id in 0\.\.2 or -100/);
      const badId = toBatch(ref);
      badId.inputIds[7] = 13n;
      await expect(step.run(params, badId)).rejects.toThrow(/inputIds\[1\]\[1\] = 13; expected a token id in 0\.\.12/);
      const long = { ids: [Array(9).fill(1)], mask: [Array(9).fill(1)], labels: [Array(9).fill(0)] };
      await expect(step.run(params, toBatch(long))).rejects.toThrow(FinerError);
      await expect(step.run(params, toBatch(long))).rejects.toThrow(/seqLen 9 exceeds max_position_embeddings; expected at most 8/);
      const missing = new Map(params);
      missing.delete('classifier.bias');
      await expect(step.run(missing, toBatch(ref))).rejects.toThrow(/params: missing classifier\.bias/);
    } finally {
      await step.release();
    }
  });
});

describe('graph shape', () => {
  it('emits the efficient training graph: Gemms with trans flags, Transposes only for the heads, one ScatterND per embedding', () => {
    // the graph training runs: trainingGraph's default dropout source is createTrainingStep's (masks as inputs)
    const g = trainingGraph({ ...config, dropout: 0.1, attention_dropout: 0.1 }, 'token-classification', NUM_LABELS, 5);
    const count = (op: string) => g.nodes.filter((n) => n.opType === op).length;
    // per layer 4 linears (q/k/v joined, out_lin, lin1, lin2) + the classifier; each: forward, dX, dW
    expect(count('Gemm')).toBe((config.n_layers * 4 + 1) * 3);
    // per layer: q, k^T, v, context to and from heads (4 + 4) and one per batched-MatMul gradient (4)
    expect(count('Transpose')).toBe(config.n_layers * 12);
    // scores and context: forward + 2 gradients each; plus one ones-row MatMul per bias / LayerNorm parameter gradient
    // (emit.ts sumRows: 8 per layer, 2 for the embedding LayerNorm, 1 for the classifier bias)
    expect(count('MatMul')).toBe(config.n_layers * 2 * 3 + config.n_layers * 8 + 3);
    expect(count('ReduceSum')).toBeLessThanOrEqual(config.n_layers * 2 + 2); // softmax gradients (one per layer) and the loss's few
    expect(count('ScatterND')).toBe(2 + 1); // word (add, then the padding row) and position embeddings
    expect(count('Dropout')).toBe(0);
    const sites = 1 + config.n_layers * 2 + 1; // embeddings, attention probabilities and FFN output per layer, classifier input
    expect(g.inputs.filter((v) => v.name.startsWith('dropout_mask.')).map((v) => v.name)).toEqual(Array.from({ length: sites }, (_, k) => `dropout_mask.${k}`));
  });

  it("with dropout source 'onnx', puts one Dropout node with its own seed at every site instead", () => {
    const { graph: g, dropoutMasks } = buildTrainingGraph({ ...config, dropout: 0.1, attention_dropout: 0.1 }, 'token-classification', NUM_LABELS, { dropoutSeed: 5, dropoutSource: 'onnx' });
    expect(dropoutMasks).toEqual([]);
    expect(g.inputs.some((v) => v.name.startsWith('dropout_mask.'))).toBe(false);
    const seeds = g.nodes.filter((n) => n.opType === 'Dropout').map((n) => JSON.stringify(n.attrs.seed));
    expect(seeds.length).toBe(1 + config.n_layers * 2 + 1);
    expect(new Set(seeds).size).toBe(seeds.length); // every Dropout node draws its own mask
  });
});
