/**
 * Number augmentation (`finer train --augment-numbers P`): every entity in
 * FiNER is a number, and a model that memorises "4.25%" learns less than one
 * that reads the context. So when a training window is drawn for an epoch,
 * each entity word with a digit is, with probability P, replaced by a random
 * number of the same shape (`1,250.5` -> `7,318.2`, `4.25%` -> `6.75%`) and
 * the window is re-encoded: the new word may split into a different number
 * of sub-tokens, and the labels are re-aligned (first sub-token labelled).
 *
 * The randomness of example i in epoch e is hash(seed, e, i): a pure
 * function of the position, so a resumed run draws what an uninterrupted
 * one drew. Validation windows are never augmented.
 */
import type { WordEncoder } from '../tokenizer/wordpiece.ts';
import type { FinerSentence } from '../data/sentence.ts';
import { encodeWindows, type WindowOptions } from '@finer-lens/core/text/windows.ts';
import { hashSeed, mulberry32 } from '../util/rng.ts';
import { alignLabels, IGNORE, trainingTags, type EncodedSentence, type EncodeReport } from './batch.ts';

const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';
const HAS_DIGIT = /[0-9]/;

/**
 * A random number of the same shape: each ASCII digit becomes a random digit,
 * everything else (`,` `.` `%` `$`, letters) stays. The first digit of a
 * number (not after a digit, nor after a `,`/`.` that follows one) stays
 * non-zero when it was, so `1,250` never becomes `0,250`.
 */
export function augmentNumber(word: string, random: () => number): string {
  let out = '';
  for (let i = 0; i < word.length; i++) {
    const ch = word[i]!;
    if (!isDigit(ch)) {
      out += ch;
      continue;
    }
    const inNumber = isDigit(word[i - 1]) || ((word[i - 1] === ',' || word[i - 1] === '.') && isDigit(word[i - 2]));
    out += !inNumber && ch !== '0' ? String(1 + Math.floor(random() * 9)) : String(Math.floor(random() * 10));
  }
  return out;
}

/** The random stream of training example `example` in `epoch`. */
export function exampleRandom(seed: number, epoch: number, example: number): () => number {
  return mulberry32(hashSeed(seed, 0x4e554d /* "NUM" */, epoch, example));
}

/** Training example `example`, its numbers replaced with probability `p` each; the trainer's hook. */
export type ExampleAugmenter = (example: number, p: number, random: () => number) => EncodedSentence;

/**
 * The hook over the training windows of `encodeSentences`. An augmented word
 * that would no longer fit the window (more sub-tokens than the window has
 * room for) is left as it was, so every window keeps at most `maxLength`
 * sub-tokens. A window with no word replaced is returned as it was encoded.
 */
export function numberAugmenter(
  sentences: readonly FinerSentence[],
  report: Pick<EncodeReport, 'encoded' | 'spans'>,
  encoder: WordEncoder & { cls: number; sep: number },
  opts: WindowOptions & { /** label id of non-entity words; -1: every word is an entity */ outside: number },
): ExampleAugmenter {
  const budget = opts.maxLength - 2;
  return (example, p, random) => {
    const { sentence, firstWord, endWord } = report.spans[example]!;
    const s = sentences[sentence]!;
    const words = s.tokens.slice(firstWord, endWord);
    const tags = trainingTags(s).slice(firstWord, endWord);
    const size = (q: readonly number[]) => Math.min(q.length, budget); // as the window planner counts a word
    let pieces: number[][] | undefined;
    let used = 0;
    words.forEach((word, i) => {
      if (tags[i] === opts.outside || tags[i] === IGNORE || !HAS_DIGIT.test(word) || random() >= p) return;
      if (!pieces) {
        pieces = words.map((w) => encoder.pieces(w));
        used = pieces.reduce((n, q) => n + size(q), 0);
      }
      const next = encoder.pieces(augmentNumber(word, random));
      if (used - size(pieces[i]!) + size(next) > budget) return;
      used += size(next) - size(pieces[i]!);
      pieces[i] = next;
    });
    if (!pieces) return report.encoded[example]!;
    // everything fits in one window now, so the planner returns exactly one
    const [window] = encodeWindows(pieces, encoder, opts);
    return { ids: Int32Array.from(window!.ids), labels: Int32Array.from(alignLabels(window!.wordIds, tags)) };
  };
}
