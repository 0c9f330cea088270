/**
 * The word encoder against the reference: the shipped tokenizer.json under
 * Hugging Face tokenizers (npm `tokenizers`, the Rust library). encode(words)
 * must give the ids HF gives words.join(' '), for every code point and for
 * generated text.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { Tokenizer } from 'tokenizers';
import { describe, expect, it } from 'vitest';
import { normalize, preTokenize, WordPiece } from '@finer-lens/core/text/wordpiece.ts';

const TOKENIZER = resolve(import.meta.dirname, '../../../public/models/finer-lens-small/tokenizer.json');
const hf = Tokenizer.fromFile(TOKENIZER);
const ours = WordPiece.fromTokenizerJson(JSON.parse(readFileSync(TOKENIZER, 'utf8')), TOKENIZER);

async function hfIds(text: string): Promise<number[]> {
  return (await hf.encode(text, null, { addSpecialTokens: false })).getIds();
}

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

describe('the word encoder and HF tokenizers', () => {
  it('normalizes and pre-tokenizes every code point as BertNormalizer and BertPreTokenizer do', () => {
    const normalizer = hf.getNormalizer()!;
    const preTokenizer = hf.getPreTokenizer()!;
    const wrong: string[] = [];
    for (let cp = 0; cp <= 0x10ffff && wrong.length < 10; cp++) {
      const c = String.fromCodePoint(cp); // a lone surrogate reaches Rust as U+FFFD, which both drop
      if (normalize(c) !== normalizer.normalizeString(c)) wrong.push(`${hex(cp)} normalizes to ${JSON.stringify(normalize(c))}`);
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const split = preTokenize(`a${c}a`);
      const theirs = preTokenizer.preTokenizeString(`a${c}a`).map(([part]) => part);
      if (split.join('|') !== theirs.join('|')) wrong.push(`${hex(cp)} pre-tokenizes to ${JSON.stringify(split)}, HF ${JSON.stringify(theirs)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('encodes every code point, as a word and inside one, to the ids of tokenizer.json', async () => {
    const CHUNK = 0x4000; // code points per call: one long text, since BertPreTokenizer splits at the spaces
    const wrong: string[] = [];
    for (let from = 0; from <= 0x10ffff && wrong.length === 0; from += CHUNK) {
      const words: string[] = [];
      for (let cp = from; cp < Math.min(from + CHUNK, 0x110000); cp++) {
        const c = String.fromCodePoint(cp);
        words.push(c, `a${c}b`, `7${c}`);
      }
      const got = words.flatMap((w) => ours.pieces(w));
      if (got.join() === (await hfIds(words.join(' '))).join()) continue;
      for (const w of words) {
        const theirs = await hfIds(w);
        if (ours.pieces(w).join() !== theirs.join() && wrong.length < 10) wrong.push(`${JSON.stringify(w)} (${hex(w.codePointAt(w.length > 2 ? 1 : 0)!)}): ${ours.pieces(w)} vs HF ${theirs}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 180_000);

  it('encodes generated text to the ids of tokenizer.json, also pre-split by preTokens (property)', async () => {
    const tricky = [
      '\u0378', '\u0661', '\uff11\uff0c\uff12\uff15\uff10\uff0e\uff15', '\u00ad', '\ufeff', '\u000b', '\u000c', '\u0085', '\u200b', '\u2066',
      '\u{2B820}', '\u{2B920}', '\u{20000}', '\u4e00', '\ufa6e', 'e\u0301', '\u0915\u094d', '\u{1F468}\u200d\u{1F469}', '\u{1F600}', '\ud800', '\udc00',
      '\u061d', '\u2e43', '\u166d', '\u{111C9}', '\u0890', '\u{E0041}', '\u{F0000}', '\u3000', '\u00a0', '\t', '\r\n', '\u0000', '\ufffd',
      '[CLS]', '[SEP]', '[UNK]', '[MASK]', '[PAD]', '[', ']', '##', '#', '$', '%', '(', ')', ',', '.', '-', '\u2014', '\u2019',
    ];
    const words = ['The', 'notes', 'bear', 'interest', 'at', '5.25', '%', '$', '1,250.5', 'million', 'LIBOR', '0.75%', 'credit', 'facility', 'Inc.', '2,000,000'];
    const fragment = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...words) },
      { weight: 4, arbitrary: fc.constantFrom(...tricky) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
      { weight: 1, arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)), maxLength: 4 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 999_999 }).map(String) },
      { weight: 1, arbitrary: fc.constant('x'.repeat(60)) },
    );
    const text = fc.array(fc.tuple(fragment, fc.constantFrom(' ', ' ', '', '\u00a0', '\n')), { maxLength: 40 }).map((parts) => parts.map(([f, sep]) => f + sep).join(''));
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const split = t.split(' ');
        const ids = await hfIds(split.join(' '));
        expect(ours.encode(split).ids.slice(1, -1)).toEqual(ids);
        // each word as its pre-tokens joined by spaces (the HF backend's input) encodes to the same ids
        expect(await hfIds(split.map((w) => ours.preTokens(w).join(' ')).join(' '))).toEqual(ids);
      }),
      { numRuns: 3000 },
    );
  }, 120_000);
});
