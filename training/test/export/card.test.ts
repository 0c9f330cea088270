import { describe, expect, it } from 'vitest';
import { modelCard, type CardFacts } from '../../src/export/card.ts';
import type { DistilBertConfig } from '../../src/model/config.ts';

const facts: CardFacts = {
  name: 'finer-tiny',
  config: { n_layers: 2, dim: 32, n_heads: 2, hidden_dim: 64, vocab_size: 1000 } as DistilBertConfig,
  labels: ['O', 'B-RATE'],
  sizes: { fp32: 2_000_000, int8: 600_000 },
};

describe('modelCard', () => {
  it('says the weights were trained from scratch unless told where they come from', () => {
    const card = modelCard(facts);
    expect(card).toContain('No Python, no pretrained weights.');
    expect(card).toContain('- `B-RATE`');
  });

  it('puts the origin note in place of the from-scratch sentence', () => {
    const card = modelCard({ ...facts, origin: 'Fine-tuned from models/pretrained/finer-mlm-4x256 (MLM, 4.77 M sub-tokens).' });
    expect(card).toContain('Fine-tuned from models/pretrained/finer-mlm-4x256 (MLM, 4.77 M sub-tokens).');
    expect(card).not.toContain('no pretrained weights');
  });
});
