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
  it("says an adapted model's origin and data (adapt.json) and that its weights are the last step's", () => {
    const adapt = { model: 'public/models/finer-lens-small', filings: ['ACME_10-K_2023.htm.gz'], sentences: { targets: 8, negatives: 16, replayed: 0 }, options: { negatives: 2 } };
    const state = {
      step: 30, epoch: 10, stopped: false, tokensSeen: 10_170, best: null,
      options: { batchSize: 8, maxLength: 128, stride: 32, lr: 1e-4, warmupSteps: 3, weightDecay: 0.01, clip: 1, seed: 42 },
    } as unknown as CardFacts['state'];
    const card = modelCard({ ...facts, adapt, state });
    expect(card).toContain('Adapted by `finer adapt` ([finer-lens](../../../README.md)) from the model `public/models/finer-lens-small` to 1 earlier filing(s) of one company (`ACME_10-K_2023.htm.gz`)');
    expect(card).toContain("The filer's own us-gaap tags in those filings (`finer ixbrl` + `finer subset --negatives 2`): 8 sentences with one of the four types and 16 negatives");
    expect(card).toContain('The shipped weights are those of the last step (no validation split).');
    expect(card).not.toContain('no pretrained weights');
    expect(card).not.toContain('split by company');
    expect(card).not.toContain('mixed with');
    const replayed = modelCard({ ...facts, adapt: { ...adapt, replay: 'data/finer4-neg2', sentences: { targets: 8, negatives: 16, replayed: 48 } }, state });
    expect(replayed).toContain('8 sentences with one of the four types and 16 negatives (sentences with only other FiNER-139 tags), mixed with 48 sentences of `data/finer4-neg2` (other filers); no validation split.');
    // an origin note still wins
    expect(modelCard({ ...facts, adapt, origin: 'Told.' })).toContain('\nTold.\n');
  });
});
