import { describe, expect, it } from 'vitest';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { defaultConfig, type DistilBertConfig } from '../../src/model/config.ts';
import { initParams, paramSpecs } from '../../src/model/params.ts';
import { inferenceGraph } from '../../src/model/distilbert.ts';
import { quantizeDynamic } from '../../src/export/quantize.ts';
import { attr, Graph, tensor } from '../../src/onnx/graph.ts';
import { decodeModel, TensorDataType } from '../../src/onnx/proto.ts';
import { mulberry32 } from '../../src/util/rng.ts';
import { FinerError } from '../../src/util/errors.ts';

const LABELS = 5;

function tinyModel(overrides: Partial<DistilBertConfig>, seed = 7): { config: DistilBertConfig; bytes: Uint8Array; linearWeights: string[]; tables: string[] } {
  const config = defaultConfig({ max_position_embeddings: 16, n_layers: 2, n_heads: 4, dim: 32, hidden_dim: 64, initializer_range: 0.2, ...overrides });
  const specs = paramSpecs(config, 'token-classification', LABELS);
  const bytes = inferenceGraph(config, 'token-classification', LABELS, initParams(specs, config, seed)).serialize();
  const weights = specs.map((s) => s.name).filter((n) => n.endsWith('.weight') && !/(LayerNorm|layer_norm)\.weight$/.test(n));
  const tables = weights.filter((n) => n.startsWith('distilbert.embeddings.'));
  return { config, bytes, linearWeights: weights.filter((n) => !tables.includes(n)), tables };
}

/** A batch of random ids with some padding at the ends of rows. */
function batch(vocab: number, rows: number, seq: number, seed: number): { ids: BigInt64Array; mask: BigInt64Array } {
  const random = mulberry32(seed);
  const ids = new BigInt64Array(rows * seq);
  const mask = new BigInt64Array(rows * seq);
  for (let r = 0; r < rows; r++) {
    const len = seq - (r % 3); // rows of seq, seq-1, seq-2 real tokens
    for (let s = 0; s < seq; s++) {
      const real = s < len;
      ids[r * seq + s] = real ? BigInt(1 + Math.floor(random() * (vocab - 1))) : 0n;
      mask[r * seq + s] = real ? 1n : 0n;
    }
  }
  return { ids, mask };
}

async function runNode(bytes: Uint8Array, ids: BigInt64Array, mask: BigInt64Array, dims: number[]) {
  const s = await ortNode.InferenceSession.create(bytes);
  const out = await s.run({ input_ids: new ortNode.Tensor('int64', ids, dims), attention_mask: new ortNode.Tensor('int64', mask, dims) });
  const names = s.outputNames;
  await s.release();
  return { names, logits: out.logits! };
}

async function runWeb(bytes: Uint8Array, ids: BigInt64Array, mask: BigInt64Array, dims: number[]) {
  ortWeb.env.wasm.numThreads = 1;
  const s = await ortWeb.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const out = await s.run({ input_ids: new ortWeb.Tensor('int64', ids, dims), attention_mask: new ortWeb.Tensor('int64', mask, dims) });
  const names = s.outputNames;
  await s.release();
  return { names, logits: out.logits! };
}

/** Max |a - b|, max |a|, and the share of positions (rows of `classes`) where argmax agrees. */
function compare(a: Float32Array, b: Float32Array, classes: number, positions: number[]): { maxDiff: number; scale: number; agree: number } {
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(a[i]!));
  }
  const argmax = (x: Float32Array, p: number) => {
    let best = 0;
    for (let c = 1; c < classes; c++) if (x[p * classes + c]! > x[p * classes + best]!) best = c;
    return best;
  };
  const agree = positions.filter((p) => argmax(a, p) === argmax(b, p)).length / positions.length;
  return { maxDiff, scale, agree };
}

