import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { defaultConfig, type DistilBertConfig } from '../../src/model/config.ts';
import { buildTrainingGraph, gradName, LOSS } from '../../src/model/distilbert.ts';
import { DropoutMasks, fillKeepMask, PrefetchedDropoutMasks } from '../../src/engine/dropout-masks.ts';
import { initParams, paramSpecs } from '../../src/model/params.ts';
import { createTrainingStep } from '../../src/engine/step.ts';
import type { Batch } from '../../src/engine/batch.ts';
import { FinerError } from '../../src/util/errors.ts';

const config: DistilBertConfig = defaultConfig({
  vocab_size: 20, max_position_embeddings: 8, n_layers: 1, n_heads: 2, dim: 8, hidden_dim: 12, dropout: 0.2, attention_dropout: 0.3, initializer_range: 0.3,
});
const LABELS = 3;

function batch(seed: number): Batch {
  const B = 2, S = 5;
  const ids = BigInt64Array.from({ length: B * S }, (_, i) => BigInt(1 + ((i * 7 + seed * 3) % 19)));
  const labels = BigInt64Array.from({ length: B * S }, (_, i) => (i % S === 0 ? -100n : BigInt((i + seed) % LABELS)));
  return { inputIds: ids, attentionMask: new BigInt64Array(B * S).fill(1n), labels, batchSize: B, seqLen: S };
}

describe('fillKeepMask', () => {
  it('draws 0 with probability ratio and 1/(1-ratio) otherwise, a pure function of the seed', () => {
    const n = 200_000;
    const a = new Float32Array(n);
    fillKeepMask(a, 0.1, 42);
    const keep = Math.fround(1 / 0.9);
    let zeros = 0;
    let other = 0;
    for (const v of a) {
      if (v === 0) zeros++;
      else if (v !== keep) other++;
    }
    expect(other).toBe(0);
    // binomial(200000, 0.1): sd = 134; allow 5 sd
    expect(Math.abs(zeros - n * 0.1)).toBeLessThan(5 * Math.sqrt(n * 0.1 * 0.9));
    const b = new Float32Array(n);
    fillKeepMask(b, 0.1, 42);
    expect(b).toEqual(a);
    fillKeepMask(b, 0.1, 43);
    let same = 0;
    for (let i = 0; i < n; i++) if ((a[i] === 0) === (b[i] === 0)) same++;
    expect(same / n).toBeLessThan(0.85); // independent masks agree on 0.9^2 + 0.1^2 = 82 % of elements
  });

  it('has no visible correlation between neighbouring elements', () => {
    const n = 100_000;
    const a = new Float32Array(n);
    fillKeepMask(a, 0.5, 7);
    let bothDropped = 0;
    for (let i = 1; i < n; i++) if (a[i] === 0 && a[i - 1] === 0) bothDropped++;
    expect(Math.abs(bothDropped / (n - 1) - 0.25)).toBeLessThan(0.01);
  });
});

describe('DropoutMasks', () => {
  const sites = [
    { name: 'dropout_mask.0', shape: ['batch*seq', 8], ratio: 0.2 },
    { name: 'dropout_mask.1', shape: ['batch', 2, 'seq', 'seq'], ratio: 0.3 },
  ];
  it('resolves the shape symbols, draws new masks every step, and replays them from the same seed', () => {
    const a = new DropoutMasks(sites, 9);
    const first = a.next(3, 4).map((m) => ({ ...m, data: m.data.slice() }));
    expect(first.map((m) => m.dims)).toEqual([[12, 8], [3, 2, 4, 4]]);
    const second = a.next(3, 4).map((m) => m.data.slice());
    expect(second[0]).not.toEqual(first[0]!.data);
    const b = new DropoutMasks(sites, 9);
    expect(b.next(3, 4).map((m) => m.data.slice())).toEqual(first.map((m) => m.data));
    expect(b.next(3, 4).map((m) => m.data.slice())).toEqual(second);
    expect(new DropoutMasks(sites, 10).next(3, 4)[0]!.data).not.toEqual(first[0]!.data);
  });

  it('draws the same masks in a worker (prefetched) as on the main thread, also when the batch shape changes', async () => {
    const sync = new DropoutMasks(sites, 11);
    const worker = new PrefetchedDropoutMasks(sites, 11);
    try {
      // shapes as a length-bucketed trainer sends them: the guess (same shape as last time) is right, then wrong
      for (const [b, s] of [[2, 3], [2, 3], [2, 3], [4, 2], [4, 2]] as const) {
        const got = await worker.take(b, s);
        const expected = sync.next(b, s);
        expect(got.map((m) => m.dims)).toEqual(expected.map((m) => m.dims));
        expect(got.map((m) => Array.from(m.data))).toEqual(expected.map((m) => Array.from(m.data)));
        worker.prefetch(b, s);
      }
    } finally {
      await worker.release();
    }
  });

  it('rejects an unknown dimension symbol and a ratio outside (0, 1), naming the mask', () => {
    expect(() => new DropoutMasks([{ name: 'dropout_mask.3', shape: ['heads'], ratio: 0.1 }], 1).next(1, 1)).toThrow(/dropout_mask\.3: unknown dimension "heads"/);
    expect(() => new DropoutMasks([{ name: 'dropout_mask.4', shape: [2], ratio: 1 }], 1)).toThrow(FinerError);
  });
});

