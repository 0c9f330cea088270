import { describe, expect, it } from 'vitest';
import { WordPiece } from '../../src/tokenizer/wordpiece.ts';
import { InputError } from '@finer-lens/core/ner/errors.ts';
import { normalizerOf } from '@finer-lens/core/text/wordpiece.ts';

const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'The', 'rate', 'is', '1', ',', '250', '.', '5', '%', 'inter', '##est', '##es', 'Ex', '##tra'];
const wp = WordPiece.fromVocabText(VOCAB.join('\n') + '\n', 'vocab.txt');
const id = (t: string) => VOCAB.indexOf(t);

describe('WordPiece', () => {
  it('adds [CLS]/[SEP] and maps each sub-token to its word', () => {
    expect(wp.encode(['The', 'interest', 'rate'])).toEqual({
      ids: [id('[CLS]'), id('The'), id('inter'), id('##est'), id('rate'), id('[SEP]')],
      wordIds: [null, 0, 1, 1, 2, null],
    });
  });

  it('matches the longest piece first', () => {
    expect(wp.pieces('interestes')).toEqual([id('inter'), id('##est'), id('##es')]);
  });

  it('splits punctuation inside a word, as BERT does', () => {
    expect(wp.pieces('1,250.5')).toEqual(['1', ',', '250', '.', '5'].map(id));
  });

  it('is cased and turns a word with an unmatched piece into one [UNK]', () => {
    expect(wp.pieces('the')).toEqual([id('[UNK]')]);
    expect(wp.pieces('Extraz')).toEqual([id('[UNK]')]);
    expect(wp.pieces('Extra')).toEqual([id('Ex'), id('##tra')]);
  });

  it('applies the Replace normalizers of a tokenizer.json after BertNormalizer', () => {
    const bert = { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: false };
    const shapes = { type: 'Sequence', normalizers: [bert, { type: 'Replace', pattern: { Regex: '[0-9]' }, content: '0' }] };
    const json = { model: { type: 'WordPiece', vocab: Object.fromEntries(VOCAB.map((t, i) => [t, i])) }, normalizer: shapes };
    const shaped = WordPiece.fromTokenizerJson(json, 'tokenizer.json');
    expect(shaped.pieces('9,876.3')).toEqual(['0', ',', '000', '.', '0'].map((t) => (VOCAB.includes(t) ? id(t) : id('[UNK]'))));
    expect(WordPiece.fromTokenizerJson({ ...json, normalizer: bert }, 'tokenizer.json').pieces('1,250.5')).toEqual(wp.pieces('1,250.5'));
    expect(normalizerOf({ type: 'Replace', pattern: { String: '.' }, content: '$&' }, 't.json')('a.b')).toBe('a$&b'); // literal, as in HF
    expect(() => normalizerOf({ type: 'BertNormalizer', lowercase: true }, 't.json')).toThrow('t.json: field "normalizer.lowercase" is true; expected false');
    expect(() => WordPiece.fromTokenizerJson({ model: { type: 'BPE' } }, 't.json')).toThrow('t.json: field "model" is not a WordPiece model');
  });

  it('cuts the special tokens out of the raw text first, as HF does with added tokens', () => {
    expect(wp.pieces('5[SEP]%')).toEqual([id('5'), id('[SEP]'), id('%')]);
    expect(wp.pieces('[SE\u200bP]')).toEqual([id('[UNK]'), id('[UNK]'), id('[UNK]')]); // matched before normalising, so not [SEP]
    const json = { model: { type: 'WordPiece', vocab: Object.fromEntries(VOCAB.map((t, i) => [t, i])) }, added_tokens: [{ id: 3, content: '[SEP]', normalized: true }] };
    expect(() => WordPiece.fromTokenizerJson(json, 't.json')).toThrow('t.json: field "added_tokens[0].normalized" is true; expected false');
  });

  it('needs the special tokens', () => {
    expect(() => WordPiece.fromVocabText('a\nb\n', 'v.txt')).toThrow(InputError);
    expect(() => WordPiece.fromVocabText('a\nb\n', 'v.txt')).toThrow(/v\.txt: missing special token \[CLS\]/);
  });
});
