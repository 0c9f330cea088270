/**
 * `finer adapt`: a company's own tagging convention, absent from what the base
 * model learned, is learned from its earlier filing and applied to its next one.
 * The base model (tiny, trained here on two other companies) learns that the
 * number in "a cap of $ X million" is not a borrowing capacity (those filers tag
 * it as a carrying amount); company A tags it as its credit line's maximum.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildIxbrlDataset } from '../../src/data/ixbrl/build.ts';
import { writeSubset } from '../../src/data/subset.ts';
import { runTrain } from '../../src/train/command.ts';
import { DEFAULT_TRAIN_CONFIG } from '../../src/config/train.ts';
import { expectOneLineError, runFiner, runFinerInProcess } from '../cli-run.ts';
import { FACE, LINE, RATE, fact, removeTempDirs, tempDir, writeFiling } from '../data/ixbrl-fixtures.ts';

afterAll(removeTempDirs);

const CARRYING = 'DebtInstrumentCarryingAmount';
const DEBT = 'LongTermDebt';
const others = (year: number, i: number) => [
  `The notes bear interest at ${fact(RATE, `${i}.5`)}% per annum.`,
  `We issued $${fact(FACE, `${100 + i}`)} million of notes in ${year}.`,
  `The revolving credit facility provides up to $${fact(LINE, `${50 + i}`)} million.`,
  `The cap of $${fact(CARRYING, `${30 + i}`)} million applies.`,
  `Long-term debt was $${fact(DEBT, `${70 + i}`)} million.`,
];
// company A: the same phrasing, but its cap is the credit line's maximum borrowing capacity
const companyA = (i: number) => [
  `The cap of $${fact(LINE, `${40 + i}`)} million applies.`,
  `The notes bear interest at ${fact(RATE, `${i}.5`)}% per annum.`,
  `Long-term debt was $${fact(DEBT, `${80 + i}`)} million.`,
];

const dir = tempDir('finer-adapt-');
const base = join(dir, 'base');
const a2021 = join(dir, 'filings/a-2021.htm');
const a2022 = join(dir, 'filings/a-2022.htm');
const next = join(dir, 'a-2022.jsonl');

/** The 4-type sentences of some filings, all in train. */
async function subsetOf(inputs: string[], out: string): Promise<string> {
  await buildIxbrlDataset(inputs, { out: `${out}-139`, seed: 1, split: [1, 0, 0], allSentences: false });
  await writeSubset(`${out}-139`, out, { negatives: 2, seed: 1 });
  return out;
}

/** Entity F1 of the credit line's maximum, from an eval.json. */
const lineF1 = (path: string): number =>
  JSON.parse(readFileSync(path, 'utf8')).datasets[0].metrics.perType[LINE].f1;

beforeAll(async () => {
  const otherFilings: string[] = [];
  for (const [k, cik] of ['11', '12'].entries()) {
    for (const year of [2021, 2022]) {
      const path = join(dir, `other/co${cik}-${year}.htm`);
      await writeFiling(path, { cik, paragraphs: others(year, k + year - 2020) });
      otherFilings.push(path);
    }
  }
  await writeFiling(a2021, { cik: '7', paragraphs: [...companyA(1), ...companyA(2)] });
  await writeFiling(a2022, { cik: '7', paragraphs: companyA(3) });
  const data = await subsetOf(otherFilings, join(dir, 'base-data'));
  const words = new Set<string>();
  for (const file of [join(data, 'train.jsonl'), join(await subsetOf([a2021, a2022], join(dir, 'a-data')), 'train.jsonl')]) {
    for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) for (const w of JSON.parse(line).tokens) words.add(w);
  }
  const vocab = join(dir, 'vocab.txt');
  writeFileSync(vocab, ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...[...words].sort()].join('\n') + '\n');
  await runTrain(
    { data, out: base, vocabFile: vocab, layers: 1, dim: 32, heads: 2, hidden: 64, maxPositions: 64 },
    { ...DEFAULT_TRAIN_CONFIG, epochs: 40, batchSize: 4, lr: 3e-3, warmupSteps: 0, maxLength: 64, seed: 3, threads: 1 },
  );
  // company A's next filing, as finer evaluate reads it
  writeFileSync(next, readFileSync(join(await subsetOf([a2022], join(dir, 'next')), 'train.jsonl')));
}, 300_000);