describe('createTrainingStep engine', () => {
  const specs = paramSpecs(config, 'token-classification', LABELS);

  it('returns what a plain session run gives for the same masks, in arrays reused (and refreshed) by every run', async () => {
    const step = await createTrainingStep(config, 'token-classification', LABELS, { dropoutSeed: 3, threads: 1 });
    // the same graph (buildTrainingGraph's default: one default dropout source for both) run by hand,
    // fed the masks a DropoutMasks with the same seed draws, fetching fresh outputs
    const { graph, dropoutMasks } = buildTrainingGraph(config, 'token-classification', LABELS, { dropoutSeed: 3 });
    expect(dropoutMasks.length).toBeGreaterThan(0);
    const plain = await ort.InferenceSession.create(graph.serialize(), { intraOpNumThreads: 1 });
    const masks = new DropoutMasks(dropoutMasks, 3);
    try {
      let previous: Map<string, Float32Array> | undefined;
      for (const seed of [1, 2]) {
        const params = initParams(specs, config, seed);
        const b = batch(seed);
        const r = await step.run(params, b);
        if (previous) expect(r.grads).toBe(previous); // same Map, same arrays: no garbage per step
        previous = r.grads;
        const feeds: Record<string, ort.Tensor> = {
          input_ids: new ort.Tensor('int64', b.inputIds, [2, 5]),
          attention_mask: new ort.Tensor('int64', b.attentionMask, [2, 5]),
          labels: new ort.Tensor('int64', b.labels, [2, 5]),
        };
        for (const s of specs) feeds[s.name] = new ort.Tensor('float32', params.get(s.name)!, s.shape);
        for (const m of masks.next(2, 5)) feeds[m.name] = new ort.Tensor('float32', m.data, m.dims);
        const out = await plain.run(feeds);
        expect(r.loss).toBeCloseTo((out[LOSS]!.data as Float32Array)[0]!, 6);
        for (const s of specs) expect(r.grads.get(s.name), s.name).toEqual(out[gradName(s.name)]!.data);
      }
    } finally {
      await step.release();
      await plain.release();
    }
  });

  it('honours the dropout source with dropout on: each replays losses and gradients from its seed, another seed differs, and it runs its own graph', async () => {
    const params = initParams(specs, config, 5);
    const b = batch(4);
    type Run = { loss: number; grads: Float32Array[] };
    const copy = (r: { loss: number; grads: Map<string, Float32Array> }): Run => ({ loss: r.loss, grads: specs.map((s) => r.grads.get(s.name)!.slice()) });
    const twoSteps = async (cfg: DistilBertConfig, dropout: 'inputs' | 'onnx', dropoutSeed: number): Promise<Run[]> => {
      const step = await createTrainingStep(cfg, 'token-classification', LABELS, { dropoutSeed, threads: 1, dropout, spinning: false });
      try {
        return [copy(await step.run(params, b)), copy(await step.run(params, b))];
      } finally {
        await step.release();
      }
    };
    const [off] = await twoSteps({ ...config, dropout: 0, attention_dropout: 0 }, 'inputs', 1);
    const first: Record<string, Run> = {};
    for (const dropout of ['inputs', 'onnx'] as const) {
      const a = await twoSteps(config, dropout, 1);
      expect(await twoSteps(config, dropout, 1), dropout).toEqual(a); // same seed, same masks: equal losses and gradients
      const other = await twoSteps(config, dropout, 2);
      expect(other[0]!.loss, dropout).not.toBe(a[0]!.loss); // another seed, other masks
      expect(other[0]!.grads, dropout).not.toEqual(a[0]!.grads);
      expect(a[1]!.loss, dropout).not.toBe(a[0]!.loss); // new masks every step
      expect(a[0]!.loss, dropout).not.toBe(off!.loss); // dropout is applied at all
      first[dropout] = a[0]!;
    }
    // 'onnx' runs the graph of seeded Dropout nodes: a plain session on it gives the same first step
    const { graph } = buildTrainingGraph(config, 'token-classification', LABELS, { dropoutSeed: 1, dropoutSource: 'onnx' });
    expect(graph.nodes.some((n) => n.opType === 'Dropout')).toBe(true);
    const plain = await ort.InferenceSession.create(graph.serialize(), { intraOpNumThreads: 1 });
    try {
      const feeds: Record<string, ort.Tensor> = {
        input_ids: new ort.Tensor('int64', b.inputIds, [2, 5]),
        attention_mask: new ort.Tensor('int64', b.attentionMask, [2, 5]),
        labels: new ort.Tensor('int64', b.labels, [2, 5]),
      };
      for (const s of specs) feeds[s.name] = new ort.Tensor('float32', params.get(s.name)!, s.shape);
      const out = await plain.run(feeds);
      expect(first.onnx!.loss).toBeCloseTo((out[LOSS]!.data as Float32Array)[0]!, 6);
    } finally {
      await plain.release();
    }
    expect(first.onnx!.loss).not.toBe(first.inputs!.loss); // two mask generators, two graphs
  });
});
