import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hf from 'tokenizers';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { WordPiece } from '@finer-lens/core/text/wordpiece.ts';
import { learnVocabulary, trainVocab, writeTokenizerFiles } from '../../src/tokenizer/train-vocab.ts';
import { readEncoderFolder, readVocabFile } from '../../src/tokenizer/wordpiece.ts';
import { writeJsonlDataset, sentence } from '../data/fixtures.ts';
import { shapeNumbers, writeNumberShapeTokenizer } from './fixtures.ts';

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

/** The FiNER-139 sample's sentences, as words. */
function sampleSentences(): string[][] {
  expect(existsSync(SAMPLE)).toBe(true);
  return readFileSync(SAMPLE, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { tokens: string[] }).tokens);
}

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

    const sentences = [...TRICKY.map((t) => t.split(' ')), ...sampleSentences()];
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

  it('a number-shape tokenizer.json (every digit 0, as lab/ablation\'s shape models): transformers.js, HF tokenizers and our encoder give the same ids', async () => {
    const data = await mkdtemp(join(tmpdir(), 'vocab-shapes-'));
    await writeFile(join(data, 'corpus.txt'), shapeNumbers(corpus()));
    await writeNumberShapeTokenizer(join(data, 'tok'), { tokens: await learnVocabulary([join(data, 'corpus.txt')], 300), modelMaxLength: 128 });
    const json = JSON.parse(readFileSync(join(data, 'tok', 'tokenizer.json'), 'utf8')) as { normalizer: { type: string; normalizers: { type: string }[] } };
    expect(json.normalizer.type).toBe('Sequence');
    expect(json.normalizer.normalizers.map((n) => n.type)).toEqual(['BertNormalizer', 'Replace']);
    expect(readFileSync(join(data, 'tok', 'vocab.txt'), 'utf8')).not.toMatch(/[1-9]/); // the trainer saw only shapes

    const ours = await readVocabFile(join(data, 'tok', 'vocab.txt')); // picks up the tokenizer.json beside it
    expect(ours.pieces('$1,250.5')).toEqual(ours.pieces('$9,876.3'));
    expect(ours.pieces('4.375%')).not.toContain(ours.unk);
    const rust = hf.Tokenizer.fromFile(join(data, 'tok', 'tokenizer.json'));
    env.allowRemoteModels = false;
    env.localModelPath = data + '/';
    const js = await AutoTokenizer.from_pretrained('tok');
    for (const words of [...TRICKY.map((t) => t.split(' ')), ...sampleSentences()]) {
      const text = words.join(' ');
      const mine = ours.encode(words).ids;
      expect((await rust.encode(text)).getIds(), text).toEqual(mine);
      expect(Array.from(js.encode(text), Number), text).toEqual(mine);
    }

    // offsets still point at the original characters: the shape of each token's span is the token
    const text = 'Notes of $1,250.5 million at 4.375% due 2027 (ISIN US912828ZT58).';
    const enc = await rust.encode(text);
    const tokens = enc.getTokens();
    enc.getOffsets().forEach(([start, end], i) => {
      if (tokens[i] === '[CLS]' || tokens[i] === '[SEP]' || tokens[i] === '[UNK]') return;
      expect(text.slice(start, end).replace(/[0-9]/g, '0'), `${tokens[i]} at ${start}`).toBe(tokens[i]!.replace(/^##/, ''));
    });
    expect(tokens).toContain('0');
  }, 60_000);

  it('a tokenizer.json without number shapes encodes as its vocab.txt alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vocab-plain-'));
    await writeFile(join(dir, 'corpus.txt'), corpus());
    await writeTokenizerFiles(join(dir, 'tok'), { tokens: await learnVocabulary([join(dir, 'corpus.txt')], 300), modelMaxLength: 128 });
    const plain = WordPiece.fromVocabText(readFileSync(join(dir, 'tok', 'vocab.txt'), 'utf8'), 'vocab.txt');
    for (const ours of [await readVocabFile(join(dir, 'tok', 'vocab.txt')), await readEncoderFolder(join(dir, 'tok'))]) {
      for (const t of TRICKY) expect(ours.encode(t.split(' ')).ids, t).toEqual(plain.encode(t.split(' ')).ids);
    }
  });

  it('refuses a tokenizer.json normalizer it does not apply, or a vocab that is not vocab.txt\'s, naming the file and field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vocab-bad-'));
    await writeNumberShapeTokenizer(join(dir, 'tok'), { tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'a', '0'], modelMaxLength: 128 });
    const path = join(dir, 'tok', 'tokenizer.json');
    const json = JSON.parse(await readFile(path, 'utf8')) as { normalizer: { normalizers: unknown[] }; model: { vocab: Record<string, number> } };
    json.normalizer.normalizers[1] = { type: 'NFKC' };
    await writeFile(path, JSON.stringify(json));
    await expect(readVocabFile(join(dir, 'tok', 'vocab.txt'))).rejects.toThrow(
      `${path}: field "normalizer.normalizers[1].type" is "NFKC"; expected BertNormalizer, Replace or Sequence`,
    );
    json.normalizer.normalizers[1] = { type: 'Replace', pattern: { Regex: '[0-9' }, content: '0' };
    await writeFile(path, JSON.stringify(json));
    await expect(readEncoderFolder(join(dir, 'tok'))).rejects.toThrow(`${path}: field "normalizer.normalizers[1].pattern.Regex" is not a regular expression`);
    json.normalizer.normalizers.pop();
    json.model.vocab = { ...json.model.vocab, b: 7 };
    await writeFile(path, JSON.stringify(json));
    await expect(readEncoderFolder(join(dir, 'tok'))).rejects.toThrow(`${path}: its "model.vocab" differs from ${join(dir, 'tok', 'vocab.txt')} beside it`);
  });

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
