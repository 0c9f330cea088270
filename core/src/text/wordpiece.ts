/**
 * Cased WordPiece encoding of words that are already split, exactly as the
 * `tokenizer.json` we ship makes Hugging Face tokenizers (the Rust library;
 * Python `transformers` and npm `tokenizers`) encode the same words joined
 * by spaces:
 *
 *   added tokens ([CLS], [MASK], ...) cut out of the raw text first, then for the rest:
 *   BertNormalizer(clean_text, handle_chinese_chars, no lowercase, no accent strip)
 *   -> BertPreTokenizer (whitespace, then every punctuation character alone)
 *   -> WordPiece (greedy longest match, "##" continuation, [UNK] for a whole
 *      word with an unmatched piece or over 100 characters)
 *
 *   "$1,250.5" -> "$" "1" "," "250" "." "5" (with a vocab that has those)
 *
 * The character classes are HF's own tables (./bert-chars.ts), so an
 * unassigned code point is kept and becomes [UNK] as there, and every code
 * point encodes alike in Node and in the browser. transformers.js's own
 * tokenizer differs from both on some rare characters; the HF backend maps
 * its labels with that tokenizer (predictWordsWithPipeline).
 *
 * A tokenizer.json may add Replace normalizers after BertNormalizer (our
 * number shapes: every digit becomes 0, `$1,250.5` -> `$0,000.0`); we read
 * and apply them, so all three stay identical.
 *
 * Pure TypeScript: the app and the training CLI share it.
 */
import { CHINESE, CONTROL, PUNCTUATION, WHITESPACE, charFlags, isSurrogatePair } from './bert-chars.ts';
import { InputError } from '../ner/errors.ts';

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

/** Text -> normalised text, as tokenizer.json's "normalizer" does it. */
export type Normalizer = (text: string) => string;

export class WordPiece implements WordEncoder {
  readonly cls: number;
  readonly sep: number;
  readonly unk: number;
  readonly pad: number;
  readonly mask: number | undefined;
  readonly size: number;
  /** Added tokens HF matches in the raw text before normalising (BERT's specials), with their ids. */
  private readonly added: ReadonlyMap<string, number>;
  private readonly addedPattern: RegExp | undefined;
  private readonly addedFirstChars: string[];
  /** Longest vocab token in UTF-16 units ("##" not counted): no longer piece can match. */
  private readonly longest: number;

