import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hf from 'tokenizers';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { WordPiece } from '../../../src/ner/wordpiece.ts';
import { learnVocabulary, trainVocab, writeTokenizerFiles } from '../../src/tokenizer/train-vocab.ts';
import { writeJsonlDataset, sentence } from '../data/fixtures.ts';

const SAMPLE = join(import.meta.dirname, '../../../../shared/data/finer139-sample/finer139_train_sample.jsonl');

/** Text a 10-K might hold, with the cases that break tokenisers. */
const TRICKY = [
  'The Company issued $1,250.5 million of 4.375% Senior Notes due 2027 (the "Notes").',
  'Interest accrues at LIBOR plus (2.25%) per annum; the facility\'s capacity is $12,345,678,901.',
  'Café Société’s “quoted” text — with an em dash… and ™ ® € £ ¥ § ¶ signs.',
  'Long numbers 123456789012345678901234567890 and 0.000000001 and 1,000,000,000,000.00.',
  'Zero\u200bwidth, tab\tand non\u00a0breaking spaces, control \u0007 chars, 日本語 and emoji 📈.',
  'A'.repeat(120) + ' is a word longer than one hundred characters.',
];

function corpus(): string {
  const lines: string[] = [];
  for (let i = 0; i < 400; i++) {
    lines.push(`The Company issued $${i},250.5 million of ${i % 9}.${i % 7}5% senior notes due 20${10 + (i % 30)} under its revolving credit facility.`);
    lines.push(`Borrowings bear interest at LIBOR plus ${i % 4}.${i % 10}0% and the maximum borrowing capacity is $${i * 7} million.`);
  }
  return lines.join('\n') + '\n' + TRICKY.join('\n') + '\n';
}

describe('finer vocab', () => {
  it('transformers.js AutoTokenizer, HF tokenizers and our encoder give the same ids, on tricky text and the FiNER-139 sample', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vocab-'));
    const corpusFile = join(dir, 'corpus.txt');
    await writeFile(corpusFile, corpus());
    const tokens = await learnVocabulary([corpusFile], 300);
    expect(tokens.slice(0, 5)).toEqual(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']);
    expect(tokens).toHaveLength(300);
    await writeTokenizerFiles(join(dir, 'tok'), { tokens, modelMaxLength: 128 });
    for (const f of ['tokenizer.json', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json']) expect(existsSync(join(dir, 'tok', f))).toBe(true);

    const ours = WordPiece.fromVocabText(readFileSync(join(dir, 'tok', 'vocab.txt'), 'utf8'), 'vocab.txt');
    const rust = hf.Tokenizer.fromFile(join(dir, 'tok', 'tokenizer.json'));
    env.allowRemoteModels = false;
    env.localModelPath = dir + '/';
    const js = await AutoTokenizer.from_pretrained('tok');

    expect(existsSync(SAMPLE)).toBe(true);
    const sample = readFileSync(SAMPLE, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { tokens: string[] }).tokens);
    const sentences = [...TRICKY.map((t) => t.split(' ')), ...sample];
    expect(sentences.length).toBeGreaterThan(1300);
    let unk = 0;
    for (const words of sentences) {
      const text = words.join(' ');
      const mine = ours.encode(words).ids;
      expect((await rust.encode(text)).getIds(), text).toEqual(mine);
      expect(Array.from(js.encode(text), Number), text).toEqual(mine);
      unk += mine.filter((id) => id === ours.unk).length;
    }
    expect(unk).toBeGreaterThan(0); // the corpus does exercise [UNK] (CJK, the 120-letter word, ...)
  }, 60_000);

  it('learns from the train split only and reports sub-tokens per word', async () => {
    const data = await mkdtemp(join(tmpdir(), 'vocab-data-'));
    await writeJsonlDataset(data, {
      train: [sentence('a', [0, 0, 0]), sentence('b', [0, 0])],
      test: [{ ...sentence('c', [0]), tokens: ['Zebrafish'] }],
    });
    const out = join(data, 'tok');
    const r = await trainVocab(data, out, { size: 40 });
    const vocab = readFileSync(join(out, 'vocab.txt'), 'utf8').split('\n');
    expect(vocab.some((t) => t.includes('Z'))).toBe(false); // the test split's word never reached the trainer
    expect(r.sentences).toBe(2);
    expect(r.subTokensPerWord).toBeGreaterThanOrEqual(1);
  });

  it('refuses a size it cannot make', async () => {
    await expect(learnVocabulary([], 3)).rejects.toThrow(/--size 3: expected an integer from 6 to 30000/);
  });
});
