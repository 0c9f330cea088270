import { FinerError } from '../util/errors.ts';
import { hashSeed, mulberry32 } from '../util/rng.ts';
import type { DistilBertConfig } from './config.ts';

/** Which head sits on the DistilBERT body. */
export type Head = 'token-classification' | 'mlm';

/** One parameter tensor: its Hugging Face name, shape, and whether AdamW decays it. */
export interface ParamSpec {
  name: string;
  shape: number[];
  decay: boolean;
}

/**
 * Every trainable tensor of DistilBertForTokenClassification (or
 * DistilBertForMaskedLM), named and shaped exactly as in HF's state dict.
 * Linear weights are [out, in]. Biases and LayerNorm weights are not decayed
 * (HF Trainer's and nanoGPT's no-decay group).
 */
export function paramSpecs(config: DistilBertConfig, head: Head, numLabels: number): ParamSpec[] {
  const { dim: D, hidden_dim: H, vocab_size: V, max_position_embeddings: P } = config;
  const specs: ParamSpec[] = [];
  const weight = (name: string, shape: number[]) => specs.push({ name, shape, decay: true });
  const bias = (name: string, n: number) => specs.push({ name, shape: [n], decay: false });
  const linear = (prefix: string, out: number, inp: number) => {
    weight(`${prefix}.weight`, [out, inp]);
    bias(`${prefix}.bias`, out);
  };
  const layerNorm = (prefix: string) => {
    specs.push({ name: `${prefix}.weight`, shape: [D], decay: false });
    bias(`${prefix}.bias`, D);
  };

  weight('distilbert.embeddings.word_embeddings.weight', [V, D]);
  weight('distilbert.embeddings.position_embeddings.weight', [P, D]);
  layerNorm('distilbert.embeddings.LayerNorm');
  for (let i = 0; i < config.n_layers; i++) {
    const l = `distilbert.transformer.layer.${i}`;
    for (const proj of ['q_lin', 'k_lin', 'v_lin', 'out_lin']) linear(`${l}.attention.${proj}`, D, D);
    layerNorm(`${l}.sa_layer_norm`);
    linear(`${l}.ffn.lin1`, H, D);
    linear(`${l}.ffn.lin2`, D, H);
    layerNorm(`${l}.output_layer_norm`);
  }
  if (head === 'token-classification') {
    if (!Number.isInteger(numLabels) || numLabels < 1) throw new FinerError(`numLabels: expected a positive integer, got ${numLabels}`);
    linear('classifier', numLabels, D);
  } else {
    linear('vocab_transform', D, D);
    layerNorm('vocab_layer_norm');
    // vocab_projector.weight is tied to the word embeddings: not a tensor of its own
    bias('vocab_projector.bias', V);
  }
  return specs;
}

/** Standard normal samples from a seeded uniform source (Box-Muller). */
function normal(random: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const u = 1 - random(); // (0, 1]: log stays finite
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * random();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

/**
 * HF's `_init_weights`: Linear and Embedding weights ~ normal(0, initializer_range),
 * biases zero, LayerNorm weight one and bias zero, the padding row of the word
 * embeddings zero. Each tensor has its own stream (seed, index), so adding a
 * head does not change the body's initial values.
 */
export function initParams(specs: ParamSpec[], config: DistilBertConfig, seed: number): Map<string, Float32Array> {
  const params = new Map<string, Float32Array>();
  specs.forEach((spec, index) => {
    const data = new Float32Array(spec.shape.reduce((a, b) => a * b, 1));
    const isLayerNorm = /(LayerNorm|layer_norm)\.weight$/.test(spec.name);
    if (isLayerNorm) data.fill(1);
    else if (spec.name.endsWith('.weight')) {
      const draw = normal(mulberry32(hashSeed(seed, index)));
      for (let i = 0; i < data.length; i++) data[i] = draw() * config.initializer_range;
      if (spec.name === 'distilbert.embeddings.word_embeddings.weight') {
        data.fill(0, config.pad_token_id * config.dim, (config.pad_token_id + 1) * config.dim);
      }
    }
    params.set(spec.name, data);
  });
  return params;
}
