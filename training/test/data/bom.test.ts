/**
 * A UTF-8 byte-order mark before the first JSONL line (Windows editors write
 * one) is read past by every JSONL reader: dataset splits, evaluation files,
 * predict's input and the pretraining corpus.
 */
import { Readable } from 'node:stream';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINER139_LABELS } from '@finer-lens/core/ner/labels.ts';
import { openDatasetFolder, readSplit } from '../../src/data/dataset-folder.ts';
import type { FinerSentence } from '../../src/data/sentence.ts';
import { readEvalSet } from '../../src/eval/data.ts';
import { predictStream } from '../../src/predict/predict.ts';
import { readCorpus } from '../../src/pretrain/corpus.ts';
import { tokenizer } from '../pretrain/fixtures.ts';
import { sentence, tempDir } from './fixtures.ts';

const BOM = '\uFEFF';
const withBom = (rows: readonly object[]) => BOM + rows.map((r) => JSON.stringify(r) + '\n').join('');

describe('a BOM on the first JSONL line', () => {
  it('a dataset split reads its first sentence', async () => {
    const dir = tempDir();
    const rows = [sentence('a', [0, 41]), sentence('b', [37])];
    await writeFile(join(dir, 'train.jsonl'), withBom(rows));
    const folder = await openDatasetFolder(dir);
    const read: FinerSentence[] = [];
    for await (const s of readSplit(folder, folder.splits[0]!)) read.push(s);
    expect(read).toEqual(rows);
  });

  it('an evaluation file', async () => {
    const path = join(tempDir(), 'dev.jsonl');
    await writeFile(path, withBom([{ id: 'a', tokens: ['rate', '5'], ner_tags: [0, 41] }]));
    const set = await readEvalSet(path, 'test', FINER139_LABELS);
    expect(set.sentences.map((s) => s.id)).toEqual(['a']);
  });

  it("finer predict's input", async () => {
    let out = '';
    const bad: string[] = [];
    const summary = await predictStream(
      Readable.from([withBom([{ text: 'rate 5' }, { tokens: ['x'] }])]),
      async (s) => void (out += s),
      async (s) => ({ predictions: s.map((w) => w.map(() => ({ label: 'O', score: 1 }))), stats: { windows: s.length, subTokens: 0, batches: 1 } }),
      { chunk: 8, where: 'in.jsonl', onBad: (m) => bad.push(m) },
    );
    expect(bad).toEqual([]);
    expect(summary).toMatchObject({ lines: 2, tagged: 2, bad: 0 });
    expect(JSON.parse(out.split('\n')[0]!).text).toBe('rate 5');
  });

  it('the pretraining corpus', async () => {
    const dir = tempDir();
    await writeFile(join(dir, 'train.jsonl'), withBom([{ id: 'a', tokens: ['wa', 'rate'] }]));
    expect((await readCorpus(dir, tokenizer)).starts.length).toBe(2);
  });
});
