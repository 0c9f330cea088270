import { describe, expect, it } from 'vitest';
import { loadLabel, modelCounts, textCounts } from '../components/BackendSummary.tsx';
import { tagText } from '@finer-lens/core/ner/tagText.ts';
import type { ProviderInfo, WordPredictor } from '@finer-lens/core/ner/types.ts';

const INFO: ProviderInfo = { backend: 'onnx', precision: 'int8', provider: 'wasm', threads: 1, model: 'finer-lens-small', modelFile: 'onnx/model_quantized.onnx', loadMs: 823 };

/** Every word O; each sentence one window of its words plus [CLS] and [SEP]. */
const plain: WordPredictor = {
  info: INFO,
  predict: async (sentences) => ({
    predictions: sentences.map((words) => words.map(() => ({ label: 'O', score: 1 }))),
    stats: { windows: sentences.length, subTokens: sentences.reduce((n, s) => n + s.length + 2, 0), batches: 1 },
  }),
  dispose: async () => {},
};

describe('Timings of tag(text)', () => {
  const text = 'The board met in the spring. The notes bear interest at 5.25% per annum. We thank our staff.';

  it('counts the whole text and, apart, what the model read: the sentences with a digit', async () => {
    const { timings: t } = await tagText(plain, text);
    expect([t.sentences, t.words]).toEqual([3, 22]);
    expect([t.modelSentences, t.modelWords]).toEqual([1, 10]); // The notes bear interest at 5.25 % per annum .
    expect([t.windows, t.subTokens]).toEqual([1, 12]);
    expect(textCounts(t)).toBe('3 sentences, 22 words');
    expect(modelCounts(t)).toBe('1 sentence with a digit, 10 words, 12 sub-tokens in 1 window');
  });

  it('never counts the model load as tagging: loadMs is 0 from tag(), the worker sets it for the call that loaded', async () => {
    const { timings: t } = await tagText(plain, text);
    expect(t.loadMs).toBe(0);
    expect(t.totalMs).toBeGreaterThanOrEqual(t.inferenceMs);
    expect(loadLabel(t)).toBe('already loaded');
    expect(loadLabel({ ...t, loadMs: 823 })).toBe('823 ms');
  });
});
