import { describe, expect, it } from 'vitest';
import { predictWords, predictWordsWithPipeline, toEntities, type LogitsRunner, type PipelineToken } from './tagger.ts';
import { WordPiece } from './wordpiece.ts';
import { tokenizeWords } from './words.ts';

const LABELS = ['O', 'B-RATE', 'B-AMOUNT'];
const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'rate', 'amount', 'the', 'is', '5', '.', '%', '##0', '$', '1', ',', '250'];
const encoder = WordPiece.fromVocabText(VOCAB.join('\n'), 'vocab.txt');

/** A "model" whose logits at a sub-token favour label (id mod 3), with a margin that depends on the position. */
const fakeModel: LogitsRunner = async (b) => {
  const out = new Float32Array(b.batchSize * b.seqLen * LABELS.length);
  for (let t = 0; t < b.batchSize * b.seqLen; t++) out[t * 3 + (Number(b.inputIds[t]) % 3)] = 2 + (t % b.seqLen) / 10;
  return out;
};
const expected = (word: string) => LABELS[encoder.pieces(word)[0]! % 3]!;

/** transformers.js's pipeline, emulated: its tokenizer gives our ids; it drops specials and [UNK]. */
async function fakePipeline(texts: string[]): Promise<PipelineToken[][]> {
  return texts.map((text) => {
    const ids = encoder.encode(text.split(' ')).ids;
    return ids.flatMap((id, index) => (id === encoder.cls || id === encoder.sep || id === encoder.unk ? [] : [{ entity: LABELS[id % 3]!, score: 0.9, index }]));
  });
}

describe('predictWords', () => {
  const words = ['the', 'rate', 'is', '5', '%', '.', 'the', 'amount', 'is', '$', '1,250', '.'];
  const long = Array.from({ length: 500 }, (_, i) => words[i % words.length]!);

  it('labels every word from its first sub-token, across windows and batches, whatever the batch size', async () => {
    for (const batchSize of [1, 3, 64]) {
      const { predictions, stats } = await predictWords([words, long, []], encoder, LABELS, fakeModel, { maxLength: 16, stride: 4, batchSize });
      expect(predictions.map((p) => p.length)).toEqual([12, 500, 0]);
      expect(predictions[0]!.map((p) => p.label)).toEqual(words.map(expected));
      expect(predictions[1]!.map((p) => p.label)).toEqual(long.map(expected));
      expect(stats.windows).toBeGreaterThan(40);
      for (const p of predictions.flat()) expect(p.score).toBeGreaterThan(0.5);
    }
  });

  it('agrees with the transformers.js pipeline path word for word', async () => {
    const opts = { maxLength: 16, stride: 4, batchSize: 8 };
    const a = await predictWords([words, long], encoder, LABELS, fakeModel, opts);
    const b = await predictWordsWithPipeline([words, long], encoder, fakePipeline, opts);
    expect(b.predictions.map((s) => s.map((p) => p.label))).toEqual(a.predictions.map((s) => s.map((p) => p.label)));
  });

  it('reports progress and stops when cancelled', async () => {
    const seen: number[] = [];
    await predictWords([long], encoder, LABELS, fakeModel, { maxLength: 16, stride: 4, batchSize: 10, onProgress: (d) => seen.push(d) });
    expect(seen.at(-1)).toBeGreaterThan(40);
    let calls = 0;
    await expect(
      predictWords([long], encoder, LABELS, async (b) => (calls++, fakeModel(b)), { maxLength: 16, stride: 4, batchSize: 10, cancelled: () => calls >= 2 }),
    ).rejects.toThrow(/cancelled/);
    expect(calls).toBe(2);
  });

  it('names the problem when the model gives the wrong number of logits', async () => {
    const bad: LogitsRunner = async (b) => new Float32Array(b.batchSize * b.seqLen * 4);
    await expect(predictWords([words], encoder, LABELS, bad, { maxLength: 16, stride: 4, batchSize: 4 })).rejects.toThrow(/expected 3 per sub-token/);
  });
});

describe('toEntities', () => {
  it('gives spans with exact character offsets into the text', () => {
    const text = 'Notes bear  interest at 5.25% on $1,250.5 million.';
    const tokens = tokenizeWords(text);
    const labels = tokens.map((t) => (t.text === '5.25' ? 'B-RATE' : t.text === '1,250.5' ? 'B-AMOUNT' : t.text === 'million' ? 'I-AMOUNT' : 'O'));
    const entities = toEntities(labels.map((label) => ({ label, score: 0.8 })), tokens, text);
    expect(entities.map((e) => [e.label, e.text, text.slice(e.start, e.end)])).toEqual([
      ['RATE', '5.25', '5.25'],
      ['AMOUNT', '1,250.5 million', '1,250.5 million'],
    ]);
    expect(entities[1]).toMatchObject({ startWord: tokens.findIndex((t) => t.text === '1,250.5'), score: 0.8 });
  });
});
