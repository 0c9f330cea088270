/**
 * The data path of prediction, one step per function, shared by the CLI
 * (onnxruntime-node, the training engine) and the app (onnxruntime-web):
 *
 *   words -> sub-tokens -> windows -> length-sorted batches -> logits
 *         -> each word's label from its most central window -> spans
 *
 * The model is only a `LogitsRunner`; everything else is here, so every
 * backend tags identically.
 */
import { predictedLabel } from './labels.ts';
import { entities } from './spans.ts';
import { encodeWindows, firstSubTokens, ownerWindows, type WindowEncoding, type WindowOptions } from '../text/windows.ts';
import type { WordEncoder, WordPiece } from '../text/wordpiece.ts';

/** A padded batch, row-major [batchSize, seqLen]. */
export interface InputBatch { inputIds: BigInt64Array; attentionMask: BigInt64Array; batchSize: number; seqLen: number }

/** Runs the model: logits [batchSize, seqLen, numLabels], row-major. */
export type LogitsRunner = (batch: InputBatch) => Promise<Float32Array>;

export interface SpecialIds { cls: number; sep: number; pad: number; unk: number }

export interface TagOptions extends WindowOptions {
  /** Windows per model call (sorted by length, so a batch has little padding). */
  batchSize: number;
  /** Called after each batch with windows done and total. */
  onProgress?: (done: number, total: number) => void;
  /** Checked before each batch; true stops the work with an AbortError. */
  cancelled?: () => boolean;
  /** Keep each word's probability of every label (`WordPrediction.probs`): what a loss needs. */
  probabilities?: boolean;
}

/** A word's predicted label and its probability; with `TagOptions.probabilities`, every label's (in id2label order). */
export interface WordPrediction { label: string; score: number; probs?: Float64Array }

export interface TagStats { windows: number; subTokens: number; batches: number }

/** Pad the chosen windows (or training examples) to the longest of them (pad id, mask 0). */
export function collateWindows(windows: readonly { readonly ids: ArrayLike<number> }[], padId: number): InputBatch {
  const seqLen = Math.max(...windows.map((w) => w.ids.length));
  const batchSize = windows.length;
  const inputIds = new BigInt64Array(batchSize * seqLen).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(batchSize * seqLen);
  windows.forEach(({ ids }, row) => {
    for (let t = 0; t < ids.length; t++) {
      inputIds[row * seqLen + t] = BigInt(ids[t]!);
      attentionMask[row * seqLen + t] = 1n;
    }
  });
  return { inputIds, attentionMask, batchSize, seqLen };
}

/**
 * Softmax of one row of logits, in float64; the max is subtracted first, so
 * no exp overflows and the argmax's probability is exactly 1 / sum.
 */
export function softmax(row: Float32Array): Float64Array {
  let max = -Infinity;
  for (const x of row) if (x > max) max = x;
  const probs = new Float64Array(row.length);
  let sum = 0;
  row.forEach((x, j) => (sum += probs[j] = Math.exp(x - max)));
  for (let j = 0; j < probs.length; j++) probs[j]! /= sum;
  return probs;
}

/** The argmax of one row of logits (the first of equal ones), with the label probabilities. */
function best(row: Float32Array): { index: number; probs: Float64Array } {
  let max = -Infinity;
  let index = 0;
  row.forEach((x, j) => {
    if (x > max) {
      max = x;
      index = j;
    }
  });
  return { index, probs: softmax(row) };
}

/** Each window's prediction for the words whose first sub-token it holds. */
type WindowPredictor = (chunk: ReadonlyArray<{ words: readonly string[]; window: WindowEncoding }>) => Promise<Array<Map<number, WordPrediction>>>;

/**
 * The frame every backend shares: windows of every sentence, sorted by
 * length and cut into batches for `predict`, then each word's label from
 * the window where it is most central. A word whose text normalises to
 * nothing (no sub-token) is `O` with score 1.
 */
