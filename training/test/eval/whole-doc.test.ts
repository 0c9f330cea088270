import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINER139_LABELS, SUBSET_LABELS, finerBId } from '@finer-lens/core/ner/labels.ts';
import type { InputBatch } from '@finer-lens/core/ner/tagger.ts';
import { evaluateWholeDocuments } from '../../src/eval/whole-doc.ts';
import { fitModelThresholds, readThresholds } from '../../src/eval/thresholds.ts';
import type { ModelFolder } from '../../src/infer/model-folder.ts';
import { WordPiece } from '../../src/tokenizer/wordpiece.ts';
import { defaultConfig } from '../../src/model/config.ts';
import { writeJsonlDataset } from '../data/fixtures.ts';

const WORDS = ['our', 'notes', 'of', '500', 'gross', 'margin', '25', 'suite', '300', 'page', '12', 'at', '5', '%', 'interest'];
const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', ...WORDS];
const encoder = WordPiece.fromVocabText(VOCAB.join('\n'), 'test vocab');
const labels = [...SUBSET_LABELS];
const folder: ModelFolder = { dir: '/nonexistent', name: 'fake', config: defaultConfig({ vocab_size: VOCAB.length }), labels, encoder, window: { maxLength: 32, stride: 8 } };

/** A model that tags words by their id: 500 and 300 face amount (300 barely), 25 spread, 5 rate, 12 face amount; the rest O. */
const TAGS: Record<string, [number, number]> = { '500': [4, 6], '300': [4, 1.2], '25': [3, 5], '5': [1, 5], '12': [4, 3] };
const run = async (b: InputBatch) => {
  const out = new Float32Array(b.batchSize * b.seqLen * labels.length);
  for (let i = 0; i < b.batchSize * b.seqLen; i++) {
    const word = VOCAB[Number(b.inputIds[i])]!;
    const [label, logit] = TAGS[word] ?? [0, 5];
    out[i * labels.length + label] = logit;
  }
  return out;
};

const B = (tag: string) => finerBId(tag)!;

describe('whole-document evaluation', () => {
  it('scores tagged sentences and counts untagged predictions as repeats, others, and others without debt words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wd-'));
    const s = (tokens: string, tags: Record<number, number>, extra: Record<string, unknown>) => {
      const t = tokens.split(' ');
      return { id: tokens, tokens: t, ner_tags: t.map((_, i) => tags[i] ?? 0), ...extra };
    };
    await writeJsonlDataset(
      dir,
      {
        test: [
          // tagged: 500 is gold face amount, 5 is gold rate; 12 is another tag (O for the model) and predicted: a false positive
          s('our notes of 500 at 5 % interest page 12', { 3: B('DebtInstrumentFaceAmount'), 5: B('DebtInstrumentInterestRateStatedPercentage'), 9: B('DebtInstrumentTerm') }, { source: 'a.htm' }),
          // untagged, debt words: 500 repeats a target value (a repeat), 12 does not (an other)
          s('our 500 notes page 12', {}, { source: 'a.htm', repeats: [[1, 4]] }),
          // untagged, no debt words: both others without debt words
          s('gross margin 25 % suite 300', {}, { source: 'b.htm' }),
          // no digit: never tagged, never counted
          s('our notes', {}, { source: 'b.htm' }),
        ],
      },
      { label_names: FINER139_LABELS, options: { all_sentences: true }, splits: { test: { files: ['a.htm', 'b.htm', 'c.htm', 'd.htm'] } } },
    );
    const w = await evaluateWholeDocuments(folder, dir, 'test', run, { batchSize: 4 });
    expect(w.filings).toBe(4);
    expect(w.sentences).toEqual({ tagged: 1, untagged: 2 });
    expect(w.tagged.micro).toMatchObject({ tp: 2, fp: 1, fn: 0 });
    expect(w.untagged.repeats).toEqual({ total: 1, perType: { DebtInstrumentInterestRateStatedPercentage: 0, LineOfCreditFacilityMaximumBorrowingCapacity: 0, DebtInstrumentBasisSpreadOnVariableRate1: 0, DebtInstrumentFaceAmount: 1 } });
    expect(w.untagged.others.total).toBe(3);
    expect(w.untagged.othersNoDebt.perType).toMatchObject({ DebtInstrumentBasisSpreadOnVariableRate1: 1, DebtInstrumentFaceAmount: 1 });
    expect(w.perFiling).toEqual({ repeats: 0.25, others: 0.75, othersNoDebt: 0.5 });
    expect(w.examples.map((e) => [e.source, e.text, e.type])).toEqual([['b.htm', '25', 'DebtInstrumentBasisSpreadOnVariableRate1'], ['b.htm', '300', 'DebtInstrumentFaceAmount']]);

    // a threshold on face amounts above the weak "300" (and "12") removes them, not the confident 500
    const t = await evaluateWholeDocuments(folder, dir, 'test', run, { batchSize: 4, thresholds: { DebtInstrumentFaceAmount: 0.9 } });
    expect(t.untagged.othersNoDebt.perType.DebtInstrumentFaceAmount).toBe(0);
    expect(t.untagged.repeats.total).toBe(1);
    expect(t.tagged.micro).toMatchObject({ tp: 2, fp: 0, fn: 0 });
  });

  it('refuses a folder not built with --all-sentences, with one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wd-'));
    await writeJsonlDataset(dir, { test: [{ id: '1', tokens: ['5'], ner_tags: [0], source: 'a.htm' }] }, { label_names: FINER139_LABELS, options: { all_sentences: false } });
    await expect(evaluateWholeDocuments(folder, dir, 'test', run, { batchSize: 4 })).rejects.toThrow(/not built with --all-sentences/);
  });
});

