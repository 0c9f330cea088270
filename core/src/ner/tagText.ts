/**
 * tag(text), the same for every backend:
 *
 *   text -> sentences (core/src/text/sentences.ts) -> words with offsets (tokenizeWords)
 *        -> the backend's word predictions -> entities on the exact characters
 *        -> each entity's value and unit, read around it in its sentence (core/src/ner/values.ts)
 *
 * Only `WordPredictor.predict` differs between ONNX and transformers.js.
 * Sentences without a digit skip the model: every entity type is a number.
 */
import { splitSentences } from '../text/sentences.ts';
import { isSurrogatePair } from '../text/bert-chars.ts';
import { toEntities } from './tagger.ts';
import { entityValue } from './values.ts';
import { checkEntity, type Verifier } from './verifier.ts';
import { tokenizeWords, type WordToken } from '../text/words.ts';
import type { Entity, TagCallOptions, TagResult, WordPredictions, WordPredictor } from './types.ts';

/** A sentence of the text: its words, with offsets into the whole text. */
export interface TextSentence {
  start: number;
  end: number;
  words: WordToken[];
}

/** Longest piece handed to the sentence splitter at once (see `pieces`). */
export const MAX_PIECE = 16_384;

/**
 * The text cut into pieces no sentence crosses: its lines (ICU always ends a
 * sentence at a line break), and a line longer than `max` cut after a
 * sentence-ending `. ` (else at a space) before the limit. V8's
 * Intl.Segmenter slows down with the length of the string it walks (a
 * 250,000-character string took 50 times longer as one than line by line),
 * so a 1 MB paste must not reach it whole.
 */
export function pieces(text: string, max = MAX_PIECE): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let start = lineStart;
    while (lineEnd - start > max) {
      const window = text.slice(start, start + max);
      const sentenceEnd = Math.max(window.lastIndexOf('. '), window.lastIndexOf('? '), window.lastIndexOf('! '));
      const space = window.lastIndexOf(' ');
      let cut = start + (sentenceEnd > 0 ? sentenceEnd + 1 : space > 0 ? space : max);
      if (cut - 1 > start && isSurrogatePair(text, cut - 1)) cut--; // never between the halves of a character such as an emoji
      out.push({ start, end: cut });
      start = cut;
    }
    if (lineEnd > start) out.push({ start, end: lineEnd });
    lineStart = lineEnd + 1;
  }
  return out;
}

/**
 * Sentences of plain text: ICU's sentence breaks with the filings' repairs
 * (core/src/text/sentences.ts), then FiNER's words, offsets shifted to the
 * whole text so `text.slice(w.start, w.end) === w.text`.
 */
export function splitText(text: string): TextSentence[] {
  return sentenceSpans(text).map(({ start, end }) => ({
    start,
    end,
    words: tokenizeWords(text.slice(start, end)).map((w) => ({ text: w.text, start: w.start + start, end: w.end + start })),
  }));
}

/** Where the sentences of plain text are: ICU's breaks with the filings' repairs, piece by piece (see `pieces`). */
export function sentenceSpans(text: string): Array<{ start: number; end: number }> {
  return pieces(text).flatMap((piece) => splitSentences(text, piece.start, piece.end));
}

/**
 * Entities of every sentence, in text order, on the characters of `text`,
 * with the value and unit read around each in its sentence, and with a
 * context check the verdict on each (`context`).
 */
export function entitiesOf(sentences: readonly TextSentence[], predictions: WordPredictions, text: string, verifier?: Verifier): Entity[] {
  return sentences.flatMap((s, i) => {
    const found = toEntities(predictions[i]!, s.words, text);
    if (found.length === 0) return [];
    const sentence = text.slice(s.start, s.end);
    const words = verifier && s.words.map((w) => w.text);
    return found.map((e) => ({
      start: e.start!,
      end: e.end!,
      text: e.text!,
      label: e.label,
      score: e.score,
      ...entityValue(sentence, e.start! - s.start, e.end! - s.start),
      sentence,
      ...(verifier ? { context: checkEntity(verifier, words!, e.startWord, e.label, e.score) } : {}),
    }));
  });
}

const HAS_DIGIT = /\p{Nd}/u;

/** Tag a whole text with a loaded model; sentences without a digit are O without a model call. */
export async function tagText(predictor: WordPredictor, text: string, options: TagCallOptions = {}): Promise<TagResult> {
  const started = performance.now();
  const sentences = splitText(text);
  const split = performance.now();
  // All four entity types are numbers: a sentence without a digit has none,
  // so it is not sent to the model (about half of a 10-K's prose).
  const withNumbers = sentences.flatMap((s, i) => (s.words.some((w) => HAS_DIGIT.test(w.text)) ? [i] : []));
  const { predictions: tagged, stats } = await predictor.predict(
    withNumbers.map((i) => sentences[i]!.words.map((w) => w.text)),
    options,
  );
  const predictions: WordPredictions = sentences.map((s) => s.words.map(() => ({ label: 'O', score: 1 })));
  withNumbers.forEach((i, k) => (predictions[i] = tagged[k]!));
  const entities = entitiesOf(sentences, predictions, text, predictor.verifier);
  const done = performance.now();
  return {
    entities,
    provider: predictor.info,
    timings: {
      loadMs: 0, // the caller loaded the model: src/worker-tagger.ts fills it in
      splitMs: split - started,
      inferenceMs: done - split,
      totalMs: done - started,
      sentences: sentences.length,
      words: sentences.reduce((n, s) => n + s.words.length, 0),
      modelSentences: withNumbers.length,
      modelWords: withNumbers.reduce((n, i) => n + sentences[i]!.words.length, 0),
      windows: stats.windows,
      subTokens: stats.subTokens,
      batches: stats.batches,
    },
  };
}
