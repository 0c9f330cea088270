/**
 * Packed rows: the corpus as one stream per epoch, cut into rows of exactly
 * `maxLength` sub-tokens, so no position is padding but in an epoch's last row.
 *
 *   stream = s1 [SEP] s2 [SEP] s3 [SEP] ...      (documents in a shuffled order, sentences in their order)
 *   row    = [CLS] + the next maxLength-1 sub-tokens of the stream
 *
 * A sentence that does not fit in what is left of a row continues in the
 * next row (so a sentence longer than a row is split); a document's sentences
 * stay together, so a row is mostly running text. The rows are then shuffled,
 * so that a batch mixes documents. Everything is a pure function of
 * (corpus, maxLength, seed, epoch): a resumed run sees the same rows.
 */
import { hashSeed, mulberry32, shuffleInPlace } from '../util/rng.ts';
import { WORD_START, type Corpus } from './corpus.ts';

/** Flag of a [CLS]/[SEP] position in a row (never masked); the corpus's own flags use bits 0 and 1. */
export const SPECIAL = 4;

/** One packed row: ids and flags of its positions. */
export interface PackedRow {
  ids: Int32Array;
  flags: Uint8Array;
  /** The epoch, and the row's index in that epoch's stream (before shuffling): what its masks are drawn from. */
  epoch: number;
  index: number;
}

export interface Specials { cls: number; sep: number }

/** Salt of the epoch's document and row order. */
const ORDER = 0x6f726472;

export class EpochRows {
  /** Rows in this epoch. */
  readonly count: number;
  /** order[k] = the stream index of the k-th row served. */
  private readonly order: Int32Array;
  /** Sentences in stream order, and where each one starts in the stream. */
  private readonly sentences: Int32Array;
  private readonly streamStart: Float64Array;
  private readonly streamLength: number;

  constructor(
    private readonly corpus: Corpus,
    private readonly maxLength: number,
    private readonly specials: Specials,
    seed: number,
    readonly epoch: number,
  ) {
    const random = mulberry32(hashSeed(seed, ORDER, epoch));
    const docs = shuffleInPlace(Array.from({ length: corpus.docStarts.length - 1 }, (_, d) => d), random);
    const n = corpus.starts.length - 1;
    this.sentences = new Int32Array(n);
    this.streamStart = new Float64Array(n + 1);
    let j = 0;
    let at = 0;
    for (const d of docs) {
      for (let s = corpus.docStarts[d]!; s < corpus.docStarts[d + 1]!; s++) {
        this.sentences[j] = s;
        this.streamStart[j++] = at;
        at += corpus.starts[s + 1]! - corpus.starts[s]! + 1; // the sentence and its [SEP]
      }
    }
    this.streamStart[n] = at;
    const rows = rowsPerEpoch(corpus, maxLength);
    this.streamLength = Math.min(at, rows * (maxLength - 1));
    this.count = rows;
    this.order = Int32Array.from(shuffleInPlace(Array.from({ length: rows }, (_, r) => r), random));
  }

  /** The k-th row of this epoch (k in 0..count-1). */
  row(k: number): PackedRow {
    const index = this.order[k]!;
    const width = this.maxLength - 1;
    const from = index * width;
    const to = Math.min(this.streamLength, from + width);
    const ids = new Int32Array(1 + to - from);
    const flags = new Uint8Array(ids.length);
    ids[0] = this.specials.cls;
    flags[0] = SPECIAL;
    // the sentence holding stream position `from`: the last j with streamStart[j] <= from
    let lo = 0;
    let hi = this.sentences.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.streamStart[mid]! <= from) lo = mid;
      else hi = mid - 1;
    }
    const { ids: corpusIds, flags: corpusFlags, starts } = this.corpus;
    let pos = 1;
    for (let j = lo, p = from; p < to; j++) {
      const s = this.sentences[j]!;
      const begin = starts[s]!;
      const len = starts[s + 1]! - begin;
      for (let i = p - this.streamStart[j]!; i <= len && p < to; i++, p++, pos++) {
        if (i === len) {
          ids[pos] = this.specials.sep;
          flags[pos] = SPECIAL;
        } else {
          ids[pos] = corpusIds[begin + i]!;
          // a row that starts inside a word starts that word's pieces afresh
          flags[pos] = corpusFlags[begin + i]! | (pos === 1 ? WORD_START : 0);
        }
      }
    }
    return { ids, flags, epoch: this.epoch, index };
  }
}

/** Rows served per epoch, the same for every epoch. */
export function rowsPerEpoch(corpus: Corpus, maxLength: number): number {
  const width = maxLength - 1;
  const stream = corpus.ids.length + corpus.starts.length - 1;
  const rows = Math.ceil(stream / width);
  // a last row of the final [SEP] alone would hold nothing to predict: that [SEP] is left out
  return rows > 1 && stream - (rows - 1) * width === 1 ? rows - 1 : rows;
}