describe('finer adapt', () => {
  it("learns the company's convention from its earlier filing: the next filing's caps are tagged as its maximum borrowing capacity", async () => {
    const out = join(dir, 'adapted');
    // finer adapt once as a real process; the other runs in this process, faster
    const run = await runFiner(['adapt', a2021, '--model', base, '--out', out, '--epochs', '20', '--batch-size', '4', '--lr', '3e-3', '--max-length', '64', '--threads', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      `${out}: ${base} adapted to 1 filing(s): 4 target sentences (DebtInstrumentInterestRateStatedPercentage 2, LineOfCreditFacilityMaximumBorrowingCapacity 2, DebtInstrumentBasisSpreadOnVariableRate1 0, DebtInstrumentFaceAmount 0) and 2 negatives, 20 epochs\n`,
    );
    expect(run.stderr).toContain(`init from ${base}: classifier rows of 5/5 labels kept from its head`);
    const record = JSON.parse(readFileSync(join(out, 'adapt.json'), 'utf8'));
    expect(record).toMatchObject({ model: base, filings: ['a-2021.htm'], sentences: { targets: 4, negatives: 2, replayed: 0 }, options: { epochs: 20, negatives: 2 } });
    expect('replay' in record).toBe(false);
    expect(existsSync(join(out, 'model.safetensors'))).toBe(true);
    expect(readdirSync(dir).filter((name) => name.startsWith('.adapted.'))).toEqual([]);
    // finer export carries the record to the model folder and its card
    const exported = join(dir, 'adapted-export');
    const ex = await runFinerInProcess(['export', '--model', out, '--out', exported]);
    expect(ex.code, ex.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(exported, 'adapt.json'), 'utf8'))).toEqual(record);
    expect(readFileSync(join(exported, 'README.md'), 'utf8')).toContain(`Adapted by \`finer adapt\` ([finer-lens](../../../README.md)) from the model \`${base}\` to 1 earlier filing(s) of one company (\`a-2021.htm\`)`);

    for (const [model, report] of [[base, join(dir, 'base.eval.json')], [out, join(dir, 'adapted.eval.json')]]) {
      const r = await runFinerInProcess(['evaluate', '--model', model!, '--data', next, '--out', report!]);
      expect(r.code, r.stderr).toBe(0);
    }
    // the base model leaves the cap O (its filers tag it as a carrying amount); the adapted one tags it
    expect(lineF1(join(dir, 'base.eval.json'))).toBe(0);
    expect(lineF1(join(dir, 'adapted.eval.json'))).toBe(1);
  }, 300_000);

  it('--replay mixes a seeded sample of another 4-entity dataset into the company\'s sentences, and refuses a folder of other labels', async () => {
    const out = join(dir, 'replayed');
    const args = ['adapt', a2021, '--model', base, '--epochs', '1', '--max-length', '64', '--threads', '1', '--replay', join(dir, 'base-data'), '--replay-ratio', '1.5'];
    const run = await runFinerInProcess([...args, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    // 6 company sentences (4 with a target, 2 negatives): 9 of the base data's train sentences
    expect(run.stdout).toContain(`and 2 negatives, with 9 sentences of ${join(dir, 'base-data')}, 1 epochs`);
    const record = JSON.parse(readFileSync(join(out, 'adapt.json'), 'utf8'));
    expect(record).toMatchObject({ replay: join(dir, 'base-data'), sentences: { targets: 4, negatives: 2, replayed: 9 }, options: { replayRatio: 1.5 } });
    // 15 sentences of batch 8: 2 steps per epoch
    expect(JSON.parse(readFileSync(join(out, 'train.json'), 'utf8')).steps).toBe(2);
    expectOneLineError(
      await runFinerInProcess([...args.slice(0, -4), '--replay', join(dir, 'base-data-139'), '--out', join(dir, 'replayed-139')]),
      /--replay .*base-data-139: labels O, B-.*; expected the 4-entity labels of finer subset \(O, B-DebtInstrumentInterestRateStatedPercentage/,
    );
  }, 300_000);

  it('says in one line when the filings hold none of the 4 entity types, or the model or the output folder is wrong', async () => {
    const plain = join(dir, 'filings/plain.htm');
    await writeFiling(plain, { cik: '9', paragraphs: [`Long-term debt was $${fact(DEBT, '9')} million.`] });
    expectOneLineError(
      await runFinerInProcess(['adapt', plain, '--model', base, '--out', join(dir, 'none'), '--max-length', '64']),
      /plain\.htm: no sentence of the 1 filing\(s\) holds one of the 4 entity types \(DebtInstrumentInterestRateStatedPercentage, .*\); nothing to adapt the model to\n$/,
    );
    expect(existsSync(join(dir, 'none'))).toBe(false);
    expect(readdirSync(dir).filter((name) => name.startsWith('.none.'))).toEqual([]); // its scratch folder is gone
    expectOneLineError(
      await runFinerInProcess(['adapt', a2021, '--model', join(dir, 'nowhere'), '--out', join(dir, 'x')]),
      /--model .*nowhere: no config\.json; expected a trained model folder/,
    );
    expectOneLineError(await runFinerInProcess(['adapt', a2021, '--model', base, '--out', base]), /--out .*base: already exists; expected a new folder for the adapted model/);
  }, 120_000);
});