describe('thresholds', () => {
  it('fits per type on a dense set, and a model folder\'s thresholds.json is read and checked', async () => {
    const sentences = [
      { id: '1', tokens: ['our', 'notes', 'of', '500'], labels: ['O', 'O', 'O', 'B-DebtInstrumentFaceAmount'] },
      { id: '2', tokens: ['suite', '300'], labels: ['O', 'O'] },
    ];
    const r = await fitModelThresholds(folder, { kind: 'dense', name: 'dev', source: 'dev.jsonl', sentences }, run, { backend: 'test', batchSize: 4 });
    expect(r.before.perType.DebtInstrumentFaceAmount).toMatchObject({ tp: 1, fp: 1 });
    expect(r.after.perType.DebtInstrumentFaceAmount).toMatchObject({ tp: 1, fp: 0 });
    expect(r.thresholds.DebtInstrumentFaceAmount).toBeGreaterThan(0.3);

    expect(r.crossValidated).toBeUndefined(); // no groups

    // leave one filing out: filing b's weak "300" is a true entity there, so thresholds fitted on a alone drop it
    const grouped = [
      { ...sentences[0]!, group: 'a' }, { ...sentences[1]!, group: 'a' },
      { id: '3', tokens: ['suite', '300'], labels: ['O', 'B-DebtInstrumentFaceAmount'], group: 'b' },
    ];
    const cv = await fitModelThresholds(folder, { kind: 'dense', name: 'dev', source: 'dev.jsonl', sentences: grouped }, run, { backend: 'test', batchSize: 4 });
    expect(cv.crossValidated).toMatchObject({ groups: 2 });
    expect(cv.crossValidated!.micro).toMatchObject({ tp: 1, fn: 1 });
    expect(cv.after.micro.tp).toBe(2);

    const dir = mkdtempSync(join(tmpdir(), 'th-'));
    const f = { ...folder, dir };
    expect(await readThresholds(f)).toBeUndefined();
    writeFileSync(join(dir, 'thresholds.json'), JSON.stringify(r));
    expect(await readThresholds(f)).toEqual(r.thresholds);
    writeFileSync(join(dir, 'thresholds.json'), JSON.stringify({ schema: 1, thresholds: { Goodwill: 0.5 } }));
    await expect(readThresholds(f)).rejects.toThrow(/names Goodwill, not an entity type of the model/);
    writeFileSync(join(dir, 'thresholds.json'), JSON.stringify({ schema: 1, thresholds: { DebtInstrumentFaceAmount: 2 } }));
    await expect(readThresholds(f)).rejects.toThrow(/DebtInstrumentFaceAmount = 2; expected a score from 0 to 1/);
  });
});
