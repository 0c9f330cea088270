import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/model/config.ts';
import { initParams, paramSpecs } from '../../src/model/params.ts';

const count = (shapes: { shape: number[] }[]) => shapes.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);

describe('paramSpecs', () => {
  it("matches HF's DistilBertModel size (66,362,880 for distilbert-base-uncased) plus the heads", () => {
    const config = defaultConfig();
    const tagger = paramSpecs(config, 'token-classification', 5);
    expect(count(tagger)).toBe(66_362_880 + 768 * 5 + 5);
    const mlm = paramSpecs(config, 'mlm', 0);
    expect(count(mlm)).toBe(66_362_880 + 768 * 768 + 768 + 2 * 768 + 30522); // vocab_projector.weight is tied
  });

  it('uses HF names and [out, in] Linear shapes, and leaves biases and LayerNorm weights undecayed', () => {
    const specs = paramSpecs(defaultConfig({ n_layers: 1, dim: 8, n_heads: 2, hidden_dim: 16, vocab_size: 10, max_position_embeddings: 4 }), 'token-classification', 3);
    const byName = new Map(specs.map((s) => [s.name, s]));
    expect(specs[0]!.name).toBe('distilbert.embeddings.word_embeddings.weight');
    expect(byName.get('distilbert.transformer.layer.0.attention.q_lin.weight')).toEqual({ name: 'distilbert.transformer.layer.0.attention.q_lin.weight', shape: [8, 8], decay: true });
    expect(byName.get('distilbert.transformer.layer.0.ffn.lin1.weight')!.shape).toEqual([16, 8]);
    expect(byName.get('distilbert.transformer.layer.0.ffn.lin2.weight')!.shape).toEqual([8, 16]);
    expect(byName.get('classifier.weight')!.shape).toEqual([3, 8]);
    expect(byName.get('distilbert.embeddings.position_embeddings.weight')!.shape).toEqual([4, 8]);
    expect(specs.filter((s) => !s.decay).map((s) => s.name).every((n) => n.endsWith('.bias') || /layer_norm|LayerNorm/.test(n))).toBe(true);
    expect(byName.get('distilbert.transformer.layer.0.sa_layer_norm.weight')!.decay).toBe(false);
    expect(() => paramSpecs(defaultConfig(), 'token-classification', 0)).toThrow(/numLabels: expected a positive integer/);
  });
});

describe('initParams', () => {
  const config = defaultConfig({ n_layers: 1, dim: 64, n_heads: 2, hidden_dim: 128, vocab_size: 200, max_position_embeddings: 32, pad_token_id: 3 });
  const specs = paramSpecs(config, 'token-classification', 5);

  it("follows HF's _init_weights: normal(0, 0.02) weights, zero biases, LayerNorm ones, zero padding row", () => {
    const p = initParams(specs, config, 42);
    const w = p.get('distilbert.transformer.layer.0.ffn.lin1.weight')!;
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const std = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length);
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(std).toBeGreaterThan(0.019);
    expect(std).toBeLessThan(0.021);
    expect(p.get('distilbert.transformer.layer.0.ffn.lin1.bias')!.every((v) => v === 0)).toBe(true);
    expect(p.get('distilbert.embeddings.LayerNorm.weight')!.every((v) => v === 1)).toBe(true);
    const word = p.get('distilbert.embeddings.word_embeddings.weight')!;
    expect(word.subarray(3 * 64, 4 * 64).every((v) => v === 0)).toBe(true);
    expect(word.subarray(2 * 64, 3 * 64).some((v) => v !== 0)).toBe(true);
  });

  it('is a pure function of the seed', () => {
    const a = initParams(specs, config, 1).get('classifier.weight')!;
    expect(initParams(specs, config, 1).get('classifier.weight')).toEqual(a);
    expect(initParams(specs, config, 2).get('classifier.weight')).not.toEqual(a);
  });
});
