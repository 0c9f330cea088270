import { describe, expect, it } from 'vitest';
import { predictWords, predictWordsWithPipeline, toEntities, type LogitsRunner, type PipelineToken, type TokenClassifier } from './tagger.ts';
import { WordPiece } from '../text/wordpiece.ts';
import { tokenizeWords } from '../text/words.ts';

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

/**
 * transformers.js's pipeline, emulated: `tokenizer` encodes the text (ours, or
 * one that treats some characters otherwise); it drops specials and [UNK].
 */
function fakePipeline(tokenizer: WordPiece = encoder): TokenClassifier {
  const classify = async (texts: string[]): Promise<PipelineToken[][]> =>
    texts.map((text) => {
      const ids = tokenizer.encode(text.split(' ')).ids;
      return ids.flatMap((id, index) => (id === tokenizer.cls || id === tokenizer.sep || id === tokenizer.unk ? [] : [{ entity: LABELS[id % 3]!, score: 0.9, index }]));
    });
  return Object.assign(classify, { countSubTokens: (word: string) => tokenizer.pieces(word).length });
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
    const b = await predictWordsWithPipeline([words, long], encoder, fakePipeline(), opts);
    expect(b.predictions.map((s) => s.map((p) => p.label))).toEqual(a.predictions.map((s) => s.map((p) => p.label)));
  });

  it("maps the pipeline's labels to words by its own tokenizer, so a character only it keeps shifts no later word", async () => {
    // this tokenizer keeps a zero-width space (an [UNK] sub-token) where ours drops it, as transformers.js does with some rare characters
    const other = new WordPiece(encoder.vocab, 'vocab.txt', (text) => text);
    const sentence = ['the', 'rate', '\u200b', 'is', '5', '%', 'the', 'amount', 'is', '$', '1,250', '.'];
    expect(encoder.pieces('\u200b')).toEqual([]);
    expect(other.pieces('\u200b')).toEqual([encoder.unk]);
    const opts = { maxLength: 16, stride: 4, batchSize: 8 };
    const a = await predictWords([sentence], encoder, LABELS, fakeModel, opts);
    const b = await predictWordsWithPipeline([sentence], encoder, fakePipeline(other), opts);
    expect(b.predictions[0]!.map((p) => p.label)).toEqual(a.predictions[0]!.map((p) => p.label));
    expect(b.predictions[0]![4]!.label).toBe(expected('5'));
  });

  it('feeds the pipeline each word pre-split as HF tokenizers splits it, so a tokenizer that leaves a CJK character inside a word agrees', async () => {
    // transformers.js does not cut a supplementary-plane CJK character out of a word: `1\u{2B80F}` is one [UNK] there
    const other = new WordPiece(encoder.vocab, 'vocab.txt', (text) => text);
    const sentence = ['the', 'amount', 'is', '1\u{2B80F}', 'the', 'rate', 'is', '5\u{2B80F}%', '.'];
    expect(encoder.pieces('1\u{2B80F}')).toEqual([encoder.vocab.get('1'), encoder.unk]);
    expect(other.pieces('1\u{2B80F}')).toEqual([encoder.unk]);
    expect(encoder.preTokens('5\u{2B80F}%')).toEqual(['5', '\u{2B80F}', '%']);
    const opts = { maxLength: 16, stride: 4, batchSize: 8 };
    const a = await predictWords([sentence], encoder, LABELS, fakeModel, opts);
    const b = await predictWordsWithPipeline([sentence], encoder, fakePipeline(other), opts);
    expect(a.predictions[0]![3]!.label).toBe(expected('1'));
    expect(a.predictions[0]![3]!.label).not.toBe('O');
    expect(b.predictions[0]!.map((p) => p.label)).toEqual(a.predictions[0]!.map((p) => p.label));
  });

  it('reads a near-miss class O-<concept> as O on both paths', async () => {
    const labels = ['O', 'B-RATE', 'O-AMOUNT'];
    const sentence = ['the', 'amount', 'is', '$', '1,250', 'rate', '5', '%'];
    const a = await predictWords([sentence], encoder, labels, fakeModel, { maxLength: 16, stride: 4, batchSize: 8 });
    const pipe = fakePipeline();
    const renamed = Object.assign(async (texts: string[], o: { ignore_labels: string[] }) => (await pipe(texts, o)).map((ts) => ts.map((t) => ({ ...t, entity: t.entity === 'B-AMOUNT' ? 'O-AMOUNT' : t.entity }))), { countSubTokens: pipe.countSubTokens });
    const b = await predictWordsWithPipeline([sentence], encoder, renamed, { maxLength: 16, stride: 4, batchSize: 8 });
    const want = sentence.map((w) => (expected(w) === 'B-AMOUNT' ? 'O' : expected(w)));
    expect(want).toContain('B-RATE');
    expect(sentence.map(expected)).toContain('B-AMOUNT');
    expect(a.predictions[0]!.map((p) => p.label)).toEqual(want);
    expect(b.predictions[0]!.map((p) => p.label)).toEqual(want);
  });

  it('gives a word whose first sub-token is [UNK] O on both paths (the pipeline drops [UNK])', async () => {
    const sentence = ['the', 'rate', 'is', '\u0661', '%', 'amount', '\uff11\uff0c\uff12\uff15\uff10', 'is', '\u0378', '5', '%'];
    expect(sentence.slice(3).map((w) => encoder.pieces(w)[0] === encoder.unk)).toEqual([true, false, false, true, false, true, false, false]);
    const opts = { maxLength: 16, stride: 4, batchSize: 8 };
    const a = await predictWords([sentence], encoder, LABELS, fakeModel, opts);
    const b = await predictWordsWithPipeline([sentence], encoder, fakePipeline(), opts);
    for (const w of [3, 6, 8]) expect(a.predictions[0]![w]).toEqual({ label: 'O', score: 1 });
    expect(b.predictions[0]!.map((p) => p.label)).toEqual(a.predictions[0]!.map((p) => p.label));
    expect(a.predictions[0]![9]!.label).toBe(expected('5'));
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
