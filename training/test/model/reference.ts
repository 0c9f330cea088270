/**
 * A plain TypeScript, float64, loop-by-loop DistilBERT forward written straight
 * from HF's modeling_distilbert.py (eval mode: no dropout), sharing no code with
 * the graph builder. Tests compare the ONNX graph's logits, loss and gradients
 * with it.
 */
import type { DistilBertConfig } from '../../src/model/config.ts';
import type { Head } from '../../src/model/params.ts';

type Mat = Float64Array[]; // rows

/** erf to ~1e-15: Taylor series near 0, continued fraction for erfc beyond. */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 2.5) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 80; n++) {
      term *= (-x * x) / n;
      sum += term / (2 * n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  let k = a;
  for (let n = 80; n >= 1; n--) k = a + n / 2 / k;
  const erfc = Math.exp(-a * a) / (Math.sqrt(Math.PI) * k);
  return Math.sign(x) * (1 - erfc);
}

const gelu = (x: number): number => 0.5 * x * (1 + erf(x / Math.SQRT2));

function linear(x: Mat, w: Float32Array, b: Float32Array, out: number): Mat {
  const inp = x[0]!.length;
  return x.map((row) => {
    const y = new Float64Array(out);
    for (let o = 0; o < out; o++) {
      let s = b[o]!;
      for (let i = 0; i < inp; i++) s += row[i]! * w[o * inp + i]!;
      y[o] = s;
    }
    return y;
  });
}

function layerNorm(x: Mat, gamma: Float32Array, beta: Float32Array): Mat {
  return x.map((row) => {
    const n = row.length;
    const mean = row.reduce((a, b) => a + b, 0) / n;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    const inv = 1 / Math.sqrt(variance + 1e-12);
    return row.map((v, i) => (v - mean) * inv * gamma[i]! + beta[i]!);
  });
}

const addRows = (a: Mat, b: Mat): Mat => a.map((row, i) => row.map((v, j) => v + b[i]![j]!));

/** One sequence: ids [seq], mask [seq] -> logits [seq][classes]. */
function forwardOne(config: DistilBertConfig, head: Head, p: Map<string, Float32Array>, ids: number[], mask: number[], classes: number): Mat {
  const P = (name: string) => p.get(name)!;
  const D = config.dim;
  const H = config.n_heads;
  const dh = D / H;
  const S = ids.length;
  const word = P('distilbert.embeddings.word_embeddings.weight');
  const pos = P('distilbert.embeddings.position_embeddings.weight');
  let x: Mat = ids.map((id, s) => Float64Array.from({ length: D }, (_, d) => word[id * D + d]! + pos[s * D + d]!));
  x = layerNorm(x, P('distilbert.embeddings.LayerNorm.weight'), P('distilbert.embeddings.LayerNorm.bias'));
  for (let l = 0; l < config.n_layers; l++) {
    const pre = `distilbert.transformer.layer.${l}`;
    const lin = (v: Mat, name: string, out: number) => linear(v, P(`${pre}.${name}.weight`), P(`${pre}.${name}.bias`), out);
    const q = lin(x, 'attention.q_lin', D).map((r) => r.map((v) => v / Math.sqrt(dh)));
    const k = lin(x, 'attention.k_lin', D);
    const v = lin(x, 'attention.v_lin', D);
    const context: Mat = Array.from({ length: S }, () => new Float64Array(D));
    for (let h = 0; h < H; h++) {
      for (let i = 0; i < S; i++) {
        const scores = Array.from({ length: S }, (_, j) => {
          if (mask[j] === 0) return -3.4028234663852886e38; // masked_fill(mask == 0, finfo.min)
          let s = 0;
          for (let d = 0; d < dh; d++) s += q[i]![h * dh + d]! * k[j]![h * dh + d]!;
          return s;
        });
        const max = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - max));
        const z = e.reduce((a, b) => a + b, 0);
        for (let j = 0; j < S; j++) for (let d = 0; d < dh; d++) context[i]![h * dh + d]! += (e[j]! / z) * v[j]![h * dh + d]!;
      }
    }
    const sa = layerNorm(addRows(lin(context, 'attention.out_lin', D), x), P(`${pre}.sa_layer_norm.weight`), P(`${pre}.sa_layer_norm.bias`));
    const hidden = lin(sa, 'ffn.lin1', config.hidden_dim).map((r) => r.map(gelu));
    x = layerNorm(addRows(lin(hidden, 'ffn.lin2', D), sa), P(`${pre}.output_layer_norm.weight`), P(`${pre}.output_layer_norm.bias`));
  }
  if (head === 'token-classification') return linear(x, P('classifier.weight'), P('classifier.bias'), classes);
  const t = linear(x, P('vocab_transform.weight'), P('vocab_transform.bias'), D).map((r) => r.map(gelu));
  const y = layerNorm(t, P('vocab_layer_norm.weight'), P('vocab_layer_norm.bias'));
  return linear(y, word, P('vocab_projector.bias'), classes); // tied: the projector's weight is the word embeddings
}

export interface RefBatch {
  ids: number[][];
  mask: number[][];
  labels: number[][];
}

/** Logits for every sequence: [batch][seq][classes]. */
export function referenceLogits(config: DistilBertConfig, head: Head, p: Map<string, Float32Array>, batch: RefBatch, classes: number): Mat[] {
  return batch.ids.map((ids, b) => forwardOne(config, head, p, ids, batch.mask[b]!, classes));
}

/** torch.nn.CrossEntropyLoss(ignore_index=-100), mean over the labelled tokens. */
export function referenceLoss(config: DistilBertConfig, head: Head, p: Map<string, Float32Array>, batch: RefBatch, classes: number): number {
  const logits = referenceLogits(config, head, p, batch, classes);
  let sum = 0;
  let count = 0;
  logits.forEach((seq, b) =>
    seq.forEach((row, s) => {
      const label = batch.labels[b]![s]!;
      if (label === -100) return;
      const max = Math.max(...row);
      const lse = max + Math.log(row.reduce((a, v) => a + Math.exp(v - max), 0));
      sum += lse - row[label]!;
      count++;
    }),
  );
  return sum / count;
}
