import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchesPerEpoch, collate, encodeSentences, epochBatches, IGNORE } from '../../src/train/batch.ts';
import { readTrainingData } from '../../src/train/dataset.ts';
import type { WordEncoder } from '../../src/tokenizer/wordpiece.ts';

/** Test encoder: [CLS]=1, [SEP]=2, each word -> one sub-token per character (id = char code % 50 + 3). */
const charEncoder: WordEncoder & { cls: number; sep: number } = {
  cls: 1,
  sep: 2,
  pieces: (word) => [...word].map((ch) => (ch.charCodeAt(0) % 50) + 3),
  encode(words) {
    const ids = [1];
    const wordIds: (number | null)[] = [null];
    words.forEach((w, i) => {
      for (const ch of w) {
        ids.push((ch.charCodeAt(0) % 50) + 3);
        wordIds.push(i);
      }
    });
    return { ids: [...ids, 2], wordIds: [...wordIds, null] };
  },
};

describe('encodeSentences', () => {
  it('labels the first sub-token of each word and ignores the rest and the specials', () => {
    const { encoded } = encodeSentences([{ id: 'a', tokens: ['ab', 'c', 'de'], ner_tags: [3, 0, 1] }], charEncoder, {
      maxLength: 64,
      stride: 16,
      vocabSize: 60,
      where: 'train.jsonl',
    });
    expect([...encoded[0]!.labels]).toEqual([IGNORE, 3, IGNORE, 0, 1, IGNORE, IGNORE]);
    expect(encoded[0]!.ids.length).toBe(7);
  });

  it('cuts a long sentence into overlapping windows of whole words: no word is lost', () => {
    const r = encodeSentences([{ id: 'a', tokens: ['ab', 'cd', 'ef'], ner_tags: [1, 2, 3] }], charEncoder, {
      maxLength: 6, stride: 2, vocabSize: 60, where: 'train.jsonl',
    });
    // 4 sub-tokens per window: [ab cd] then [cd ef] (cd shared: 2 sub-tokens = stride)
    expect(r.encoded.map((e) => [...e.labels])).toEqual([
      [IGNORE, 1, IGNORE, 2, IGNORE, IGNORE],
      [IGNORE, 2, IGNORE, 3, IGNORE, IGNORE],
    ]);
    expect(r.encoded.every((e) => e.ids[0] === 1 && e.ids.at(-1) === 2)).toBe(true);
    expect(r).toMatchObject({ windowed: 1, windows: 2 });
  });

  it('leaves the words listed in "ignore" out of the loss (IGNORE on their first sub-token too)', () => {
    const { encoded } = encodeSentences([{ id: 'a', tokens: ['ab', 'c', 'de'], ner_tags: [3, 0, 1], ignore: [1, 2] }], charEncoder, {
      maxLength: 64, stride: 16, vocabSize: 60, where: 'train.jsonl',
    });
    expect([...encoded[0]!.labels]).toEqual([IGNORE, 3, IGNORE, IGNORE, IGNORE, IGNORE, IGNORE]);
  });

  it('rejects a token id outside the vocabulary, naming the sentence', () => {
    expect(() =>
      encodeSentences([{ id: 's7', tokens: ['z'], ner_tags: [0] }], charEncoder, { maxLength: 8, stride: 0, vocabSize: 10, where: 'train.jsonl' }),
    ).toThrow(/train\.jsonl: sentence "s7" encodes to token id \d+; expected 0\.\.9/);
  });
});

describe('epochBatches', () => {
  const lengths = Array.from({ length: 103 }, (_, i) => 3 + ((i * 37) % 50));

  it('covers every sentence once per epoch, the same way for the same (seed, epoch)', () => {
    const plan = { batchSize: 8, seed: 42, epoch: 0, bucketBatches: 4 };
    const a = epochBatches(lengths, plan);
    expect(a.flat().sort((x, y) => x - y)).toEqual([...lengths.keys()]);
    expect(epochBatches(lengths, plan)).toEqual(a);
    expect(epochBatches(lengths, { ...plan, epoch: 1 })).not.toEqual(a);
    expect(a.length).toBe(batchesPerEpoch(lengths.length, 8, 4));
  });

  it('groups similar lengths: less padding than random batches', () => {
    const padding = (batches: number[][]) =>
      batches.reduce((sum, b) => sum + b.reduce((s, i) => s + Math.max(...b.map((j) => lengths[j]!)) - lengths[i]!, 0), 0);
    const bucketed = epochBatches(lengths, { batchSize: 8, seed: 1, epoch: 0, bucketBatches: 13 });
    const random = epochBatches(lengths, { batchSize: 8, seed: 1, epoch: 0, bucketBatches: 1 });
    expect(padding(bucketed)).toBeLessThan(padding(random) / 2);
  });
});

