import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/** Write a file so that readers see the old content or the new, never half of it. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Build a whole output folder in a temporary sibling, then swap it into place.
 * If `build` throws, the temporary folder is removed and `dir` is untouched.
 */
export async function writeDirAtomic(dir: string, build: (tmpDir: string) => Promise<void>): Promise<void> {
  const parent = dirname(dir);
  await mkdir(parent, { recursive: true });
  const tmp = join(parent, `.${basename(dir)}.${process.pid}.tmp`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  try {
    await build(tmp);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  const old = join(parent, `.${basename(dir)}.${process.pid}.old`);
  if (existsSync(dir)) await rename(dir, old);
  await rename(tmp, dir);
  await rm(old, { recursive: true, force: true });
}

/** What `writeFileAtomic` and `writeDirAtomic` name their temporaries: `.<name>.<pid>.tmp`, and `.<name>.<pid>.old` for the folder replaced. */
const TEMP_RE = /^\.(.+)\.(\d+)\.(tmp|old)$/;

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // someone else's live process
  }
}

/**
 * Clean up after writers killed mid-write in `dir`: their `.tmp` files and
 * folders are removed, and a `.old` folder is removed too, or, if its folder
 * is missing (killed between the two renames), put back. Temporaries of live
 * processes (this one included) are left alone. Returns the names removed.
 */
export async function removeLeftoverTemps(dir: string): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed; // no folder yet
  }
  for (const name of names) {
    const m = TEMP_RE.exec(name);
    if (m === null || isAlive(Number(m[2]))) continue;
    const target = join(dir, m[1]!);
    if (m[3] === 'old' && !existsSync(target)) {
      await rename(join(dir, name), target);
      continue;
    }
    await rm(join(dir, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
