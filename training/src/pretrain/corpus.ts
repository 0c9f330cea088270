/**
 * The pretraining corpus: the train split of a dataset folder, and nothing
 * else. `finer ixbrl` splits by company, so its train.jsonl holds the prose of
 * train-split companies only; validation.jsonl and test.jsonl are never opened.
 *
 * Every sentence is WordPiece-encoded once (a cache per distinct word) and
 * kept as flat typed arrays: tens of millions of sub-tokens take 5 bytes each.
 *
 *   ids      [subTokens]   sub-token ids of every sentence, back to back, no specials
 *   flags    [subTokens]   WORD_START on a word's first piece, HAS_DIGIT on each piece of a word with a digit
 *   starts   [sentences+1] sentence k is ids[starts[k] .. starts[k+1])
 *   docStarts [docs+1]     document d is sentences docStarts[d] .. docStarts[d+1]-1: a run of lines with one `source`
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { DATASET_INFO, readDatasetInfo } from '../data/dataset-folder.ts';
import { withoutBom } from '../data/jsonl.ts';
import { atLine, FinerError, readFailure } from '../util/errors.ts';
import type { WordEncoder } from '../tokenizer/wordpiece.ts';

export const WORD_START = 1;
export const HAS_DIGIT = 2;

export interface Corpus {
  ids: Int32Array;
  flags: Uint8Array;
  starts: Int32Array;
  docStarts: Int32Array;
  /** What was read and how it was split, for pretraining.json. */
  source: CorpusSource;
}

export interface CorpusSource {
  /** The train.jsonl read. */
  path: string;
  split: 'train';
  /** How the folder's builder assigned sentences to splits (dataset_info.json `options.split_by`), when it says. */
  splitBy: string | null;
  note: string;
  sentences: number;
  subTokens: number;
  documents: number;
  /** Lines whose words encode to no sub-token (empty, or only characters the normaliser drops). */
  skipped: number;
  /** FNV-1a of the ids and sentence bounds: a resumed run must read the same corpus. */
  fingerprint: string;
}

/** A typed array that doubles as it fills. */
class Growing<T extends Int32Array | Uint8Array> {
  length = 0;
  constructor(private data: T, private readonly make: (n: number) => T) {}
  push(x: number): void {
    if (this.length === this.data.length) {
      const bigger = this.make(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
  }
  /** The filled part (a copy, so the spare capacity is freed). */
  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}

/** The words of one line, checked: `{"id", "tokens": [...], ...}`; `source` (optional) names its document. */
function wordsOf(line: string, at: (msg: string) => FinerError): { tokens: string[]; source: unknown } {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (err) {
    throw at(`not valid JSON (${(err as Error).message}); expected one {"id", "tokens", ...} object per line`);
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) throw at('expected an object {"id", "tokens", ...}');
  const { tokens, source } = record as { tokens?: unknown; source?: unknown };
  if (!Array.isArray(tokens) || !tokens.every((w) => typeof w === 'string')) {
    throw at(`field "tokens" = ${JSON.stringify(tokens)?.slice(0, 40)}; expected an array of strings`);
  }
  return { tokens, source };
}

function note(splitBy: string | null): string {
  if (splitBy === 'company') return 'train.jsonl only; the folder is split by company (dataset_info.json options.split_by), so no validation or test company\'s text';
  return `train.jsonl only; dataset_info.json ${splitBy ? `says split_by "${splitBy}"` : 'does not say how the splits were made'}`;
}

/**
 * Read and encode `<dir>/train.jsonl` (at most `maxSentences` lines when
 * given). A folder without train.jsonl, a bad line, or a corpus with no
 * sub-token is a FinerError naming the file (and line).
 */
export async function readCorpus(dir: string, encoder: WordEncoder, opts: { maxSentences?: number } = {}): Promise<Corpus> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new FinerError(`${dir}: no such dataset folder`);
  const path = join(dir, 'train.jsonl');
  if (!existsSync(path)) throw new FinerError(`${path}: no such file; expected the train split of a dataset folder (pretraining reads train.jsonl only)`);
  const info = await readDatasetInfo(join(dir, DATASET_INFO));
  const options = info?.options as { split_by?: unknown } | undefined;
  const splitBy = typeof options?.split_by === 'string' ? options.split_by : null;

  const ids = new Growing(new Int32Array(1 << 20), (n) => new Int32Array(n));
  const flags = new Growing(new Uint8Array(1 << 20), (n) => new Uint8Array(n));
  const starts = new Growing(new Int32Array(1 << 16), (n) => new Int32Array(n));
  const docStarts = new Growing(new Int32Array(1 << 10), (n) => new Int32Array(n));
  starts.push(0);
  // a word's pieces and its digit flag, computed once per distinct word (most of the time goes to the misses)
  const cache = new Map<string, { pieces: number[]; digit: number }>();
  const encode = (word: string) => {
    let e = cache.get(word);
    if (e === undefined) {
      e = { pieces: encoder.pieces(word), digit: /\d/.test(word) ? HAS_DIGIT : 0 };
      if (cache.size < 4_000_000) cache.set(word, e);
    }
    return e;
  };

  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  let skipped = 0;
  let lastSource: unknown = Symbol('none');
  try {
    for await (const raw of lines) {
      lineNo++;
      const line = withoutBom(raw, lineNo);
      if (line.trim() === '') continue;
      if (opts.maxSentences !== undefined && starts.length - 1 >= opts.maxSentences) break;
      const { tokens, source } = wordsOf(line, (msg) => atLine(path, lineNo, msg));
      const before = ids.length;
      for (const word of tokens) {
        const { pieces, digit } = encode(word);
        for (let k = 0; k < pieces.length; k++) {
          ids.push(pieces[k]!);
          flags.push((k === 0 ? WORD_START : 0) | digit);
        }
      }
      if (ids.length === before) {
        skipped++;
        continue;
      }
      // a new document where the source changes (no source: every sentence is its own)
      if (source === undefined || source !== lastSource) docStarts.push(starts.length - 1);
      lastSource = source;
      starts.push(ids.length);
    }
  } catch (err) {
    throw readFailure(err, path, 'JSONL');
  } finally {
    lines.close();
  }
  const sentences = starts.length - 1;
  if (sentences === 0) throw new FinerError(`${path}: no sentence with a sub-token; expected lines {"id", "tokens": [words]}`);
  docStarts.push(sentences);
  const corpus = { ids: ids.done(), flags: flags.done(), starts: starts.done(), docStarts: docStarts.done() };
  return {
    ...corpus,
    source: {
      path, split: 'train', splitBy, note: note(splitBy), sentences, subTokens: corpus.ids.length,
      documents: corpus.docStarts.length - 1, skipped, fingerprint: fingerprint(corpus.ids, corpus.starts),
    },
  };
}

/** FNV-1a over the sentence bounds and every id. */
function fingerprint(ids: Int32Array, starts: Int32Array): string {
  let h = 0x811c9dc5;
  const mix = (x: number) => (h = Math.imul(h ^ (x & 0xffff) ^ (x >>> 16), 0x01000193) >>> 0);
  for (let i = 0; i < starts.length; i++) mix(starts[i]!);
  for (let i = 0; i < ids.length; i++) mix(ids[i]!);
  return h.toString(16).padStart(8, '0');
}