describe('quantizeDynamic', () => {
  it('gives an int8 model whose logits stay close to fp32 in onnxruntime-node and onnxruntime-web (WASM)', async () => {
    const { config, bytes, linearWeights, tables } = tinyModel({ vocab_size: 50 });
    const { bytes: int8, quantized } = quantizeDynamic(bytes);
    expect(new Set(quantized)).toEqual(new Set([...linearWeights, ...tables]));

    const rows = 6;
    const seq = 12;
    const dims = [rows, seq];
    const { ids, mask } = batch(config.vocab_size, rows, seq, 11);
    const real = [...mask.keys()].filter((i) => mask[i] === 1n); // positions of real tokens
    const fp = await runNode(bytes, ids, mask, dims);
    const n = await runNode(int8, ids, mask, dims);
    const w = await runWeb(int8, ids, mask, dims);

    for (const q of [n, w]) {
      expect(q.names).toEqual(fp.names);
      expect(q.logits.dims).toEqual(fp.logits.dims);
      expect(q.logits.dims).toEqual([rows, seq, LABELS]);
      expect(q.logits.type).toBe('float32');
    }
    const ref = fp.logits.data as Float32Array;
    const spread = Math.max(...ref) - Math.min(...ref);
    expect(spread).toBeGreaterThan(1); // the random model's logits vary, so the comparison means something
    for (const [backend, q] of [['node', n], ['wasm', w]] as const) {
      const { maxDiff, scale, agree } = compare(ref, q.logits.data as Float32Array, LABELS, real);
      console.log(`quantize: ${backend}: max |logit diff| ${maxDiff.toFixed(4)} (max |logit| ${scale.toFixed(3)}, ${((100 * maxDiff) / scale).toFixed(2)}%), argmax agreement ${(100 * agree).toFixed(1)}% of ${real.length} tokens`);
      expect(maxDiff).toBeGreaterThan(0); // it did quantise
      expect(maxDiff).toBeLessThan(0.05 * scale);
      expect(agree).toBeGreaterThanOrEqual(0.9);
    }
    // node's and the browser's integer kernels compute the same quantised model
    const { maxDiff: backends } = compare(n.logits.data as Float32Array, w.logits.data as Float32Array, LABELS, real);
    expect(backends).toBeLessThan(1e-3);

    // weightType 'int8' holds the same numbers (q instead of q + 128): WASM, which computes int8 weights exactly
    // on every CPU, gives the same logits (onnxruntime-node on AVX2 without VNNI would not: see quantize.ts)
    const signed = quantizeDynamic(bytes, { weightType: 'int8' });
    expect(signed.quantized).toEqual(quantized);
    const s = await runWeb(signed.bytes, ids, mask, dims);
    expect(compare(w.logits.data as Float32Array, s.logits.data as Float32Array, LABELS, real).maxDiff).toBeLessThan(1e-4);
    const types = (b: Uint8Array) => decodeModel(b).graph.initializer.filter((t) => t.name.endsWith('lin.weight_quantized')).map((t) => t.dataType);
    expect(new Set(types(int8))).toEqual(new Set([TensorDataType.uint8]));
    expect(new Set(types(signed.bytes))).toEqual(new Set([TensorDataType.int8]));
  });

  it('makes a model whose weights dominate less than 40% of its fp32 size', () => {
    const { bytes } = tinyModel({ vocab_size: 2000, dim: 64, hidden_dim: 128 });
    const { bytes: int8 } = quantizeDynamic(bytes);
    const ratio = int8.length / bytes.length;
    console.log(`quantize: ${bytes.length} -> ${int8.length} bytes (${(100 * ratio).toFixed(1)}%)`);
    expect(ratio).toBeLessThan(0.4);
    expect(ratio).toBeGreaterThan(0.2); // int8 is 1/4 of float32, plus the small float tensors
    const { bytes: keptTables } = quantizeDynamic(bytes, { embeddings: false });
    expect(keptTables.length).toBeGreaterThan(int8.length + 3 * 2000 * 64); // the fp32 word embeddings stay
  });

  it('uses only standard ops from an allow-list and leaves no large float32 initialiser but LayerNorm params and biases', () => {
    const { bytes } = tinyModel({ vocab_size: 300, dim: 64, hidden_dim: 128 });
    const allowed = new Set([
      'DynamicQuantizeLinear', 'MatMulInteger', 'DequantizeLinear', 'Cast', 'Mul', 'Add', 'Sub', 'Gather', 'Shape', 'Squeeze', 'Unsqueeze', 'Range',
      'Reshape', 'LayerNormalization', 'Concat', 'Split', 'Transpose', 'MatMul', 'Softmax', 'Erf', 'Identity',
    ]); // no Gemm: every Linear must have been replaced
    const smallOrNorm = /(LayerNorm|layer_norm)\.(weight|bias)$|\.bias$/;
    const large = (m: ReturnType<typeof decodeModel>) =>
      m.graph.initializer.filter((t) => t.dataType === TensorDataType.float32 && t.dims.reduce((a, b) => a * b, 1) > 1024 && !smallOrNorm.test(t.name)).map((t) => t.name);

    const before = decodeModel(bytes);
    expect(before.graph.node.some((n) => n.opType === 'Gemm')).toBe(true);
    expect(large(before).length).toBeGreaterThan(0);

    const m = decodeModel(quantizeDynamic(bytes).bytes);
    for (const n of m.graph.node) {
      expect(allowed, `op ${n.opType}`).toContain(n.opType);
      expect(n.domain ?? '').toBe('');
    }
    expect(m.opsetImport).toEqual(before.opsetImport);
    expect(large(m)).toEqual([]);
    const bits8 = m.graph.initializer.filter((t) => (t.dataType === TensorDataType.int8 || t.dataType === TensorDataType.uint8) && t.dims.length === 2);
    expect(bits8.length).toBe(2 + 2 * 4 + 1); // 2 tables; per layer q+k+v (folded), out_lin, lin1, lin2; classifier
    for (const t of bits8) expect(t.rawData.length).toBe(t.dims[0]! * t.dims[1]!);
    const names = new Set(m.graph.initializer.map((t) => t.name));
    expect(names.has('distilbert.embeddings.word_embeddings.weight')).toBe(false);
    expect(names.has('classifier.weight')).toBe(false);
    expect(names.has('classifier.bias')).toBe(true);

    const kept = decodeModel(quantizeDynamic(bytes, { embeddings: false }).bytes);
    expect(large(kept).sort()).toEqual(['distilbert.embeddings.word_embeddings.weight']); // 300 x 64; positions are 16 x 64
    expect(kept.graph.node.some((n) => n.opType === 'DequantizeLinear')).toBe(false);
  });

  it('keeps Gemm alpha, beta, transB and MatMul on 3-D activations right', async () => {
    const random = mulberry32(5);
    const values = (n: number) => Array.from({ length: n }, () => random() * 2 - 1);
    const g = new Graph('lin');
    const x = g.input('x', 'float32', [6, 8]);
    const w1 = g.initializer('w1', tensor('float32', [8, 10], values(80))); // [k, n]
    const c1 = g.initializer('c1', tensor('float32', [10], values(10)));
    const y1 = g.node1('Gemm', [x, w1, c1], { dtype: 'float32', shape: [6, 10] }, { alpha: attr.float(0.5), beta: attr.float(2) });
    const w2 = g.initializer('w2', tensor('float32', [4, 10], values(40))); // [n, k]
    const y2 = g.node1('Gemm', [y1, w2], { dtype: 'float32', shape: [6, 4] }, { transB: attr.int(1) });
    const r = g.node1('Reshape', [y2, g.int64s([2, 3, 4])], { dtype: 'float32', shape: [2, 3, 4] });
    const w3 = g.initializer('w3', tensor('float32', [4, 3], values(12)));
    const y3 = g.node1('MatMul', [r, w3], { dtype: 'float32', shape: [2, 3, 3] });
    g.output(y3, 'y');
    const fp32 = g.serialize();
    const { bytes, quantized } = quantizeDynamic(fp32);
    expect(quantized.sort()).toEqual(['w1', 'w2', 'w3']);
    expect(decodeModel(bytes).graph.node.map((n) => n.opType)).not.toContain('Gemm');

    const input = { x: new ortNode.Tensor('float32', Float32Array.from(values(48)), [6, 8]) };
    const run = async (b: Uint8Array) => {
      const s = await ortNode.InferenceSession.create(b);
      const out = (await s.run(input)).y!;
      await s.release();
      return out;
    };
    const a = await run(fp32);
    const q = await run(bytes);
    expect(q.dims).toEqual([2, 3, 3]);
    const { maxDiff, scale } = compare(a.data as Float32Array, q.data as Float32Array, 3, []);
    expect(scale).toBeGreaterThan(0.1);
    expect(maxDiff).toBeLessThan(0.03 * scale); // a missed alpha (x2), beta or transpose would be far off
  });

  it('rejects bytes that are not an ONNX model with a FinerError', () => {
    const cases = [new TextEncoder().encode('this is not an onnx model, just text'), new Uint8Array(0), Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 0xff)];
    for (const bad of cases) {
      expect(() => quantizeDynamic(bad)).toThrow(FinerError);
      expect(() => quantizeDynamic(bad)).toThrow(/quantize: the input is not an ONNX model/);
    }
    const { bytes } = tinyModel({ vocab_size: 20, dim: 8, n_heads: 2, hidden_dim: 8, n_layers: 1 });
    expect(() => quantizeDynamic(bytes, { weightType: 'uint4' as 'int8' })).toThrow(FinerError);
  });
});