  /**
   * `normalizer`: BertNormalizer for a vocab.txt, tokenizer.json's own otherwise.
   * `addedTokens`: tokenizer.json's "added_tokens"; for a vocab.txt, the specials it has (as BertTokenizer adds them).
   */
  constructor(
    readonly vocab: ReadonlyMap<string, number>,
    where = 'vocab',
    readonly normalizer: Normalizer = normalize,
    addedTokens: ReadonlyMap<string, number> = new Map(SPECIAL_TOKENS.flatMap((t) => (vocab.has(t) ? [[t, vocab.get(t)!] as const] : []))),
  ) {
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
    let longest = 0;
    for (const [t, id] of vocab) {
      max = Math.max(max, id);
      longest = Math.max(longest, t.startsWith('##') ? t.length - 2 : t.length);
    }
    this.size = max + 1;
    this.longest = longest;
    this.added = addedTokens;
    const byLength = [...addedTokens.keys()].sort((a, b) => b.length - a.length); // JS alternation takes the first that matches
    this.addedPattern = byLength.length ? new RegExp(byLength.map(escapeRegExp).join('|'), 'g') : undefined;
    this.addedFirstChars = [...new Set(byLength.map((t) => t[0]!))];
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

  /** A parsed tokenizer.json: its WordPiece vocab, its normalizer (see `normalizerOf`) and its added tokens. */
  static fromTokenizerJson(json: unknown, where: string): WordPiece {
    const model = isRecord(json) ? json.model : undefined;
    if (!isRecord(model) || model.type !== 'WordPiece' || !isRecord(model.vocab)) {
      throw new InputError(`${where}: field "model" is not a WordPiece model with a "vocab"; expected a BERT WordPiece tokenizer`);
    }
    const vocab = new Map<string, number>();
    for (const [t, id] of Object.entries(model.vocab)) {
      if (!Number.isInteger(id)) throw new InputError(`${where}: field "model.vocab" gives ${JSON.stringify(t)} the id ${JSON.stringify(id)}; expected an integer`);
      vocab.set(t, id as number);
    }
    const config = json as Record<string, unknown>;
    return new WordPiece(vocab, where, normalizerOf(config.normalizer, where), addedTokensOf(config.added_tokens, where));
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
    this.split(word, (text) => {
      for (const part of preTokenize(this.normalizer(text))) this.wordPieces(part, out);
    }, (token) => out.push(this.added.get(token)!));
    return out;
  }

  /**
   * The word as the tokenizer splits it before WordPiece: normalised, pre-tokenized, added
   * tokens kept whole. Each element gives the same ids alone as in the word; `pieces` is
   * their WordPiece ids in turn.
   */
  preTokens(word: string): string[] {
    const out: string[] = [];
    this.split(word, (text) => out.push(...preTokenize(this.normalizer(text))), (token) => out.push(token));
    return out;
  }

  /** The word in turn as text and added tokens: HF cuts added tokens out of the raw text first (leftmost, then longest). */
  private split(word: string, text: (text: string) => void, added: (token: string) => void): void {
    if (this.addedPattern === undefined || !this.addedFirstChars.some((c) => word.includes(c))) {
      text(word);
      return;
    }
    let start = 0;
    for (const m of word.matchAll(this.addedPattern)) {
      text(word.slice(start, m.index));
      added(m[0]);
      start = m.index + m[0].length;
    }
    text(word.slice(start));
  }

  /** Greedy longest match over code points (a surrogate pair is never cut), as HF's WordPiece. */
  private wordPieces(word: string, out: number[]): void {
    if (word.length > MAX_WORD_CHARS && codePoints(word) > MAX_WORD_CHARS) {
      out.push(this.unk);
      return;
    }
    const first = out.length;
    let start = 0;
    while (start < word.length) {
      let end = Math.min(word.length, start + this.longest);
      if (isSurrogatePair(word, end - 1)) end--; // never between the halves of a character
      let found: number | undefined;
      for (; end > start; end -= isSurrogatePair(word, end - 2) ? 2 : 1) {
        found = this.vocab.get(start > 0 ? '##' + word.slice(start, end) : word.slice(start, end));
        if (found !== undefined) break;
      }
      if (found === undefined) {
        out.length = first; // BERT: one unmatched piece makes the whole word [UNK]
        out.push(this.unk);
        return;
      }
      out.push(found);
      start = end;
    }
  }
}

function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (!isSurrogatePair(text, i - 1)) n++;
  return n;
}

/** tokenizer.json's "added_tokens": matched as they are in the raw text, as BERT's specials are. */
function addedTokensOf(config: unknown, where: string): Map<string, number> {
  const added = new Map<string, number>();
  if (config === undefined || config === null) return added;
  if (!Array.isArray(config)) throw new InputError(`${where}: field "added_tokens" is not a list; expected the special tokens`);
  config.forEach((t: unknown, i) => {
    const field = `added_tokens[${i}]`;
    if (!isRecord(t) || typeof t.content !== 'string' || t.content === '' || !Number.isInteger(t.id)) {
      throw new InputError(`${where}: field "${field}" has no "content" and "id"; expected a token and its id`);
    }
    for (const flag of ['normalized', 'single_word', 'lstrip', 'rstrip'] as const) {
      if (t[flag] === true) throw new InputError(`${where}: field "${field}.${flag}" is true; expected false, as for BERT's special tokens (this encoder matches added tokens as they are)`);
    }
    added.set(t.content, t.id as number);
  });
  return added;
}