async function predictByWindows(
  sentences: readonly (readonly string[])[],
  encoder: Pick<WordEncoder, 'pieces'> & SpecialIds,
  opts: TagOptions,
  predict: WindowPredictor,
): Promise<{ predictions: WordPrediction[][]; stats: TagStats }> {
  const windows = sentences.map((words) => encodeWindows(words.map((w) => encoder.pieces(w)), encoder, opts));
  const flat = windows.flatMap((ws, s) => ws.map((w, k) => ({ s, k, w })));
  flat.sort((a, b) => a.w.ids.length - b.w.ids.length);
  const results = windows.map((ws) => ws.map(() => new Map<number, WordPrediction>()));
  const stats: TagStats = { windows: flat.length, subTokens: 0, batches: 0 };
  for (let i = 0; i < flat.length; i += opts.batchSize) {
    if (opts.cancelled?.()) throw new DOMException('tagging cancelled', 'AbortError');
    const chunk = flat.slice(i, i + opts.batchSize);
    const got = await predict(chunk.map(({ s, w }) => ({ words: sentences[s]!, window: w })));
    chunk.forEach(({ s, k, w }, row) => {
      results[s]![k] = got[row]!;
      stats.subTokens += w.ids.length;
    });
    stats.batches++;
    opts.onProgress?.(Math.min(i + opts.batchSize, flat.length), flat.length);
  }
  const predictions = sentences.map((words, s) => {
    const owner = ownerWindows(windows[s]!, words.length);
    return words.map((_, w) => (owner[w]! < 0 ? { label: 'O', score: 1 } : results[s]![owner[w]!]!.get(w)!));
  });
  return { predictions, stats };
}

/**
 * A word whose first sub-token is [UNK] is O on every backend. transformers.js's
 * pipeline never returns an [UNK] position (it decodes each id with
 * skip_special_tokens and drops what decodes to ''), so the HF backend cannot
 * tag such a word without leaving the pipeline; and the model has seen none of
 * the word's characters there (`١`, full-width `１`), so its tag would be a
 * guess from the context about text it never read. ONNX gives the same O, so
 * the two backends agree on these words.
 */
const UNKNOWN_WORD: WordPrediction = { label: 'O', score: 1 };

/**
 * Predict a label for every word of every sentence with a model that returns logits
 * (a near-miss class `O-<concept>` comes out as `O`).
 */
export function predictWords(
  sentences: readonly (readonly string[])[],
  encoder: Pick<WordEncoder, 'pieces'> & SpecialIds,
  labels: readonly string[],
  run: LogitsRunner,
  opts: TagOptions,
): Promise<{ predictions: WordPrediction[][]; stats: TagStats }> {
  const n = labels.length;
  return predictByWindows(sentences, encoder, opts, async (chunk) => {
    const batch = collateWindows(chunk.map((c) => c.window), encoder.pad);
    const logits = await run(batch);
    if (logits.length !== batch.batchSize * batch.seqLen * n) {
      throw new Error(`the model returned ${logits.length} logits for a [${batch.batchSize}, ${batch.seqLen}] batch; expected ${n} per sub-token (one per label of config.json)`);
    }
    return chunk.map(({ window }, row) => {
      const out = new Map<number, WordPrediction>();
      for (const [word, pos] of firstSubTokens(window)) {
        if (window.ids[pos] === encoder.unk) {
          out.set(word, UNKNOWN_WORD);
          continue;
        }
        const at = (row * batch.seqLen + pos) * n;
        const { index, probs } = best(logits.subarray(at, at + n));
        out.set(word, { label: predictedLabel(labels[index]!), score: probs[index]!, ...(opts.probabilities ? { probs } : {}) });
      }
      return out;
    });
  });
}

/** One sub-token of transformers.js's `token-classification` pipeline output (`ignore_labels: []`). */
export interface PipelineToken { entity: string; score: number; index: number }

