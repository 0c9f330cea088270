import { describe, expect, it } from 'vitest';
import { modelCard, type CardFacts } from '../../src/export/card.ts';
import type { DistilBertConfig } from '../../src/model/config.ts';

const facts: CardFacts = {
  name: 'finer-tiny',
  config: { n_layers: 2, dim: 32, n_heads: 2, hidden_dim: 64, vocab_size: 1000 } as DistilBertConfig,
  labels: ['O', 'B-RATE'],
  sizes: { weights: 1_000_000, fp32: 2_000_000, int8: 600_000 },
};

describe('modelCard', () => {
  it('says the weights were trained from scratch unless told where they come from', () => {
    const card = modelCard(facts);
    expect(card).toContain('No Python, no pretrained weights.');
    expect(card).toContain('- `B-RATE`');
  });

  it('says the thresholds with their honest figure and guard, and the whole-document measures of the evaluation', () => {
    const s = (f1: number) => ({ precision: f1, recall: f1, f1, tp: 0, fp: 0, fn: 0, support: 0 });
    const thresholds = {
      thresholds: { RATE: 0.5 }, fittedOn: 'dev.jsonl', backend: 'checkpoint',
      before: { micro: s(0.7), perType: {} }, after: { micro: s(0.75), perType: {} }, crossValidated: { groups: 4, micro: s(0.73), perType: {} },
      guard: { source: 'data/x', maxLoss: 0.01, before: { micro: s(0.8), perType: {} }, after: { micro: s(0.8), perType: {} } },
    };
    const metrics = { types: ['RATE'], perType: { RATE: s(0.9) }, micro: s(0.9), macro: s(0.9), tokenAccuracy: 1, tokens: 1, confusion: { labels: [], matrix: [] } };
    const evaluation = {
      schema: 1, model: 'm', date: '2026-12-07T00:00:00Z', backend: 'checkpoint', labels: ['O', 'B-RATE'], window: { maxLength: 128, stride: 32 }, datasets: [],
      wholeDocument: {
        source: 'data/ixbrl-all', split: 'test', filings: 94, sentences: { tagged: 3043, untagged: 34989 }, tagged: metrics,
        untagged: { repeats: { total: 1, perType: {} }, others: { total: 2, perType: {} }, othersNoDebt: { total: 3, perType: {} } },
        perFiling: { repeats: 4.15, others: 7.3, othersNoDebt: 0.74 }, examples: [],
      },
    } as unknown as CardFacts['evaluation'];
    const card = modelCard({ ...facts, thresholds, evaluation });
    expect(card).toContain('entity micro F1 there 70.0 -> 75.0, 73.0 with each filing scored by thresholds fitted on the others; each type may lose at most 1.0 points of F1 on `data/x`): an entity whose score is below');
    expect(card).toContain('**Whole documents** (every prose sentence with a digit of the 94 test filings of `data/ixbrl-all`, as a user pastes them): entity micro F1 90.0 on the 3043 sentences the filers tagged; in the 34989 untagged ones, per filing, 4.15 entities that repeat the value of a target fact of the filing, 7.30 others, of which 0.74 in sentences without debt words');
    expect(modelCard(facts)).not.toContain('Whole documents');
  });

  it('says the context check: what it learned from, where its cut was fitted, and its rule', () => {
    const s = (f1: number) => ({ precision: f1, recall: f1, f1, tp: 0, fp: 0, fn: 0, support: 0 });
    const verifier = {
      cut: 0.3, confident: 0.8, fittedOn: 'dev.jsonl',
      trainedOn: { source: 'data/ixbrl-all', split: 'train', filings: 729, sentences: 326275, examples: 15000, positives: 5000, backend: 'int8', seed: 1 },
      before: { micro: s(0.766), perType: {} }, after: { micro: s(0.85), perType: {} }, crossValidated: { groups: 8, micro: s(0.842), perType: {} },
      guard: { source: 'data/finer4-neg2', maxLoss: 0.01, before: { micro: s(0.84), perType: {} }, after: { micro: s(0.836), perType: {} } },
    };
    const card = modelCard({ ...facts, verifier });
    expect(card).toContain("Context check (`verifier.json`, learned by `finer verifier` from the model's int8 predictions on 326,275 sentences with a digit of 729 train filings of `data/ixbrl-all`; cut fitted on `dev.jsonl` after the thresholds, entity micro F1 there 76.6 -> 85.0, 84.2 with each filing scored by the cut fitted on the others, at most 1.0 points lost on `data/finer4-neg2`)");
    expect(card).toContain('drops an entity whose probability is below 0.3, unless its score is at least 0.8 in a sentence with debt words');
    expect(card).not.toContain('rule out');
    expect(modelCard({ ...facts, verifier: { ...verifier, rules: ['ratio', 'change'] } })).toContain(
      'Whatever their probability, it also drops what the types\' definitions rule out: covenant ratios read as spreads ("3.50 to 1.00"); changes of a rate read as spreads ("would increase by 0.5 %").',
    );
    expect(modelCard(facts)).not.toContain('Context check');
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