// --- BertNormalizer(clean_text=true, handle_chinese_chars=true, strip_accents=false, lowercase=false)

/** BertNormalizer: controls dropped, whitespace to a space, each CJK character between spaces. */
export function normalize(text: string): string {
  let out = '';
  let copied = 0; // text[copied, i) is unchanged so far and copied in one slice
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    const flags = cp === 0x20 ? 0 : charFlags(cp);
    if (flags & (CONTROL | WHITESPACE | CHINESE)) {
      out += text.slice(copied, i);
      // HF drops controls before it maps whitespace: a vertical tab or U+0085 disappears
      if (!(flags & CONTROL)) out += flags & WHITESPACE ? ' ' : ' ' + text.slice(i, i + size) + ' ';
      copied = i + size;
    }
    i += size;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

// --- tokenizer.json's "normalizer": the types above, composed as it says

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The normalizer a tokenizer.json describes: null (none), our cased
 * BertNormalizer, Replace (a `String` or a `Regex` pattern; JS and
 * Oniguruma agree on simple classes such as `[0-9]`), or a Sequence of
 * those. Anything else is an error naming the file and the field.
 */
export function normalizerOf(config: unknown, where: string, field = 'normalizer'): Normalizer {
  if (config === null || config === undefined) return (text) => text;
  const bad = (what: string, expected: string) => new InputError(`${where}: field "${field}${what}" ${expected}`);
  if (!isRecord(config)) throw bad('', 'is not an object; expected a normalizer or null');
  switch (config.type) {
    case 'BertNormalizer':
      if (config.lowercase === true) throw bad('.lowercase', 'is true; expected false (the encoder is cased)');
      if (config.strip_accents === true) throw bad('.strip_accents', 'is true; expected false or null (the encoder keeps accents)');
      if (config.clean_text === false || config.handle_chinese_chars === false) throw bad('', 'turns off clean_text or handle_chinese_chars; expected both on, as BERT has them');
      return normalize;
    case 'Replace': {
      const pattern = config.pattern;
      if (typeof config.content !== 'string') throw bad('.content', 'is not a string; expected the replacement text');
      const content = config.content;
      let re: RegExp;
      if (isRecord(pattern) && typeof pattern.String === 'string') {
        re = new RegExp(escapeRegExp(pattern.String), 'gu');
      } else if (isRecord(pattern) && typeof pattern.Regex === 'string') {
        try {
          re = new RegExp(pattern.Regex, 'gu');
        } catch (err) {
          throw bad('.pattern.Regex', `is not a regular expression JavaScript reads (${err instanceof Error ? err.message : String(err)})`);
        }
      } else {
        throw bad('.pattern', 'has no "String" or "Regex"; expected one of them');
      }
      // a function, so `$` in the content is literal, as in Hugging Face tokenizers
      return (text) => text.replace(re, () => content);
    }
    case 'Sequence': {
      if (!Array.isArray(config.normalizers)) throw bad('.normalizers', 'is not a list; expected the normalizers to apply in order');
      const steps = config.normalizers.map((n, i) => normalizerOf(n, where, `${field}.normalizers[${i}]`));
      return (text) => steps.reduce((t, step) => step(t), text);
    }
    default:
      throw bad('.type', `is ${JSON.stringify(config.type)}; expected BertNormalizer, Replace or Sequence (the normalizers this encoder applies)`);
  }
}

// --- BertPreTokenizer

/** BertPreTokenizer: split at whitespace (dropped) and around every punctuation character (kept alone). */
export function preTokenize(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    const flags = charFlags(cp) & (WHITESPACE | PUNCTUATION);
    if (flags) {
      if (i > start) parts.push(text.slice(start, i));
      if (flags & PUNCTUATION) parts.push(text.slice(i, i + size));
      start = i + size;
    }
    i += size;
  }
  if (text.length > start) parts.push(text.slice(start));
  return parts;
}
