/**
 * Windows, not truncation: a sentence longer than the model's window is cut
 * into overlapping windows of whole words, so no word is ever dropped.
 *
 *   words:    w0 w1 w2 w3 w4 w5 w6 w7 w8
 *   window 0: [CLS] w0 .. w4 [SEP]
 *   window 1:          [CLS] w3 .. w7 [SEP]      (w3 w4: the overlap, <= stride sub-tokens)
 *   window 2:                   [CLS] w6 .. w8 [SEP]
 *
 * Training uses every window as an example; prediction takes each word's
 * label from the window where the word is most central (most context on its
 * narrower side). The same code runs in the trainer, the CLI and the app.
 */
import { InputError } from '../ner/errors.ts';

/** One window: sub-token ids with [CLS]/[SEP], the word of each sub-token (null for specials), its words [firstWord, endWord). */
export interface WindowEncoding {
  ids: number[];
  wordIds: (number | null)[];
  firstWord: number;
  endWord: number;
}

export interface WindowOptions {
  /** Sub-tokens per window, [CLS] and [SEP] included. */
  maxLength: number;
  /** Sub-tokens shared by two consecutive windows (at most; windows start on word boundaries). */
  stride: number;
}

/** The overlap of consecutive windows when none is given: a quarter of the window. */
export const defaultStride = (maxLength: number): number => Math.floor(maxLength / 4);

export function checkWindowOptions({ maxLength, stride }: WindowOptions, where = 'window'): void {
  if (!Number.isInteger(maxLength) || maxLength < 3) {
    throw new InputError(`${where}: max length ${maxLength}; expected an integer of at least 3 ([CLS], one sub-token, [SEP])`);
  }
  if (!Number.isInteger(stride) || stride < 0 || stride > (maxLength - 2) / 2) {
    throw new InputError(`${where}: stride ${stride}; expected an integer from 0 to half the window's ${maxLength - 2} sub-tokens`);
  }
}

/**
 * Word ranges of the windows over words of `counts[i]` sub-tokens each.
 * A word longer than a whole window counts as a full window (its first
 * sub-tokens are kept: the label sits on the first one).
 */
export function planWindows(counts: readonly number[], opts: WindowOptions): Array<{ start: number; end: number }> {
  checkWindowOptions(opts);
  const budget = opts.maxLength - 2;
  const size = (i: number) => Math.min(counts[i]!, budget);
  const windows: Array<{ start: number; end: number }> = [];
  let start = 0;
  for (;;) {
    let end = start;
    let used = 0;
    while (end < counts.length && used + size(end) <= budget) used += size(end++);
    windows.push({ start, end });
    if (end >= counts.length) return windows;
    // the next window begins as early as possible while sharing at most `stride` sub-tokens
    let next = end;
    let shared = 0;
    while (next - 1 > start && shared + size(next - 1) <= opts.stride) shared += size(--next);
    start = next;
  }
}

/** Encode words (as their sub-token ids) into windows with [CLS]/[SEP]. */
export function encodeWindows(pieces: readonly (readonly number[])[], specials: { cls: number; sep: number }, opts: WindowOptions): WindowEncoding[] {
  const budget = opts.maxLength - 2;
  return planWindows(pieces.map((p) => p.length), opts).map(({ start, end }) => {
    const ids = [specials.cls];
    const wordIds: (number | null)[] = [null];
    for (let w = start; w < end; w++) {
      for (const id of pieces[w]!.slice(0, budget)) {
        ids.push(id);
        wordIds.push(w);
      }
    }
    ids.push(specials.sep);
    wordIds.push(null);
    return { ids, wordIds, firstWord: start, endWord: end };
  });
}

/**
 * For every word, the index of the window it is most central in: the one
 * where min(sub-tokens before it, sub-tokens after it) is largest (the
 * earlier window on ties). Words with no sub-token get -1.
 */
export function ownerWindows(windows: readonly WindowEncoding[], wordCount: number): number[] {
  const owner = new Array<number>(wordCount).fill(-1);
  const best = new Array<number>(wordCount).fill(-1);
  windows.forEach((win, k) => {
    const n = win.ids.length;
    win.wordIds.forEach((w, pos) => {
      if (w === null || win.wordIds[pos - 1] === w) return; // the word's first sub-token only
      const centrality = Math.min(pos, n - 1 - pos);
      if (centrality > best[w]!) {
        best[w] = centrality;
        owner[w] = k;
      }
    });
  });
  return owner;
}

/** Position of each word's first sub-token in `win` (absent words: none). */
export function firstSubTokens(win: WindowEncoding): Map<number, number> {
  const first = new Map<number, number>();
  win.wordIds.forEach((w, pos) => {
    if (w !== null && !first.has(w)) first.set(w, pos);
  });
  return first;
}
