/**
 * Cased WordPiece encoding of words that are already split, exactly as the
 * `tokenizer.json` we ship makes Hugging Face tokenizers, transformers.js and
 * Python encode the same words joined by spaces:
 *
 *   BertNormalizer(clean_text, handle_chinese_chars, no lowercase, no accent strip)
 *   -> BertPreTokenizer (whitespace, then every punctuation character alone)
 *   -> WordPiece (greedy longest match, "##" continuation, [UNK] for a whole
 *      word with an unmatched piece or over 100 characters)
 *
 *   "$1,250.5" -> "$" "1" "," "250" "." "5" (with a vocab that has those)
 *
 * Pure TypeScript: the app and the training CLI share it.
 */
import { InputError } from './errors.ts';

/** Sub-token ids of a sentence with [CLS]/[SEP], and for each the index of its word (null for specials). */
export interface Encoding { ids: number[]; wordIds: (number | null)[] }

/** Turns a sentence's words into sub-token ids; the batcher needs only this. */
export interface WordEncoder {
  encode(words: readonly string[]): Encoding;
  /** Sub-token ids of one word, without specials; empty when normalisation leaves nothing. */
  pieces(word: string): number[];
}

/** The special tokens every vocabulary we train or load must have. */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

const MAX_WORD_CHARS = 100; // BERT's max_input_chars_per_word: longer words become [UNK]

export class WordPiece implements WordEncoder {
  readonly cls: number;
  readonly sep: number;
  readonly unk: number;
  readonly pad: number;
  readonly mask: number | undefined;
  readonly size: number;

  constructor(readonly vocab: ReadonlyMap<string, number>, where = 'vocab') {
    const special = (t: string) => {
      const id = vocab.get(t);
      if (id === undefined) throw new InputError(`${where}: missing special token ${t}; expected a BERT vocabulary with [PAD] [UNK] [CLS] [SEP]`);
      return id;
    };
    this.cls = special('[CLS]');
    this.sep = special('[SEP]');
    this.unk = special('[UNK]');
    this.pad = special('[PAD]');
    this.mask = vocab.get('[MASK]');
    let max = -1;
    for (const id of vocab.values()) max = Math.max(max, id);
    this.size = max + 1;
  }

  /** vocab.txt: one token per line, the line number is the id (the first of repeated lines wins). */
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

  /** The tokens in id order (the lines of vocab.txt). */
  tokens(): string[] {
    const out = new Array<string>(this.size).fill('');
    for (const [t, id] of this.vocab) out[id] = t;
    return out;
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

  pieces(word: string): number[] {
    const out: number[] = [];
    for (const part of preTokenize(normalize(word))) out.push(...this.wordPieces(part));
    return out;
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

// --- BertNormalizer(clean_text=true, handle_chinese_chars=true, strip_accents=false, lowercase=false)

/** HF's is_control: "other" categories except tab, newline, carriage return. */
const CONTROL = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Cn}]/u;
const WHITESPACE = /\s/u;

function isChinese(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) || (cp >= 0x2b740 && cp <= 0x2b81f) || (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

export function normalize(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\t' || ch === '\n' || ch === '\r' || WHITESPACE.test(ch)) out += ' ';
    else if (cp === 0 || cp === 0xfffd || CONTROL.test(ch)) continue;
    else if (isChinese(cp)) out += ` ${ch} `;
    else out += ch;
  }
  return out;
}

// --- BertPreTokenizer

/** BERT's punctuation: ASCII symbols plus every Unicode punctuation character. */
function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0)!;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return /\p{P}/u.test(ch);
}

export function preTokenize(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (const ch of text) {
    if (WHITESPACE.test(ch)) {
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
