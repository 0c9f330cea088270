/**
 * `finer predict`: JSONL in, JSONL out. Each input object has `tokens`
 * (words, used as given, one model input) or `text` (cut into sentences as the
 * app cuts a paste, each tagged alone and one without a digit left O, and
 * into words by core/src/text/words.ts); every field
 * is kept and the output adds `labels` (one per word) and `entities`
 * (`start`/`end` character offsets when there was text, word indices,
 * `type` and `label` (the same XBRL type: `label` for the readers written
 * before `type`), `score`, and what the number means: `value`, `unit` and
 * the `sentence` it is in, core/src/ner/values.ts). A bad line is reported with
 * its number and skipped; the other lines are still tagged, in order.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { tokenizeWords, type WordToken } from '@finer-lens/core/text/words.ts';
import { toEntities, type TagStats, type TaggedEntity, type WordPrediction } from '@finer-lens/core/ner/tagger.ts';
import { entityValue } from '@finer-lens/core/ner/values.ts';
import { sentenceSpans } from '@finer-lens/core/ner/tagText.ts';
import { withoutBom } from '../data/jsonl.ts';
import { readFailure } from '../util/errors.ts';

export interface PredictLine {
  lineNo: number;
  record: Record<string, unknown>;
  words: string[];
  offsets?: WordToken[];
  /** With text: the number of words of each of its sentences, in order (the model reads each sentence alone, as in the app). */
  sentences?: number[];
}

/** How many of `words` each sentence of `text` holds (a word belongs to the sentence its first character is in). */
export function wordsPerSentence(text: string, words: readonly WordToken[]): number[] {
  const spans = sentenceSpans(text);
  const counts = spans.map(() => 0);
  let s = 0;
  for (const w of words) {
    while (s < spans.length - 1 && w.start >= spans[s]!.end) s++;
    counts[s]!++;
  }
  return counts.filter((n) => n > 0);
}

/** Parse one input line; a string is the error message for that line. */
export function parseLine(line: string): Omit<PredictLine, 'lineNo'> | string {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (err) {
    return `not valid JSON (${(err as Error).message}); expected an object with "tokens" or "text"`;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return 'expected an object with "tokens" or "text"';
  const r = record as Record<string, unknown>;
  if (Array.isArray(r.tokens)) {
    if (!r.tokens.every((t) => typeof t === 'string')) return 'field "tokens": expected an array of strings';
    return { record: r, words: r.tokens as string[] };
  }
  if (typeof r.text === 'string') {
    const offsets = tokenizeWords(r.text);
    return { record: r, words: offsets.map((w) => w.text), offsets, sentences: wordsPerSentence(r.text, offsets) };
  }
  return 'no "tokens" (array of words) or "text" (string) field; expected one of them';
}

export function outputRecord(p: PredictLine, predictions: readonly WordPrediction[]): Record<string, unknown> {
  const text = typeof p.record.text === 'string' && p.offsets ? p.record.text : undefined;
  const found = toEntities(predictions, p.offsets, text);
  const place = found.length > 0 ? placeInSentence(p.words, text) : undefined;
  return {
    ...p.record,
    labels: predictions.map((x) => x.label),
    entities: found.map((e) => {
      const { sentence, start, end } = place!(e);
      return {
        ...(e.start !== undefined ? { start: e.start, end: e.end, text: e.text } : {}),
        start_word: e.startWord, end_word: e.endWord, type: e.label, label: e.label, score: Number(e.score.toFixed(4)),
        ...entityValue(sentence, start, end), sentence,
      };
    }),
  };
}

/**
 * The sentence an entity is in, and its offsets there: with text, the
 * sentence of the text holding it (as the app splits text); with tokens,
 * the words joined by spaces (FiNER's rows are one sentence each).
 */
function placeInSentence(words: readonly string[], text: string | undefined): (e: TaggedEntity) => { sentence: string; start: number; end: number } {
  if (text !== undefined) {
    const spans = sentenceSpans(text);
    return (e) => {
      const span = spans.find((s) => s.start <= e.start! && e.start! < s.end) ?? { start: 0, end: text.length };
      return { sentence: text.slice(span.start, span.end), start: e.start! - span.start, end: e.end! - span.start };
    };
  }
  const sentence = words.join(' ');
  const starts: number[] = [];
  words.reduce((at, w) => (starts.push(at), at + w.length + 1), 0);
  return (e) => ({ sentence, start: starts[e.startWord]!, end: starts[e.endWord - 1]! + words[e.endWord - 1]!.length });
}

const HAS_DIGIT = /\p{Nd}/u;

export type WordsPredictor = (sentences: string[][]) => Promise<{ predictions: WordPrediction[][]; stats: TagStats }>;

export interface PredictSummary { lines: number; tagged: number; bad: number; words: number; subTokens: number; seconds: number }

/** Stream `input` to `output` in chunks of `chunk` lines; bad lines go to `onBad`. */
export async function predictStream(
  input: NodeJS.ReadableStream,
  output: (text: string) => Promise<void>,
  predict: WordsPredictor,
  opts: { chunk: number; where: string; onBad: (message: string) => void },
): Promise<PredictSummary> {
  const started = performance.now();
  const summary: PredictSummary = { lines: 0, tagged: 0, bad: 0, words: 0, subTokens: 0, seconds: 0 };
  let pending: PredictLine[] = [];
  const flush = async () => {
    if (!pending.length) return;
    // a text line's sentences go to the model one by one, and a sentence without a digit not at all (all O), as the app's tagText does
    const pieces = pending.map((p) => {
      if (!p.sentences) return [{ words: p.words, model: true }];
      let at = 0;
      return p.sentences.map((n) => {
        const words = p.words.slice(at, (at += n));
        return { words, model: words.some((w) => HAS_DIGIT.test(w)) };
      });
    });
    const { predictions, stats } = await predict(pieces.flat().filter((x) => x.model).map((x) => x.words));
    summary.subTokens += stats.subTokens;
    let next = 0;
    const perLine = pieces.map((parts) => parts.flatMap((x) => (x.model ? predictions[next++]! : x.words.map(() => ({ label: 'O', score: 1 })))));
    let out = '';
    pending.forEach((p, i) => {
      out += JSON.stringify(outputRecord(p, perLine[i]!)) + '\n';
      summary.words += p.words.length;
    });
    summary.tagged += pending.length;
    pending = [];
    await output(out);
  };
  try {
    for await (const raw of createInterface({ input, crlfDelay: Infinity })) {
      summary.lines++;
      const line = withoutBom(raw, summary.lines);
      if (!line.trim()) continue;
      const parsed = parseLine(line);
      if (typeof parsed === 'string') {
        summary.bad++;
        opts.onBad(`${opts.where}:${summary.lines}: ${parsed}`);
        continue;
      }
      pending.push({ lineNo: summary.lines, ...parsed });
      if (pending.length >= opts.chunk) await flush();
    }
    await flush();
  } catch (err) {
    throw readFailure(err, opts.where, 'the JSONL input'); // EISDIR, EACCES, ... as one line naming the input
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

export const openInput = (path?: string): NodeJS.ReadableStream => (path ? createReadStream(path, 'utf8') : process.stdin);
/** stdout as predictStream's output (a file is a FileOutput's write): waits for 'drain' when stdout asks. */
export const writeStdout = (s: string): Promise<void> => new Promise<void>((res) => (process.stdout.write(s) ? res() : process.stdout.once('drain', () => res())));
