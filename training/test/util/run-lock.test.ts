/**
 * One run per run folder: `finer train` / `pretrain` lock the folder with
 * their PID; a second run on it refuses with one line while the first lives,
 * and takes the lock over once it is dead. The `finer` wrapper passes
 * SIGTERM on to the CLI it runs, so stopping it stops the training too.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerPretrain } from '../../src/pretrain/command.ts';
import { runTrain } from '../../src/train/command.ts';
import { DEFAULT_TRAIN_CONFIG } from '../../src/config/train.ts';
import { isAlive } from '../../src/util/atomic.ts';
import { lockRunFolder, RUN_LOCK } from '../../src/util/run-lock.ts';
import { finerInProcess, ROOT } from '../cli-run.ts';
import { tempDir } from '../data/fixtures.ts';
import { synthetic, writeDatasetFolder } from '../train/fixtures.ts';

const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!; // a process that has exited

describe('the lock of a run folder', () => {
  it('refuses a second taker while the first holds it, and is gone at the release', async () => {
    const run = join(tempDir(), 'run');
    const release = await lockRunFolder(run, 'finer train');
    expect(JSON.parse(readFileSync(join(run, RUN_LOCK), 'utf8'))).toEqual({ pid: process.pid, command: 'finer train' });
    await expect(lockRunFolder(run, 'finer train')).rejects.toThrow(
      `${run}: finer train (process ${process.pid}) is writing this run folder; expected one run at a time: wait for it or stop it`,
    );
    await release();
    expect(existsSync(run)).toBe(false); // made by the lock and left empty: removed with it
    await mkdir(run);
    await writeFile(join(run, 'vocab.txt'), 'v');
    await (await lockRunFolder(run, 'finer train'))();
    expect(readdirSync(run)).toEqual(['vocab.txt']);
  });

  it("takes over a dead process's lock, and names a lock it cannot read", async () => {
    const run = tempDir();
    await writeFile(join(run, RUN_LOCK), JSON.stringify({ pid: deadPid(), command: 'finer train' }));
    const release = await lockRunFolder(run, 'finer pretrain');
    expect(JSON.parse(readFileSync(join(run, RUN_LOCK), 'utf8')).pid).toBe(process.pid);
    await release();
    await writeFile(join(run, RUN_LOCK), '');
    await expect(lockRunFolder(run, 'finer train')).rejects.toThrow(`${join(run, RUN_LOCK)}: a lock file without a process id; expected one a run wrote (remove it if no run is writing ${run})`);
  });

  it('finer train --resume and finer pretrain --resume on a folder being written refuse before reading it', async () => {
    const run = tempDir();
    await writeFile(join(run, 'last'), 'checkpoint-4\n');
    const release = await lockRunFolder(run, 'finer train');
    try {
      await expect(runTrain({ data: join(run, 'data'), resume: run }, DEFAULT_TRAIN_CONFIG)).rejects.toThrow(/is writing this run folder/);
      const r = await finerInProcess(registerPretrain, ['pretrain', '--resume', run]);
      expect(r).toEqual({ code: 1, stderr: `finer: ${run}: finer train (process ${process.pid}) is writing this run folder; expected one run at a time: wait for it or stop it\n` });
    } finally {
      await release();
    }
  });
});

describe('training/bin/finer.mjs', () => {
  it('passes SIGTERM on to the training it runs, and a second run on its folder refuses while it lives', { timeout: 60_000 }, async () => {
    const tmp = tempDir();
    const data = join(tmp, 'data');
    const run = join(tmp, 'run');
    await writeDatasetFolder(data, synthetic(64, 1), synthetic(8, 2));
    const args = [
      'train', '--data', data, '--vocab-file', join(data, 'vocab.txt'), '--out', run, '--layers', '1', '--dim', '16', '--heads', '2',
      '--hidden', '32', '--max-positions', '64', '--epochs', '1000', '--batch-size', '8', '--max-length', '32', '--threads', '1',
    ];
    const wrapper = spawn(process.execPath, [join(ROOT, 'training/bin/finer.mjs'), ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    wrapper.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => wrapper.on('exit', (code, signal) => ok({ code, signal })));
    const lock = join(run, RUN_LOCK);
    while (!existsSync(lock) || readFileSync(lock, 'utf8') === '') {
      if (wrapper.exitCode !== null) throw new Error(`finer train ended before it locked its folder:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const trainer = (JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }).pid;
    expect(trainer).not.toBe(wrapper.pid); // the CLI is a child (of tsx) of the wrapper
    await expect(lockRunFolder(run, 'finer train')).rejects.toThrow(`${run}: finer train (process ${trainer}) is writing this run folder`);

    wrapper.kill('SIGTERM');
    const end = await exited;
    expect(end.signal === 'SIGTERM' || end.code === 128 + 15, JSON.stringify(end)).toBe(true); // tsx reports its child's signal as 143
    for (let i = 0; i < 100 && isAlive(trainer); i++) await new Promise((r) => setTimeout(r, 50));
    expect(isAlive(trainer)).toBe(false);
    // killed, it could not remove its lock: the next run takes the stale lock over
    await (await lockRunFolder(run, 'finer train'))();
  });
});
