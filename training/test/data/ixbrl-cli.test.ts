import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectOneLineError, runFiner, runFinerInProcess } from '../cli-run.ts';
import { removeTempDirs, tempDir, FACE, RATE, fact, writeFiling, writeTruncatedGz, type FixtureFiling } from './ixbrl-fixtures.ts';

afterAll(removeTempDirs);

// One run as a real process (the smoke test); the others in this process, faster.
const finerIxbrl = (args: string[]) => runFinerInProcess(['ixbrl', ...args]);

const filing = (cik: string, amount: string): FixtureFiling => ({
  cik,
  paragraphs: [`Company ${cik} issued $${fact(FACE, amount)} million of notes at ${fact(RATE, '4.5')}%.`, 'Revenue grew.'],
});

describe('finer ixbrl (CLI)', () => {
  it('builds a dataset from a folder with a gzipped and a plain filing, skipping a plain HTML page with a warning', async () => {
    const dir = tempDir('finer-ixbrl-');
    await writeFiling(join(dir, 'a.htm.gz'), filing('1', '10'));
    await writeFiling(join(dir, 'sub', 'b.htm'), filing('2', '20'));
    await writeFiling(join(dir, 'sub', 'c.html'), filing('3', '30'));
    await writeFiling(join(dir, 'page.html'), '<html><body><p>Plain page.</p></body></html>');
    const out = join(tempDir('finer-ixbrl-out-'), 'ds');
    const run = await runFiner(['ixbrl', dir, '--out', out, '--seed', '3']);
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^finer: warning: .*page\.html: no inline XBRL facts.*skipped$/)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/3 filing\(s\) \(1 skipped\); sentences train 1, validation 1, test 1/);
    expect(run.stdout).toMatch(/^DebtInstrumentFaceAmount +3 +0 +0 +3 +3 +0 +0 +0 \(0\/0\/0\) +0\.00 +1\/1\/1$/m);
    expect(readdirSync(out).sort()).toEqual(['dataset_info.json', 'test.jsonl', 'train.jsonl', 'validation.jsonl']);
    const line = JSON.parse(readFileSync(join(out, 'train.jsonl'), 'utf8').trim());
    expect(line.tokens.slice(0, 3)).toEqual(['Company', expect.any(String), 'issued']);
  });

  it('names a missing input', async () => {
    const parent = tempDir('finer-ixbrl-out-');
    const run = await finerIxbrl([join(parent, 'nope.htm'), '--out', join(parent, 'ds')]);
    expectOneLineError(run, /^finer: .*nope\.htm: no such file or folder/);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('refuses a plain HTML page given as the only input', async () => {
    const dir = tempDir('finer-ixbrl-');
    await writeFiling(join(dir, 'page.htm'), '<html><body><p>Plain page, $5 million.</p></body></html>');
    const run = await finerIxbrl([join(dir, 'page.htm'), '--out', join(dir, 'ds')]);
    expectOneLineError(run, /^finer: .*page\.htm: no inline XBRL facts/);
    expect(existsSync(join(dir, 'ds'))).toBe(false);
  });

  it('names a truncated .gz and writes nothing', async () => {
    const dir = tempDir('finer-ixbrl-');
    await writeFiling(join(dir, 'a.htm'), filing('1', '10'));
    await writeTruncatedGz(join(dir, 'b.htm.gz'), filing('2', '20'));
    const parent = tempDir('finer-ixbrl-out-');
    const run = await finerIxbrl([dir, '--out', join(parent, 'ds')]);
    expectOneLineError(run, /^finer: .*b\.htm\.gz: cannot read: truncated or corrupt gzip data/);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('refuses a bad --split or --dedupe, and an empty result', async () => {
    const dir = tempDir('finer-ixbrl-');
    await writeFiling(join(dir, 'a.htm'), { cik: '1', paragraphs: ['Nothing tagged.'] });
    expectOneLineError(await finerIxbrl([dir, '--out', join(dir, 'ds'), '--split', '80/20']), /--split "80\/20": expected/);
    expectOneLineError(await finerIxbrl([dir, '--out', join(dir, 'ds'), '--dedupe', 'company']), /--dedupe "company": expected split or filing/);
    expectOneLineError(await finerIxbrl([dir, '--out', join(dir, 'ds')]), /nothing to write/);
    expect(existsSync(join(dir, 'ds'))).toBe(false);
  });
});