describe('collate', () => {
  it('pads to the longest sentence of the batch with pad id, mask 0 and label -100', () => {
    const { encoded } = encodeSentences(
      [
        { id: 'a', tokens: ['ab'], ner_tags: [1] },
        { id: 'b', tokens: ['c', 'd', 'e'], ner_tags: [0, 2, 0] },
      ],
      charEncoder,
      { maxLength: 64, stride: 16, vocabSize: 60, where: 'x' },
    );
    const b = collate(encoded, [0, 1], 0);
    expect(b.batchSize).toBe(2);
    expect(b.seqLen).toBe(5);
    expect([...b.attentionMask]).toEqual([1n, 1n, 1n, 1n, 0n, 1n, 1n, 1n, 1n, 1n]);
    expect(b.inputIds[4]).toBe(0n);
    expect([...b.labels.slice(0, 5)]).toEqual([-100n, 1n, -100n, -100n, -100n]);
    expect([...b.labels.slice(5)]).toEqual([-100n, 0n, 2n, 0n, -100n]);
  });
});

describe('readTrainingData', () => {
  async function folder(train: string) {
    const dir = await mkdtemp(join(tmpdir(), 'ds-'));
    await writeFile(join(dir, 'train.jsonl'), train);
    await writeFile(join(dir, 'validation.jsonl'), '{"id":"v","tokens":["a"],"ner_tags":[0]}\n');
    await writeFile(join(dir, 'dataset_info.json'), JSON.stringify({ label_names: ['O', 'B-X', 'I-X'] }));
    return dir;
  }

  it('reads the train and validation splits and the label names', async () => {
    const dir = await folder('{"id":"1","tokens":["a","b"],"ner_tags":[0,1]}\n\n{"id":"2","tokens":["c"],"ner_tags":[2]}\n');
    const ds = await readTrainingData(dir);
    expect(ds.labels).toEqual(['O', 'B-X', 'I-X']);
    expect(ds.train).toEqual([
      { id: '1', tokens: ['a', 'b'], ner_tags: [0, 1] },
      { id: '2', tokens: ['c'], ner_tags: [2] },
    ]);
    expect(ds.validation).toHaveLength(1);
  });

  it('keeps "ignore" of train sentences only (validation keeps its full gold) and refuses a bad one, naming the sentence', async () => {
    const dir = await folder('{"id":"1","tokens":["a","b"],"ner_tags":[0,1],"ignore":[0]}\n');
    await writeFile(join(dir, 'validation.jsonl'), '{"id":"v","tokens":["a"],"ner_tags":[0],"ignore":[0]}\n');
    const ds = await readTrainingData(dir);
    expect(ds.train).toEqual([{ id: '1', tokens: ['a', 'b'], ner_tags: [0, 1], ignore: [0] }]);
    expect(ds.validation).toEqual([{ id: 'v', tokens: ['a'], ner_tags: [0] }]);
    const bad = await folder('{"id":"1","tokens":["a","b"],"ner_tags":[0,1],"ignore":[2]}\n');
    await expect(readTrainingData(bad)).rejects.toThrow(`${join(bad, 'train.jsonl')}: sentence "1": field "ignore" = [2]; expected an array of word indices in 0..1`);
  });

  it('names the file, line and field of a label id out of range, before training', async () => {
    const dir = await folder('{"id":"1","tokens":["a"],"ner_tags":[0]}\n{"id":"2","tokens":["a","b"],"ner_tags":[0,3]}\n');
    await expect(readTrainingData(dir)).rejects.toThrow(`${join(dir, 'train.jsonl')}:2: field "ner_tags"[1] = 3; expected a label id in 0..2`);
  });

  it('needs training sentences', async () => {
    const dir = await folder('');
    await expect(readTrainingData(dir)).rejects.toThrow(/no training sentences/);
  });
});
