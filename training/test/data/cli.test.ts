import { appendFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectOneLineError, runFiner, runFinerInProcess } from '../cli-run.ts';
import { sentence, sentencesWithCounts, tempDir, writeJsonl, writeJsonlDataset } from './fixtures.ts';

// runFiner: each command once as a real process (download, analyze, subset); the other runs in this process, faster.
const finer = runFinerInProcess;

describe('finer CLI on bad input: exit 1, one line naming the place, nothing half-written', () => {
  it('subset: malformed JSONL line', async () => {
    const dir = tempDir();
    const parent = tempDir();
    await writeJsonl(join(dir, 'train.jsonl'), [sentence('a', [41])]);
    await writeJsonl(join(dir, 'test.jsonl'), [sentence('a', [41]), sentence('b', [0])]);
    appendFileSync(join(dir, 'test.jsonl'), '{"id": "c", "tokens": ["x"], "ner_tags": [0]\n');
    const run = await finer(['subset', dir, '--out', join(parent, 'out')]);
    expectOneLineError(run, new RegExp(`^finer: ${join(dir, 'test.jsonl')}:3: not valid JSON`));
    expect(readdirSync(parent)).toEqual([]);
  });

  it('analyze: missing folder and mismatched lengths leave no report', async () => {
    const parent = tempDir();
    const report = join(parent, 'analysis.json');
    expectOneLineError(await finer(['analyze', join(parent, 'missing'), '--out', report]), /missing: no such dataset folder/);
    const dir = tempDir();
    await writeJsonl(join(dir, 'validation.jsonl'), [{ id: 'x', tokens: ['a'], ner_tags: [0, 0] }]);
    expectOneLineError(await finer(['analyze', dir, '--out', report]), /validation\.jsonl:1: field "ner_tags" has 2 label ids but "tokens" has 1/);
    expect(existsSync(report)).toBe(false);
  });

  it('download: one line when offline', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((ok) => closed.close(ok));
    const out = join(tempDir(), 'finer');
    const run = await runFiner(['download', '--out', out], { HF_ENDPOINT: `http://127.0.0.1:${port}` });
    expectOneLineError(run, /^finer: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): are you offline\?/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('finer CLI on good input', () => {
  it('analyze writes the report and prints the table; subset writes the 4-entity folder', async () => {
    const dir = tempDir();
    await writeJsonlDataset(dir, { train: sentencesWithCounts({ 41: 3, 87: 2, 5: 1 }) });
    const report = join(tempDir(), 'reports', 'analysis.json');
    const run = await runFiner(['analyze', dir, '--out', report, '--top', '3']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\s*2\s+41\s+B-DebtInstrumentInterestRateStatedPercentage\s+3\s+3\s+3$/m);
    expect(JSON.parse(readFileSync(report, 'utf8')).overall.top.map((l: { id: number }) => l.id)).toEqual([0, 41, 87]);

    const out = join(tempDir(), 'subset');
    const sub = await runFiner(['subset', dir, '--out', out]);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain('train: kept 5 of 6 sentences');
    expect(readdirSync(out).sort()).toEqual(['dataset_info.json', 'train.jsonl']);
  });
});