/**
 * transformers.js's pipeline: texts in, per text its sub-tokens by position
 * (specials and [UNK] left out by the pipeline); and its own tokenizer.
 */
export interface TokenClassifier {
  (texts: string[], options: { ignore_labels: string[] }): Promise<PipelineToken[][]>;
  /** How many sub-tokens the pipeline's tokenizer makes of one word alone (no [CLS]/[SEP]). */
  countSubTokens(word: string): number;
}

/**
 * The same prediction through transformers.js's pipeline, which returns
 * sub-tokens by position, without offsets or word ids. Each word goes in as
 * its pre-tokens (`preTokens`: normalised and split as tokenizer.json under HF
 * tokenizers splits it) joined by spaces, and the words of a window are
 * joined by spaces; the pipeline's own tokenizer, word by word, gives the
 * word ids (its pre-tokenizer splits at the spaces, so the text's sub-tokens
 * are the words' in turn), and a word takes the label at its own first
 * sub-token. Pre-split, because transformers.js's tokenizer splits some rare
 * words otherwise (a supplementary-plane CJK character inside a word is not
 * cut out, so `1𫠏` is one [UNK] there and `1` + [UNK] in HF tokenizers);
 * word ids, not our positions, because it also treats some characters
 * otherwise alone (punctuation newer than Unicode 8.0), and an index off by
 * one would shift every later word.
 */
export function predictWordsWithPipeline(
  sentences: readonly (readonly string[])[],
  encoder: Pick<WordPiece, 'pieces' | 'preTokens'> & SpecialIds,
  classify: TokenClassifier,
  opts: TagOptions,
): Promise<{ predictions: WordPrediction[][]; stats: TagStats }> {
  return predictByWindows(sentences, encoder, opts, async (chunk) => {
    const texts = chunk.map(({ words, window }) => words.slice(window.firstWord, window.endWord).map((w) => encoder.preTokens(w).join(' ')));
    const out = await classify(texts.map((t) => t.join(' ')), { ignore_labels: [] });
    return chunk.map(({ window }, row) => {
      const byIndex = new Map(out[row]!.map((t) => [t.index, t]));
      const got = new Map<number, WordPrediction>();
      let first = 1; // the word's first sub-token in the pipeline's input, after [CLS]
      for (let w = window.firstWord; w < window.endWord; w++) {
        const count = classify.countSubTokens(texts[row]![w - window.firstWord]!);
        // absent: no sub-token, or an [UNK] first one (see UNKNOWN_WORD), or cut by the pipeline's truncation
        const t = count > 0 ? byIndex.get(first) : undefined;
        got.set(w, t ? { label: predictedLabel(t.entity), score: t.score } : UNKNOWN_WORD);
        first += count;
      }
      return got;
    });
  });
}

/** An entity found in a sentence: its type, words [start, end), and (with offsets) characters. */
export interface TaggedEntity {
  label: string;
  startWord: number;
  endWord: number;
  /** Mean probability of its words' labels. */
  score: number;
  start?: number;
  end?: number;
  text?: string;
}

/** Spans of the predicted labels (seqeval's reading of B-/I-), with character offsets when the words have them. */
export function toEntities(
  predictions: readonly WordPrediction[],
  words?: readonly { start: number; end: number }[],
  source?: string,
): TaggedEntity[] {
  return entities(predictions.map((p) => p.label)).map((span) => {
    const scores = predictions.slice(span.start, span.end).map((p) => p.score);
    const e: TaggedEntity = {
      label: span.type, startWord: span.start, endWord: span.end,
      score: scores.reduce((a, b) => a + b, 0) / scores.length,
    };
    if (words) {
      e.start = words[span.start]!.start;
      e.end = words[span.end - 1]!.end;
      if (source !== undefined) e.text = source.slice(e.start, e.end);
    }
    return e;
  });
}
