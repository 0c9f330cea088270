import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINER139_LABELS, SUBSET_LABELS, finerIId } from '../../../src/ner/labels.ts';
import { writeSubset } from '../../src/data/subset.ts';
import { FinerError } from '../../src/util/errors.ts';
import { sentence, tempDir, writeJsonlDataset, writeParquet } from './fixtures.ts';

const readJsonl = (path: string) =>
  readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

const I_FACE = finerIId('DebtInstrumentFaceAmount')!; // 38

describe('finer subset', () => {
  it('keeps sentences with one of the four, maps the rest to O, renumbers 41/87/34/37 to 1..4', async () => {
    const dir = tempDir();
    const out = join(tempDir(), 'subset');
    await writeJsonlDataset(
      dir,
      {
        train: [
          sentence('keep', [41, 87, 0, 34, 37, 100, I_FACE], { source: 'f.htm', start: 10, end: 52 }),
          sentence('drop-other-tags', [100, 101, I_FACE]),
          sentence('drop-o', [0, 0]),
        ],
        test: [sentence('keep2', [0, 37])],
      },
      { label_names: FINER139_LABELS, provenance: { built_from: 'ixbrl', filings: 3 } },
    );
    const counts = await writeSubset(dir, out);

    expect(readJsonl(join(out, 'train.jsonl'))).toEqual([
      { id: 'keep', tokens: ['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6'], ner_tags: [1, 2, 0, 3, 4, 0, 0], source: 'f.htm', start: 10, end: 52 },
    ]);
    expect(readJsonl(join(out, 'test.jsonl')).map((s) => s.ner_tags)).toEqual([[0, 4]]);
    expect(counts.train).toEqual({ inputSentences: 3, sentences: 1, tokens: 7, labelTokens: [3, 1, 1, 1, 1] });

    const info = JSON.parse(readFileSync(join(out, 'dataset_info.json'), 'utf8'));
    expect(info.label_names).toEqual(SUBSET_LABELS);
    expect(info.provenance).toEqual({ built_from: 'ixbrl', filings: 3 });
    expect(info.splits.test).toMatchObject({ sentences: 1, input_sentences: 1, tokens: 2 });
    expect(existsSync(join(out, 'validation.jsonl'))).toBe(false);
  });

  it('reads parquet folders, and a subset of the subset is the same dataset', async () => {
    const dir = tempDir();
    const rows = [sentence('a', [0, 87]), sentence('b', [5]), sentence('c', [34, 0])];
    await writeParquet(join(dir, 'validation', '0000.parquet'), rows, { rowGroupSize: 1 });
    const once = join(tempDir(), 'once');
    const twice = join(tempDir(), 'twice');
    await writeSubset(dir, once);
    expect(readJsonl(join(once, 'validation.jsonl')).map((s) => [s.id, s.ner_tags])).toEqual([['a', [0, 2]], ['c', [3, 0]]]);
    await writeSubset(once, twice);
    expect(readFileSync(join(twice, 'validation.jsonl'), 'utf8')).toBe(readFileSync(join(once, 'validation.jsonl'), 'utf8'));
  });

  it('leaves no output folder when a line is bad, and rejects label sets without the four', async () => {
    const dir = tempDir();
    const out = join(tempDir(), 'subset');
    await writeJsonlDataset(dir, { train: [sentence('a', [41]), sentence('b', [0, 999])] });
    await expect(writeSubset(dir, out)).rejects.toThrow(/train\.jsonl:2: field "ner_tags"\[1\] = 999/);
    expect(existsSync(out)).toBe(false);

    await writeJsonlDataset(dir, { train: [sentence('a', [1])] }, { label_names: ['O', 'B-Other'] });
    const err = await writeSubset(dir, out).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FinerError);
    expect((err as Error).message).toMatch(/none of the 4 subset labels .* is among its 2 label names/);
    expect(existsSync(out)).toBe(false);
  });
});
