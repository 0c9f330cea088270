/**
 * `finer train` killed with SIGKILL after its first checkpoint, then
 * `finer train --resume`, ends with the same weights, byte for byte, as an
 * uninterrupted run.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnFiner } from '../cli-run.ts';
import { LABELS, synthetic, writeDatasetFolder } from './fixtures.ts';

const finer = (args: string[]) => spawnFiner(['train', ...args]);

describe('finer train --resume', () => {
  it('continues a killed run to the same weights as an uninterrupted run', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'cli-resume-'));
    const data = join(tmp, 'data');
    await writeDatasetFolder(data, synthetic(64, 1), synthetic(8, 2));
    const common = [
      '--data', data, '--vocab-file', join(data, 'vocab.txt'),
      '--layers', '2', '--dim', '32', '--heads', '2', '--hidden', '64', '--max-positions', '64',
      '--epochs', '6', '--batch-size', '8', '--accum', '2', '--lr', '3e-3', '--warmup', '3',
      '--max-length', '32', '--save-every', '4', '--seed', '11', '--threads', '1',
    ];

    const whole = await finer([...common, '--out', join(tmp, 'whole'), '--report', join(tmp, 'train.json')]).done;
    expect(whole.stderr).toMatch(/trained 24\/24 steps/);
    expect(whole.code).toBe(0);
    const report = JSON.parse(await readFile(join(tmp, 'train.json'), 'utf8'));
    expect(report).toMatchObject({ schema: 1, steps: 24, totalSteps: 24, epochs: 6, model: { n_layers: 2, dim: 32 }, labels: LABELS });
    expect(report.history).toHaveLength(24);
    expect(report.evals.map((e: { step: number }) => e.step)).toEqual([4, 8, 12, 16, 20, 24]);
    expect(report.tokensPerSecond).toBeGreaterThan(0);

    // Kill as soon as the first checkpoint is complete.
    const killedDir = join(tmp, 'killed');
    const run = finer([...common, '--out', killedDir]);
    while (!existsSync(join(killedDir, 'last'))) {
      if (run.child.exitCode !== null) throw new Error(`run ended before its first checkpoint:\n${(await run.done).stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    run.child.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');
    expect(existsSync(join(killedDir, 'model.safetensors'))).toBe(false); // it was killed before the end

    const resumed = await finer(['--data', data, '--resume', killedDir]).done;
    expect(resumed.stderr).toMatch(/trained 24\/24 steps/);
    expect(resumed.code).toBe(0);
    const [a, b] = await Promise.all([readFile(join(tmp, 'whole/model.safetensors')), readFile(join(killedDir, 'model.safetensors'))]);
    expect(b.equals(a)).toBe(true);
    const state = async (dir: string) => JSON.parse(await readFile(join(dir, 'checkpoint-24/trainer_state.json'), 'utf8'));
    expect((await state(killedDir)).history).toEqual((await state(join(tmp, 'whole'))).history);
  });

  it('rejects a label id out of range before training, naming file, line and field', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'cli-bad-'));
    const data = join(tmp, 'data');
    const bad = synthetic(4, 1);
    bad[2]!.ner_tags[1] = 7;
    await writeDatasetFolder(data, bad, synthetic(2, 2));
    const r = await finer(['--data', data, '--vocab-file', join(data, 'vocab.txt'), '--out', join(tmp, 'out'), '--layers', '1', '--dim', '8', '--heads', '2']).done;
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`finer: ${join(data, 'train.jsonl')}:3: field "ner_tags"[1] = 7; expected a label id in 0..2`);
    expect(existsSync(join(tmp, 'out'))).toBe(false);
  });
});
