/** train-companies.json: the train-split companies of the data a model learned from, named from their filings. */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrainCompanies } from '@finer-lens/core/reports/trainCompanies.ts';
import { buildIxbrlDataset } from '../../src/data/ixbrl/build.ts';
import { trainCompanies, writeTrainCompanies, TRAIN_COMPANIES_FILE } from '../../src/export/train-companies.ts';
import { fact, FACE, RATE, removeTempDirs, tempDir, writeFiling } from '../data/ixbrl-fixtures.ts';
import { writeTokenizerFiles } from '../../src/tokenizer/train-vocab.ts';
import { expectOneLineError, runFinerInProcess } from '../cli-run.ts';
import { synthetic, VOCAB, writeDatasetFolder } from '../train/fixtures.ts';

const COMPANIES = 10;
let corpus: string;
let dataset: string;
let info: { splits: Record<string, { companies: string[]; files: string[] }> };

beforeAll(async () => {
  corpus = tempDir();
  // ten companies, the even ones with two filings, one without a CIK (keyed by its name)
  for (let c = 0; c < COMPANIES; c++) {
    const cik = c === 3 ? undefined : String(1000 + c);
    for (let y = 0; y < (c % 2 === 0 ? 2 : 1); y++) {
      await writeFiling(join(corpus, `co${c}-10-K-${2022 + y}.htm.gz`), {
        cik,
        registrant: `Company ${c}, Inc.`,
        paragraphs: [`The ${2022 + y} notes of company ${c} of $${fact(FACE, String(100 + c))} million bear interest at ${fact(RATE, '5.25')}%.`],
      });
    }
  }
  dataset = join(tempDir(), 'ixbrl');
  await buildIxbrlDataset([corpus], { out: dataset, seed: 42, split: [60, 20, 20], allSentences: false });
  info = JSON.parse(await readFile(join(dataset, 'dataset_info.json'), 'utf8'));
});
afterAll(removeTempDirs);

describe('trainCompanies', () => {
  it("lists exactly the train split's companies, each with its CIK, its registrant name and its filings", async () => {
    const list = await trainCompanies(dataset, corpus);
    expect(list.dataset).toBe(dataset);
    expect(list.companies.map((c) => c.key)).toEqual(info.splits.train!.companies);
    for (const c of list.companies) {
      const n = Number(c.name.match(/^Company (\d+), Inc\.$/)![1]);
      expect(c.key).toBe(n === 3 ? 'name:COMPANY 3, INC.' : `cik:${String(1000 + n).padStart(10, '0')}`);
      expect(c.cik).toBe(n === 3 ? undefined : String(1000 + n).padStart(10, '0'));
      expect(c.filings).toBe(info.splits.train!.files.filter((f) => f.startsWith(`co${n}-`)).length);
    }
    const others = [...info.splits.validation!.companies, ...info.splits.test!.companies];
    expect(others.length).toBeGreaterThan(0);
    for (const key of others) expect(list.companies.map((c) => c.key)).not.toContain(key);
  });

  it('follows a finer subset folder to the finer ixbrl folder it was made from', async () => {
    const subset = join(tempDir(), 'subset');
    await writeFiling(join(subset, 'placeholder.htm'), '<html></html>');
    await writeFile(join(subset, 'dataset_info.json'), JSON.stringify({ schema: 1, label_names: ['O'], subset: { from: dataset } }));
    expect((await trainCompanies(subset, corpus)).companies).toEqual((await trainCompanies(dataset, corpus)).companies);
  });

  it('writes a file the app reads', async () => {
    const model = tempDir();
    await writeTrainCompanies(model, await trainCompanies(dataset, corpus));
    const read = parseTrainCompanies(JSON.parse(await readFile(join(model, TRAIN_COMPANIES_FILE), 'utf8')), TRAIN_COMPANIES_FILE);
    expect(read.companies.length).toBe(info.splits.train!.companies.length);
  });

  it('one line naming the file when the data or a filing is not there', async () => {
    const empty = tempDir();
    await expect(trainCompanies(empty, corpus)).rejects.toThrow(`${join(empty, 'dataset_info.json')}: not found; expected the dataset_info.json of a finer ixbrl folder`);
    const elsewhere = tempDir();
    await expect(trainCompanies(dataset, elsewhere)).rejects.toThrow(new RegExp(`^${elsewhere}/co\\d+-10-K-\\d+\\.htm\\.gz: not found; expected the filing`));
    const gone = join(tempDir(), 'subset');
    await writeFiling(join(gone, 'x.htm'), '<html></html>');
    await writeFile(join(gone, 'dataset_info.json'), JSON.stringify({ schema: 1, subset: { from: join(corpus, 'no-such-folder') } }));
    await expect(trainCompanies(gone, corpus)).rejects.toThrow('made by finer subset from');
    await rm(gone, { recursive: true });
  });
});

describe('finer export --train-data --filings', () => {
  it('writes train-companies.json into the model folder; either flag alone is refused in one line', async () => {
    const tmp = tempDir();
    const data = join(tmp, 'data');
    await writeDatasetFolder(data, synthetic(32, 1), synthetic(8, 2));
    await writeTokenizerFiles(join(tmp, 'tok'), { tokens: [...VOCAB, '[MASK]'], modelMaxLength: 32 });
    // in this process, faster: the pipeline test runs finer train and export as real processes
    const train = await runFinerInProcess([
      'train', '--data', data, '--vocab-file', join(tmp, 'tok', 'vocab.txt'), '--out', join(tmp, 'run'),
      '--layers', '1', '--dim', '16', '--heads', '2', '--hidden', '32', '--max-positions', '32',
      '--epochs', '1', '--batch-size', '16', '--max-length', '16', '--threads', '1',
    ]);
    expect(train.code, train.stderr).toBe(0);
    const model = join(tmp, 'model');
    const exp = await runFinerInProcess(['export', '--model', join(tmp, 'run'), '--out', model, '--train-data', dataset, '--filings', corpus]);
    expect(exp.code, exp.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(model, TRAIN_COMPANIES_FILE), 'utf8'))).toEqual(await trainCompanies(dataset, corpus));

    expectOneLineError(await runFinerInProcess(['export', '--model', join(tmp, 'run'), '--out', join(tmp, 'm2'), '--train-data', dataset]), /--train-data and --filings go together/);
  }, 120_000);
});
