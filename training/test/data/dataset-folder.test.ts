import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINER139_LABELS, SUBSET_LABELS } from '@finer-lens/core/ner/labels.ts';
import { openDatasetFolder, readSplit, type DatasetFolder } from '../../src/data/dataset-folder.ts';
import { toSentence, type FinerSentence } from '../../src/data/sentence.ts';
import { FinerError } from '../../src/util/errors.ts';
import { sentence, tempDir, writeJsonl, writeJsonlDataset, writeParquet } from './fixtures.ts';

async function readAll(folder: DatasetFolder): Promise<Record<string, FinerSentence[]>> {
  const out: Record<string, FinerSentence[]> = {};
  for (const split of folder.splits) {
    out[split.name] = [];
    for await (const s of readSplit(folder, split)) out[split.name].push(s);
  }
  return out;
}

async function readError(dir: string): Promise<FinerError> {
  try {
    await readAll(await openDatasetFolder(dir));
  } catch (err) {
    expect(err).toBeInstanceOf(FinerError);
    expect((err as Error).message).not.toContain('\n');
    return err as FinerError;
  }
  throw new Error(`expected ${dir} to be rejected`);
}

const train = [sentence('a', [0, 41, 0], { source: 'x.htm', start: 3, end: 9 }), sentence('b', [278, 0])];
const test = [sentence('c', [37])];

describe('dataset folders', () => {
  it('reads JSONL splits with FiNER-139 labels by default, keeping extra fields', async () => {
    const dir = tempDir();
    await writeJsonlDataset(dir, { train, test });
    const folder = await openDatasetFolder(dir);
    expect(folder.labelSource).toBe('FiNER-139');
    expect(folder.labelNames).toEqual(FINER139_LABELS);
    expect(folder.splits.map((s) => s.name)).toEqual(['train', 'test']);
    expect(await readAll(folder)).toEqual({ train, test });
  });

  it('reads parquet row group by row group, to the same sentences, with label names from the hub metadata', async () => {
    const dir = tempDir();
    const many = Array.from({ length: 7 }, (_, i) => sentence(`p${i}`, [i % 3 === 0 ? 41 : 0, 0, 87]));
    await writeParquet(join(dir, 'train', '0000.parquet'), many.slice(0, 5), { rowGroupSize: 2, labelNames: [...FINER139_LABELS] });
    await writeParquet(join(dir, 'train', '0001.parquet'), many.slice(5), { rowGroupSize: 2 });
    await writeParquet(join(dir, 'test-00000-of-00001.parquet'), test);
    const folder = await openDatasetFolder(dir);
    expect(folder.labelSource).toBe('parquet metadata');
    expect(folder.splits.map((s) => [s.name, s.format, s.files.length])).toEqual([['train', 'parquet', 2], ['test', 'parquet', 1]]);
    expect(await readAll(folder)).toEqual({ train: many, test });
  });

  it('takes label names from dataset_info.json and checks ids against them', async () => {
    const dir = tempDir();
    await writeJsonlDataset(dir, { train: [sentence('a', [0, 4, 1])] }, { label_names: SUBSET_LABELS });
    const folder = await openDatasetFolder(dir);
    expect(folder.labelNames).toEqual(SUBSET_LABELS);
    expect((await readAll(folder)).train[0].ner_tags).toEqual([0, 4, 1]);
    await writeJsonl(join(dir, 'train.jsonl'), [sentence('a', [0, 5])]);
    expect((await readError(dir)).message).toBe(`${join(dir, 'train.jsonl')}:1: field "ner_tags"[1] = 5; expected a label id in 0..4`);
  });
});

describe('bad input names the file, the line and what was expected', () => {
  it('malformed JSON line', async () => {
    const dir = tempDir();
    await writeFile(join(dir, 'train.jsonl'), `${JSON.stringify(train[0])}\n\n{"id": "b", "tokens": [\n`);
    expect((await readError(dir)).message).toMatch(new RegExp(`^${join(dir, 'train.jsonl')}:3: not valid JSON`));
  });

  it('tokens and ner_tags of different lengths', async () => {
    const dir = tempDir();
    await writeJsonl(join(dir, 'validation.jsonl'), [train[0], { id: 'x', tokens: ['a', 'b'], ner_tags: [0] }]);
    expect((await readError(dir)).message).toBe(
      `${join(dir, 'validation.jsonl')}:2: field "ner_tags" has 1 label ids but "tokens" has 2; expected one label id per token`,
    );
  });

  it('label id out of range, wrong field types', async () => {
    const dir = tempDir();
    await writeJsonl(join(dir, 'train.jsonl'), [sentence('a', [279])]);
    expect((await readError(dir)).message).toContain('train.jsonl:1: field "ner_tags"[0] = 279; expected a label id in 0..278');
    await writeJsonl(join(dir, 'train.jsonl'), [{ id: 'a', tokens: 'a b', ner_tags: [0] }]);
    expect((await readError(dir)).message).toContain('train.jsonl:1: field "tokens" = "a b"; expected an array of strings');
    await writeJsonl(join(dir, 'train.jsonl'), [{ tokens: ['a'], ner_tags: [0] }]);
    expect((await readError(dir)).message).toContain('train.jsonl:1: field "id" = undefined; expected a string');
  });

  it('bad parquet row names the row', async () => {
    const dir = tempDir();
    await writeParquet(join(dir, 'train', '0000.parquet'), [sentence('a', [0]), sentence('b', [0, 300])], { rowGroupSize: 1 });
    expect((await readError(dir)).message).toBe(
      `${join(dir, 'train', '0000.parquet')}: row 2: field "ner_tags"[1] = 300; expected a label id in 0..278`,
    );
  });

  it('missing folder, folder without splits, bad dataset_info.json', async () => {
    const dir = tempDir();
    expect((await readError(join(dir, 'nope'))).message).toBe(`${join(dir, 'nope')}: no such dataset folder`);
    expect((await readError(dir)).message).toMatch(/no dataset split found; expected train\.jsonl/);
    await writeJsonlDataset(dir, { train }, { label_names: 'O B-X' });
    expect((await readError(dir)).message).toBe(`${join(dir, 'dataset_info.json')}: field "label_names": expected a non-empty array of label names`);
    await writeFile(join(dir, 'dataset_info.json'), '{"label_names": [');
    expect((await readError(dir)).message).toMatch(/dataset_info\.json: not valid JSON/);
  });
});

describe('toSentence', () => {
  it('accepts int64 tags as bigints or typed arrays, and stringifies numeric ids', () => {
    const at = (msg: string) => new FinerError(msg);
    expect(toSentence({ id: 7, tokens: ['a', 'b'], ner_tags: new BigInt64Array([0n, 41n]) }, 279, at)).toEqual({
      id: '7', tokens: ['a', 'b'], ner_tags: [0, 41],
    });
    expect(toSentence({ id: 'x', tokens: ['a'], ner_tags: [5n], extra: 3n }, 279, at)).toEqual({ id: 'x', tokens: ['a'], ner_tags: [5], extra: 3 });
    expect(() => toSentence({ id: 'x', tokens: ['a'], ner_tags: new Int32Array([279]) }, 279, at)).toThrow('field "ner_tags"[0] = 279; expected a label id in 0..278');
  });
});
