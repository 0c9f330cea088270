/**
 * The shipped model on both backends of `finer predict` and `finer compare`:
 * onnxruntime-node with our encoder, and transformers.js's pipeline with its
 * own tokenizer. Words after a character either tokenizer turns into [UNK]
 * keep their labels, a word transformers.js alone would tokenize otherwise
 * gets the same labels (it is given pre-split), and [UNK] words are O on both.
 */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { predictWords, predictWordsWithPipeline, toEntities, type WordPrediction } from '@finer-lens/core/ner/tagger.ts';
import { tokenizeWords } from '@finer-lens/core/text/words.ts';
import { hfClassifier, type HfClassifier } from '../../src/infer/hf.ts';
import { openModelFolder, type ModelFolder } from '../../src/infer/model-folder.ts';
import { onnxRunner, type Runner } from '../../src/infer/runners.ts';

const MODEL = resolve(import.meta.dirname, '../../../public/models/finer-lens-small');

describe('ONNX and transformers.js on the shipped model', () => {
  let folder: ModelFolder;
  let onnx: Runner;
  let hf: HfClassifier;
  beforeAll(async () => {
    folder = await openModelFolder(MODEL, { needOnnx: true });
    onnx = await onnxRunner(join(MODEL, 'onnx', 'model.onnx'), folder.labels.length, 1);
    hf = await hfClassifier(MODEL, 'fp32', 1);
  });
  afterAll(async () => {
    await onnx?.release();
    await hf?.release();
  });

  async function tag(texts: string[]) {
    const sentences = texts.map((t) => tokenizeWords(t).map((w) => w.text));
    const opts = { ...folder.window, batchSize: 8 };
    const spans = (predictions: WordPrediction[][]) =>
      predictions.map((p, i) => toEntities(p).map((e) => sentences[i]!.slice(e.startWord, e.endWord).join(' ')));
    const a = (await predictWords(sentences, folder.encoder, folder.labels, onnx.run, opts)).predictions;
    const b = (await predictWordsWithPipeline(sentences, folder.encoder, hf.classify, opts)).predictions;
    return { sentences, onnx: a, hf: b, onnxSpans: spans(a), hfSpans: spans(b) };
  }

  it('labels the words after an unassigned code point alike', async () => {
    const r = await tag(['The notes bear interest at \u0378 5.25% and the facility is $500 million.']);
    expect(r.onnxSpans).toEqual([['5.25', '500']]);
    expect(r.hfSpans).toEqual(r.onnxSpans);
    expect(r.hf[0]!.map((p) => p.label)).toEqual(r.onnx[0]!.map((p) => p.label));
  });

  it('labels the words of and after a character only transformers.js tokenizes otherwise alike, as it gets each word pre-split', async () => {
    // HF tokenizers (and our encoder) split a supplementary-plane CJK character out of a word; transformers.js alone does not
    const word = 'x\u{20000}y';
    expect(folder.encoder.pieces(word)).toHaveLength(3);
    expect(hf.classify.countSubTokens(word)).toBe(1);
    expect(hf.classify.countSubTokens(folder.encoder.preTokens(word).join(' '))).toBe(3);
    const r = await tag([`The notes bear interest at ${word} 5.25% and the facility is $500 million.`, 'The 1\u{2B80F} notes bear interest at 5\u{2B80F}% and the term loan is $250\u{20000} million.']);
    expect(r.hf.map((s) => s.map((p) => p.label))).toEqual(r.onnx.map((s) => s.map((p) => p.label)));
    expect(r.onnxSpans[0]).toContain('5.25');
    for (const span of r.onnxSpans[0]!) expect(['5.25', '500']).toContain(span);
  });

  it('gives words that start with [UNK] O on both backends', async () => {
    const r = await tag(['The notes bear interest at \u0661 % and the facility is $\uff11\uff0c\uff12\uff15\uff10\uff0e\uff15 million.']);
    const unknown = r.sentences[0]!.flatMap((w, i) => (folder.encoder.pieces(w)[0] === folder.encoder.unk ? [i] : []));
    expect(unknown.map((i) => r.sentences[0]![i])).toEqual(['\u0661', '\uff11', '\uff12\uff15\uff10', '\uff0e', '\uff15']);
    for (const i of unknown) {
      expect(r.onnx[0]![i]).toEqual({ label: 'O', score: 1 });
      expect(r.hf[0]![i]).toEqual({ label: 'O', score: 1 });
    }
    expect(r.hf[0]!.map((p) => p.label)).toEqual(r.onnx[0]!.map((p) => p.label));
  });
});
