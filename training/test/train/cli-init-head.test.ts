/**
 * `finer train --init <token classifier> --init-head labels`: the next stage
 * of a staged fine-tune keeps the classifier rows of the labels it shares
 * with the model it starts from, so it starts where that model stands
 * (its first training losses are those of a trained head, not of a random one).
 */
import { describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOneLineError, runFinerInProcess, type Run } from '../cli-run.ts';
import { synthetic, writeDatasetFolder } from './fixtures.ts';

// in this process, faster: cli-resume.test.ts and the pipeline test run finer train as a real process
const finer = (args: string[]) => runFinerInProcess(['train', ...args]);
const losses = (r: Run): number[] => [...r.stderr.matchAll(/^step \d+\/\d+ \| loss ([\d.]+)/gm)].map((m) => Number(m[1]));

describe('finer train --init-head', () => {
  it('labels: keeps the trained head, so the next stage starts at a trained loss; fresh starts at a random one', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'cli-init-head-'));
    const data = join(tmp, 'data');
    await writeDatasetFolder(data, synthetic(64, 1), synthetic(8, 2));
    const common = ['--data', data, '--epochs', '1', '--batch-size', '8', '--lr', '3e-3', '--warmup', '0', '--max-length', '32', '--seed', '11', '--threads', '1'];
    const first = await finer([
      ...common, '--vocab-file', join(data, 'vocab.txt'), '--out', join(tmp, 'first'), '--epochs', '8',
      '--layers', '2', '--dim', '32', '--heads', '2', '--hidden', '64', '--max-positions', '64',
    ]);
    expect(first.code, first.stderr).toBe(0);

    const kept = await finer([...common, '--init', join(tmp, 'first'), '--init-head', 'labels', '--out', join(tmp, 'kept')]);
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stderr).toContain(`init from ${join(tmp, 'first')}: classifier rows of 3/3 labels kept from its head; fresh nothing; no tensor ignored`);
    const fresh = await finer([...common, '--init', join(tmp, 'first'), '--out', join(tmp, 'fresh')]);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stderr).toMatch(/fresh classifier\.weight, classifier\.bias; ignored 2 tensors/);
    // lr 0 at step 1 is not guaranteed, so compare the first step's loss: the kept head is the trained one's.
    const [keptLoss] = losses(kept);
    const [freshLoss] = losses(fresh);
    const [firstLoss] = losses(first);
    expect(keptLoss).toBeLessThan(freshLoss! / 2);
    expect(keptLoss).toBeLessThan(firstLoss! / 2);
  }, 300_000);

  it('rejects an unknown --init-head in one line', async () => {
    const r = await finer(['--data', 'x', '--out', 'y', '--init', 'z', '--init-head', 'copy']);
    expectOneLineError(r, /^finer: --init-head copy: expected "fresh" .* or "labels"/);
  });
});
