import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { augmentNumber, exampleRandom, numberAugmenter } from '../../src/train/augment.ts';
import { collate, encodeSentences, epochBatches, IGNORE, type EncodedSentence } from '../../src/train/batch.ts';
import type { FinerSentence } from '../../src/data/sentence.ts';
import type { WordEncoder } from '../../src/tokenizer/wordpiece.ts';
import { mulberry32 } from '../../src/util/rng.ts';

/**
 * Test encoder: [CLS]=1, [SEP]=2; a word of WHOLE is one sub-token (id 200 + its index),
 * any other word one sub-token per character (id = char code), so a number can change
 * its sub-token count when it is replaced.
 */
const WHOLE = ['1250', '42'];
const encoder: WordEncoder & { cls: number; sep: number } = {
  cls: 1,
  sep: 2,
  pieces: (word) => (WHOLE.includes(word) ? [200 + WHOLE.indexOf(word)] : [...word].map((ch) => ch.charCodeAt(0))),
  encode: () => { throw new Error('not used'); },
};
const decode = (ids: readonly number[]) => ids.map((id) => (id >= 200 ? WHOLE[id - 200]! : String.fromCharCode(id))).join('');

/** The words of an encoded window, read back through its labels (a word starts at each labelled sub-token). */
function wordsOf(e: EncodedSentence): { word: string; tag: number }[] {
  const out: { word: string; tag: number }[] = [];
  for (let t = 1; t < e.ids.length - 1; t++) {
    if (e.labels[t] !== IGNORE) out.push({ word: '', tag: e.labels[t]! });
    out.at(-1)!.word += decode([e.ids[t]!]);
  }
  return out;
}

const O = 0;
const opts = { maxLength: 64, stride: 8, vocabSize: 400, where: 'test' };

describe('augmentNumber', () => {
  it('keeps the shape: same length, a digit where a digit was, separators and letters as they were, a leading non-zero digit non-zero', () => {
    const char = fc.constantFrom(...'0123456789', '0', '1', ',', '.', '%', '$', '-', 'x', 'M');
    fc.assert(
      fc.property(fc.array(char, { minLength: 1, maxLength: 20 }).map((cs) => cs.join('')), fc.integer(), (word, seed) => {
        const out = augmentNumber(word, mulberry32(seed));
        expect(out).toHaveLength(word.length);
        [...word].forEach((ch, i) => {
          if (!/[0-9]/.test(ch)) return expect(out[i]).toBe(ch);
          expect(out[i]).toMatch(/[0-9]/);
          const leading = !/[0-9]/.test(word[i - 1] ?? '') && !(/[,.]/.test(word[i - 1] ?? '') && /[0-9]/.test(word[i - 2] ?? ''));
          if (leading && ch !== '0') expect(out[i]).not.toBe('0');
        });
      }),
      { numRuns: 500 },
    );
  });

  it('turns 1,250.5 and 4.25% into numbers of the same shape', () => {
    const random = mulberry32(3);
    for (let k = 0; k < 50; k++) {
      expect(augmentNumber('1,250.5', random)).toMatch(/^[1-9],\d{3}\.\d$/);
      expect(augmentNumber('4.25%', random)).toMatch(/^[1-9]\.\d\d%$/);
      expect(augmentNumber('$0.5', random)).toMatch(/^\$\d\.\d$/);
    }
  });
});

