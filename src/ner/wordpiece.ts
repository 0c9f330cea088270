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
 * A tokenizer.json may add Replace normalizers after BertNormalizer (our
 * number shapes: every digit becomes 0, `$1,250.5` -> `$0,000.0`); we read
 * and apply them, so all three stay identical.
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

/** Text -> normalised text, as tokenizer.json's "normalizer" does it. */
export type Normalizer = (text: string) => string;

export class WordPiece implements WordEncoder {
  readonly cls: number;
  readonly sep: number;
  readonly unk: number;
  readonly pad: number;
  readonly mask: number | undefined;
  readonly size: number;

  /** `normalizer`: BertNormalizer for a vocab.txt, tokenizer.json's own otherwise. */
  constructor(readonly vocab: ReadonlyMap<string, number>, where = 'vocab', readonly normalizer: Normalizer = normalize) {
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

  /** A parsed tokenizer.json: its WordPiece vocab and its normalizer (see `normalizerOf`). */
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
    return new WordPiece(vocab, where, normalizerOf((json as Record<string, unknown>).normalizer, where));
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
    for (const part of preTokenize(this.normalizer(word))) out.push(...this.wordPieces(part));
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

// --- tokenizer.json's "normalizer": the types above, composed as it says

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
        re = new RegExp(pattern.String.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gu');
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
