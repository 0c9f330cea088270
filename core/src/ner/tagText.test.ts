import { describe, expect, it } from 'vitest';
import { pieces, splitText, tagText } from './tagText.ts';
import type { ProviderInfo, WordPredictor } from './types.ts';

const INFO: ProviderInfo = { backend: 'onnx', precision: 'int8', provider: 'wasm', threads: 1, model: 'finer-lens-small', modelFile: 'onnx/model_quantized.onnx', loadMs: 0 };

/** Labels every number B-Rate (score 0.8), everything else O. */
const numbers: WordPredictor = {
  info: INFO,
  predict: async (sentences) => ({
    predictions: sentences.map((words) => words.map((w) => (/^\d[\d.,]*$/.test(w) ? { label: 'B-Rate', score: 0.8 } : { label: 'O', score: 1 }))),
    stats: { windows: sentences.length, subTokens: 0, batches: 1 },
  }),
  dispose: async () => {},
};

describe('splitText', () => {
  it('splits sentences and words with offsets into the whole text', () => {
    const text = '  The Company, Inc. issued notes.\nThey bear 4.25% 🙂 interest. Next one';
    const sentences = splitText(text);
    expect(sentences.map((s) => text.slice(s.start, s.end))).toEqual([
      'The Company, Inc. issued notes.',
      'They bear 4.25% 🙂 interest.',
      'Next one',
    ]);
    for (const s of sentences) for (const w of s.words) expect(text.slice(w.start, w.end)).toBe(w.text);
    expect(sentences[1]!.words.map((w) => w.text)).toEqual(['They', 'bear', '4.25', '%', '🙂', 'interest', '.']);
  });

  it('gives nothing for empty or blank text', () => {
    expect(splitText('')).toEqual([]);
    expect(splitText(' \n\t ')).toEqual([]);
  });
});

describe('tagText', () => {
  it("marks each entity with the predictor's context check, and leaves it unmarked without one", async () => {
    const text = 'The notes bear interest at 5.25% a year. See page 12.';
    // the check doubts everything (bias -2: 0.12) but a number followed by %
    const verifier = { types: ['Rate'], weights: new Map([['b', -2], ['0|1:%', 4]]), cut: 0.5, confident: 1.01, rules: [] };
    const { entities } = await tagText({ ...numbers, verifier }, text);
    expect(entities.map((e) => [e.text, e.context?.passes])).toEqual([['5.25', true], ['12', false]]);
    expect(entities[1]!.context!.probability).toBeCloseTo(1 / (1 + Math.exp(2)), 12);
    expect((await tagText(numbers, text)).entities.every((e) => e.context === undefined)).toBe(true);
  });

  it('puts entities on the exact characters of the text, in order', async () => {
    const text = 'Notes of $1,250.5 million.\n\nA rate of 3.5% and 🙂 2.0%.';
    const { entities, timings, provider } = await tagText(numbers, text);
    expect(entities.map((e) => [e.text, e.label, e.score])).toEqual([
      ['1,250.5', 'Rate', 0.8],
      ['3.5', 'Rate', 0.8],
      ['2.0', 'Rate', 0.8],
    ]);
    for (const e of entities) expect(text.slice(e.start, e.end)).toBe(e.text);
    expect(timings.sentences).toBe(2);
    expect(timings.words).toBe(16);
    expect(provider).toBe(INFO);
  });

  it('gives each entity its sentence, and the value and unit read around it there', async () => {
    const text = 'Notes of $1,250.5 million.\n\nA rate of 3.5% and 🙂 2.0%. Also 275 basis points and 42 units.';
    const { entities } = await tagText(numbers, text);
    expect(entities.map((e) => [e.text, e.value, e.unit, e.sentence])).toEqual([
      ['1,250.5', 1_250_500_000, 'USD', 'Notes of $1,250.5 million.'],
      ['3.5', 3.5, '%', 'A rate of 3.5% and 🙂 2.0%.'],
      ['2.0', 2, '%', 'A rate of 3.5% and 🙂 2.0%.'],
      ['275', 2.75, '%', 'Also 275 basis points and 42 units.'],
      ['42', 42, null, 'Also 275 basis points and 42 units.'],
    ]);
    for (const e of entities) expect(text).toContain(e.sentence);
  });

  it('sends only the sentences with a digit to the model; the others are all O', async () => {
    const seen: string[][] = [];
    const everything: WordPredictor = {
      ...numbers,
      predict: async (sentences, o) => (seen.push(...sentences.map((s) => [...s])), numbers.predict(sentences, o)),
    };
    const text = 'No numbers here at all. The rate is 5.25% a year. Nothing else!\nThe ٣ notes.';
    const r = await tagText(everything, text);
    expect(seen.map((s) => s.join(' '))).toEqual(['The rate is 5.25 % a year .', 'The ٣ notes .']);
    expect(r.entities.map((e) => e.text)).toEqual(['5.25']);
    expect(r.timings.sentences).toBe(4);
  });

  it('tags an empty text to no entities', async () => {
    expect((await tagText(numbers, '')).entities).toEqual([]);
  });
});

describe('pieces', () => {
  it('cuts at line breaks, and a long line after a sentence end before the limit', () => {
    const text = 'One. Two three.\nFour five six seven.';
    const got = (max?: number) => pieces(text, max).map((p) => text.slice(p.start, p.end));
    expect(got()).toEqual(['One. Two three.', 'Four five six seven.']);
    expect(got(12)).toEqual(['One.', ' Two three.', 'Four five', ' six seven.']);
    expect(pieces('')).toEqual([]);
    expect(pieces('\n\n')).toEqual([]);
  });

  it('never cuts a line without spaces inside a surrogate pair', () => {
    const text = 'a'.repeat(16383) + '\u{1F600} 5%';
    const parts = pieces(text);
    expect(parts.map((p) => p.end - p.start)).toEqual([16383, 5]);
    expect(splitText(text).flatMap((s) => s.words.map((w) => w.text)).slice(1)).toEqual(['\u{1F600}', '5', '%']);
  });

  it('splits a long text into the same sentences as the whole text, where ICU would', () => {
    const para = 'The Company issued $500.0 million of 4.25% notes due 2030. Interest is paid semi-annually.';
    const text = Array.from({ length: 40 }, () => para).join(' ');
    const whole = splitText(text).map((s) => [s.start, s.end]);
    expect(whole).toHaveLength(80);
    for (const max of [100, 1000]) {
      const parts = pieces(text, max);
      expect(parts.every((p) => p.end - p.start <= max)).toBe(true);
      const cut = parts.flatMap((p) => splitText(text.slice(p.start, p.end)).map((s) => [s.start + p.start, s.end + p.start]));
      expect(cut).toEqual(whole);
    }
  });
});
