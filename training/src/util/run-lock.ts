/**
 * One process per run folder: `finer train` and `finer pretrain` hold a lock
 * file naming their PID while they write the folder, so that a second run on
 * it (`--resume` while the first still trains) refuses instead of writing
 * beside it. A lock whose process is gone (killed) is stale and taken over.
 */
import { existsSync, readFileSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive } from './atomic.ts';
import { FinerError, writeFailure } from './errors.ts';
import { makeFolder } from './output.ts';

/** The lock file in a run folder; hidden, so the run's layout and exports ignore it. */
export const RUN_LOCK = '.finer.lock';

interface LockRecord { pid: number; command: string }

function readLockSync(path: string): LockRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as LockRecord;
    return Number.isInteger(r.pid) ? r : undefined;
  } catch {
    return undefined; // gone, or not written yet
  }
}

/**
 * Take the lock of `dir` (made if missing) for `command`; returns its
 * release. The lock file is created with 'wx', so of two runs one gets it.
 * A folder made here and still empty at the release is removed again, so a
 * run that fails before writing anything leaves nothing behind.
 */
export async function lockRunFolder(dir: string, command: string): Promise<() => Promise<void>> {
  const made = !existsSync(dir);
  await makeFolder(dir);
  const path = join(dir, RUN_LOCK);
  const record: LockRecord = { pid: process.pid, command };
  for (let tries = 0; ; tries++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(JSON.stringify(record) + '\n');
      await file.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw writeFailure(err, path, 'create the lock file');
    }
    const holder = readLockSync(path);
    if (holder === undefined) {
      throw new FinerError(`${path}: a lock file without a process id; expected one a run wrote (remove it if no run is writing ${dir})`);
    }
    if (isAlive(holder.pid) || tries > 0) {
      throw new FinerError(`${dir}: ${holder.command} (process ${holder.pid}) is writing this run folder; expected one run at a time: wait for it or stop it`);
    }
    await rm(path, { force: true }); // stale: its process is gone
  }
  // removed at the release or by process.exit() (an error's one line); a killed run's lock is stale, and the next run's
  const removeNow = () => {
    if (readLockSync(path)?.pid !== process.pid) return;
    rmSync(path, { force: true });
    if (made && readdirSync(dir).length === 0) rmdirSync(dir); // rmdir: only ever an empty folder
  };
  process.on('exit', removeNow);
  return async () => {
    process.off('exit', removeNow);
    removeNow();
  };
}