describe('numberAugmenter', () => {
  const sentences: FinerSentence[] = [
    // tags: 1 = an entity; "2024" and "w9" are O (a digit, but not an entity)
    { id: 'a', tokens: ['rate', '1250', 'in', '2024', 'w9', '42'], ner_tags: [O, 1, O, O, O, 2] },
    { id: 'b', tokens: ['of', '3.5%', 'x'], ner_tags: [O, 1, O] },
    { id: 'c', tokens: ['no', 'numbers', 'here'], ner_tags: [O, O, O] },
  ];

  it('with p = 0 gives the windows and batches exactly as encoded', () => {
    const report = encodeSentences(sentences, encoder, opts);
    const augment = numberAugmenter(sentences, report, encoder, { ...opts, outside: O });
    const lengths = report.encoded.map((e) => e.ids.length);
    for (let epoch = 0; epoch < 3; epoch++) {
      for (const indices of epochBatches(lengths, { batchSize: 2, seed: 1, epoch, bucketBatches: 1 })) {
        const examples = indices.map((i) => augment(i, 0, exampleRandom(1, epoch, i)));
        indices.forEach((i, k) => expect(examples[k]).toBe(report.encoded[i]));
        expect(collate(examples, [...examples.keys()], 0)).toEqual(collate(report.encoded, indices, 0));
      }
    }
  });

  it('never replaces a word of unknown label ("ignore"), which keeps IGNORE', () => {
    const withIgnore: FinerSentence[] = [{ id: 'a', tokens: ['rate', '1250', 'in', '42'], ner_tags: [O, 1, O, 1], ignore: [3] }];
    const report = encodeSentences(withIgnore, encoder, opts);
    const augment = numberAugmenter(withIgnore, report, encoder, { ...opts, outside: O });
    // wordsOf joins a word without a label to the word before it: "in" + "42"
    const before = wordsOf(report.encoded[0]!);
    expect(before).toEqual([{ word: 'rate', tag: O }, { word: '1250', tag: 1 }, { word: 'in42', tag: O }]);
    let replaced = 0;
    for (let seed = 0; seed < 10; seed++) {
      const after = wordsOf(augment(0, 1, exampleRandom(seed, 0, 0)));
      expect(after[2]).toEqual({ word: 'in42', tag: O });
      if (after[1]!.word !== '1250') replaced++;
    }
    expect(replaced).toBeGreaterThan(5); // the entity is replaced (p = 1; a draw may repeat 1250)
  });

  it('replaces only entity numbers and re-aligns the labels when a number splits into more sub-tokens', () => {
    const report = encodeSentences(sentences, encoder, opts);
    const augment = numberAugmenter(sentences, report, encoder, { ...opts, outside: O });
    const before = wordsOf(report.encoded[0]!);
    expect(report.encoded[0]!.ids).toHaveLength(1 + 4 + 1 + 2 + 4 + 2 + 1 + 1); // "1250" and "42" one sub-token each
    for (let seed = 0; seed < 20; seed++) {
      const e = augment(0, 1, exampleRandom(seed, 0, 0));
      const after = wordsOf(e);
      expect(after.map((w) => w.tag)).toEqual(sentences[0]!.ner_tags); // one labelled sub-token per word, in order
      expect(e.labels).toHaveLength(e.ids.length);
      expect(e.ids[0]).toBe(1);
      expect(e.ids.at(-1)).toBe(2);
      after.forEach((w, i) => {
        if (sentences[0]!.ner_tags[i] === O) expect(w.word).toBe(before[i]!.word);
        else expect(w.word).toMatch(new RegExp(`^[1-9]\\d{${before[i]!.word.length - 1}}$`));
      });
      // a new "1250" is one sub-token; any other 4-digit number is four, with -100 on the last three
      const n = after[1]!.word === '1250' ? 1 : 4;
      const at = 1 + 4; // after [CLS] r a t e
      expect([...e.labels.slice(at, at + n)]).toEqual([1, ...Array(n - 1).fill(IGNORE)]);
    }
    const changed = Array.from({ length: 20 }, (_, s) => wordsOf(augment(0, 1, exampleRandom(s, 0, 0)))[1]!.word);
    expect(changed.some((w) => w !== '1250')).toBe(true);
  });

  it('keeps a window within max length: a number that would no longer fit stays as it was', () => {
    const tight = { maxLength: 2 + 1 + 1, stride: 0, vocabSize: 400, where: 'test' }; // room for "1250" and "x" as one sub-token each
    const s: FinerSentence[] = [{ id: 't', tokens: ['1250', 'x'], ner_tags: [1, O] }];
    const report = encodeSentences(s, encoder, tight);
    expect(report.encoded).toHaveLength(1);
    const augment = numberAugmenter(s, report, encoder, { ...tight, outside: O });
    for (let seed = 0; seed < 10; seed++) expect(augment(0, 1, exampleRandom(seed, 0, 0))).toEqual(report.encoded[0]);
  });

  it('re-encodes each window of a long sentence over the same words: same length and labels when the sub-token count is kept', () => {
    const long: FinerSentence[] = [{
      id: 'l',
      tokens: Array.from({ length: 30 }, (_, i) => (i % 3 === 1 ? `${i + 10}.5%` : `w${i}`)),
      ner_tags: Array.from({ length: 30 }, (_, i) => (i % 3 === 1 ? 1 : O)),
    }];
    const small = { maxLength: 24, stride: 6, vocabSize: 400, where: 'test' };
    const report = encodeSentences(long, encoder, small);
    expect(report.encoded.length).toBeGreaterThan(2);
    const augment = numberAugmenter(long, report, encoder, { ...small, outside: O });
    report.encoded.forEach((orig, i) => {
      const e = augment(i, 1, exampleRandom(5, 2, i));
      expect(e.labels).toEqual(orig.labels);
      expect(e.ids.length).toBeLessThanOrEqual(small.maxLength);
      wordsOf(e).forEach((w, k) => {
        const was = wordsOf(orig)[k]!.word;
        expect(w.word.replace(/[0-9]/g, '9')).toBe(was.replace(/[0-9]/g, '9'));
      });
      expect(e.ids).not.toEqual(orig.ids);
    });
  });

  it('draws the same numbers for the same (seed, epoch, example), other numbers in another epoch', () => {
    const report = encodeSentences(sentences, encoder, opts);
    const augment = numberAugmenter(sentences, report, encoder, { ...opts, outside: O });
    const draw = (seed: number, epoch: number) => [0, 1].map((i) => augment(i, 0.7, exampleRandom(seed, epoch, i)));
    expect(draw(9, 1)).toEqual(draw(9, 1));
    const epochs = Array.from({ length: 8 }, (_, e) => JSON.stringify(draw(9, e).map((x) => [...x.ids])));
    expect(new Set(epochs).size).toBeGreaterThan(1);
  });
});
