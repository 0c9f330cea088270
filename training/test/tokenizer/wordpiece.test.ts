import { describe, expect, it } from 'vitest';
import { WordPiece } from '../../src/tokenizer/wordpiece.ts';
import { InputError } from '../../../src/ner/errors.ts';

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

  it('needs the special tokens', () => {
    expect(() => WordPiece.fromVocabText('a\nb\n', 'v.txt')).toThrow(InputError);
    expect(() => WordPiece.fromVocabText('a\nb\n', 'v.txt')).toThrow(/v\.txt: missing special token \[CLS\]/);
  });
});
