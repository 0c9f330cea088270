import { describe, expect, it } from 'vitest';
import { defaultConfig, validateConfig } from '../../src/model/config.ts';
import { FinerError } from '../../src/util/errors.ts';

describe('validateConfig', () => {
  it("reads an HF config.json, keeping its values, filling HF's defaults, ignoring extra fields", () => {
    const c = validateConfig(
      { model_type: 'distilbert', dim: 256, n_heads: 4, hidden_dim: 1024, n_layers: 4, vocab_size: 16000, transformers_version: '4.46.0', id2label: { '0': 'O', '1': 'B-X' }, label2id: { O: 0, 'B-X': 1 } },
      'model/config.json',
    );
    expect(c).toMatchObject({ dim: 256, n_heads: 4, hidden_dim: 1024, n_layers: 4, vocab_size: 16000, max_position_embeddings: 512, dropout: 0.1, activation: 'gelu' });
    expect(c.id2label).toEqual({ '0': 'O', '1': 'B-X' });
    expect(c).not.toHaveProperty('transformers_version');
  });

  it('has the distilbert-base defaults', () => {
    expect(defaultConfig()).toMatchObject({ n_layers: 6, dim: 768, n_heads: 12, hidden_dim: 3072, vocab_size: 30522, max_position_embeddings: 512, initializer_range: 0.02 });
  });

  it.each([
    [{ dim: 100, n_heads: 12 }, /model\/config\.json: field "dim": expected a multiple of n_heads \(12\), got 100/],
    [{ n_layers: 0 }, /field "n_layers": expected a positive integer, got 0/],
    [{ vocab_size: 1.5 }, /field "vocab_size": expected a positive integer/],
    [{ dropout: 1 }, /field "dropout": expected a probability in \[0, 1\), got 1/],
    [{ activation: 'relu' }, /field "activation": expected "gelu"/],
    [{ sinusoidal_pos_embds: true }, /field "sinusoidal_pos_embds": expected false/],
    [{ model_type: 'bert' }, /field "model_type": expected "distilbert"/],
    [{ pad_token_id: 40, vocab_size: 30 }, /field "pad_token_id": expected an integer in 0\.\.29/],
    [{ id2label: { '0': 'O', '2': 'B-X' }, label2id: { O: 0, 'B-X': 2 } }, /field "id2label": .*no name for "1"/],
    [{ id2label: { '0': 'O' }, label2id: { O: 1 } }, /field "label2id": expected "O": 0/],
  ])('rejects %j naming the field and what was expected', (raw, message) => {
    expect(() => validateConfig(raw, 'model/config.json')).toThrow(FinerError);
    expect(() => validateConfig(raw, 'model/config.json')).toThrow(message);
  });

  it('rejects something that is not an object', () => {
    expect(() => validateConfig([1, 2], 'c.json')).toThrow(/c\.json: expected a JSON object/);
  });
});
