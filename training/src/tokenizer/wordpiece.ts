/**
 * Greedy longest-match-first WordPiece encoding over a BERT `vocab.txt`
 * (one token per line, the line number is the id), cased: what
 * `BertTokenizer(do_lower_case=False)` does to words that are already split.
 * Inside a word, punctuation is split off first, as BERT's basic tokenizer
 * does, so "1,250.5" becomes "1" "," "250" "." "5" with a cased vocab.
 */
import { readFile } from 'node:fs/promises';
import { FinerError } from '../util/errors.ts';

/** Sub-token ids of a sentence with [CLS]/[SEP], and for each the index of its word (null for specials). */
export interface Encoding { ids: number[]; wordIds: (number | null)[] }

/** Turns a sentence's words into sub-token ids; the batcher needs only this. */
export interface WordEncoder {
  encode(words: readonly string[]): Encoding;
}

const MAX_WORD_CHARS = 100; // BERT's max_input_chars_per_word: longer words become [UNK]

export class WordPiece implements WordEncoder {
  readonly cls: number;
  readonly sep: number;
  readonly unk: number;
  readonly pad: number;

  constructor(readonly vocab: ReadonlyMap<string, number>, where = 'vocab') {
    const special = (t: string) => {
      const id = vocab.get(t);
      if (id === undefined) throw new FinerError(`${where}: missing special token ${t}`);
      return id;
    };
    this.cls = special('[CLS]');
    this.sep = special('[SEP]');
    this.unk = special('[UNK]');
    this.pad = special('[PAD]');
  }

  static fromVocabText(text: string, where: string): WordPiece {
    const vocab = new Map<string, number>();
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    lines.forEach((line, i) => {
      const token = line.replace(/\r$/, '');
      if (!vocab.has(token)) vocab.set(token, i);
    });
    return new WordPiece(vocab, where);
  }

  static async fromVocabFile(path: string): Promise<WordPiece> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new FinerError(`${path}: cannot read vocab file (${(err as NodeJS.ErrnoException).code ?? err})`);
    }
    return WordPiece.fromVocabText(text, path);
  }

  get size(): number {
    let max = -1;
    for (const id of this.vocab.values()) max = Math.max(max, id);
    return max + 1;
  }

  encode(words: readonly string[]): Encoding {
    const ids = [this.cls];
    const wordIds: (number | null)[] = [null];
    words.forEach((word, w) => {
      for (const piece of this.pieces(word)) {
        ids.push(piece);
        wordIds.push(w);
      }
    });
    ids.push(this.sep);
    wordIds.push(null);
    return { ids, wordIds };
  }

  /** Sub-token ids of one word (never empty: an empty word gives [UNK]). */
  pieces(word: string): number[] {
    const out: number[] = [];
    for (const part of splitPunctuation(word)) out.push(...this.wordPieces(part));
    return out.length > 0 ? out : [this.unk];
  }

  private wordPieces(word: string): number[] {
    const chars = [...word];
    if (chars.length > MAX_WORD_CHARS) return [this.unk];
    const out: number[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: number | undefined;
      for (; end > start; end--) {
        const sub = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        found = this.vocab.get(sub);
        if (found !== undefined) break;
      }
      if (found === undefined) return [this.unk]; // BERT: one unmatched piece makes the whole word [UNK]
      out.push(found);
      start = end;
    }
    return out;
  }
}

/** BERT's `_is_punctuation`: ASCII symbols plus every Unicode punctuation character. */
function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return /\p{P}/u.test(ch);
}

function splitPunctuation(word: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (const ch of word.trim()) {
    if (/\s/u.test(ch)) {
      if (current) parts.push(current);
      current = '';
    } else if (isPunctuation(ch)) {
      if (current) parts.push(current);
      parts.push(ch);
      current = '';
    } else {
      current += ch;
    }
  }
  if (current) parts.push(current);
  return parts;
}
