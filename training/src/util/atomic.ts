/**
 * The one way outputs are written: a file or a whole folder appears complete
 * or not at all, and every OS error (EACCES, ENOTDIR, EISDIR, EROFS, ENOSPC,
 * ...) is one line naming the output and what failed.
 */
import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { FinerError, writeFailure } from './errors.ts';
import { checkOutDir, makeFolder, type OutputGuard } from './output.ts';

/** The temporary of `path` while this process writes it (`.tmp`), or of the output it replaces (`.old`): `removeLeftoverTemps` knows these names. */
export const tempOf = (path: string, ending: 'tmp' | 'old') => join(dirname(path), `.${basename(path)}.${process.pid}.${ending}`);

/**
 * A file written piece by piece to a temporary beside it and renamed into
 * place by `commit`. Its writes are promises, never 'error' events.
 */
export class FileOutput {
  private constructor(
    readonly path: string,
    private readonly tmp: string,
    private readonly file: FileHandle,
  ) {}

  /** Open it before the work starts, so that an output that cannot be written fails first. */
  static async open(path: string): Promise<FileOutput> {
    await makeFolder(dirname(path));
    const tmp = tempOf(path, 'tmp');
    try {
      return new FileOutput(path, tmp, await open(tmp, 'w'));
    } catch (err) {
      throw writeFailure(err, path);
    }
  }

  async write(data: string | Uint8Array): Promise<void> {
    try {
      await this.file.writeFile(data); // from the current position, all of it
    } catch (err) {
      await this.discard();
      throw writeFailure(err, this.path);
    }
  }

  async commit(): Promise<void> {
    try {
      await this.file.close();
      await rename(this.tmp, this.path);
    } catch (err) {
      await this.discard();
      throw writeFailure(err, this.path);
    }
  }

  /** Close and remove the temporary; the output stays as it was. */
  async discard(): Promise<void> {
    await this.file.close().catch(() => undefined);
    await rm(this.tmp, { force: true });
  }
}

/** Write a file so that readers see the old content or the new, never half of it. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const out = await FileOutput.open(path);
  await out.write(data);
  await out.commit();
}

/** What a failed system call was doing, in the words of a message. */
const DOING: Record<string, string> = { open: 'open', mkdir: 'create the folder', rename: 'rename', unlink: 'remove', rmdir: 'remove' };

/** An OS error of a build in `tmp`, naming the place the file will have in `dir`; FinerErrors that name `tmp` likewise. */
function buildFailure(err: unknown, tmp: string, dir: string): unknown {
  const inDir = (path: string) => (path.startsWith(tmp) ? dir + path.slice(tmp.length) : path);
  if (err instanceof FinerError) return err.message.includes(tmp) ? new FinerError(err.message.replaceAll(tmp, dir)) : err;
  const e = err as (NodeJS.ErrnoException & { dest?: string }) | undefined;
  if (!e?.code || !e.path) return err;
  if (e.syscall === 'copyfile' && e.dest) return writeFailure(err, inDir(e.dest), `copy ${e.path} to it`);
  return writeFailure(err, inDir(e.path), DOING[e.syscall ?? ''] ?? 'write');
}

/**
 * Build a whole output folder in a temporary sibling, then swap it into place.
 * If `build` throws, the temporary folder is removed and `dir` is untouched.
 * With a guard (every command's output), `dir` is checked first, and again
 * before the swap: it may not be or hold an input, nor be a file, nor a
 * folder other than the command's own earlier output unless forced.
 */
export async function writeDirAtomic(dir: string, build: (tmpDir: string) => Promise<void>, guard?: OutputGuard): Promise<void> {
  if (guard) await checkOutDir(dir, guard);
  await makeFolder(dirname(dir));
  const tmp = tempOf(dir, 'tmp');
  try {
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp);
  } catch (err) {
    throw writeFailure(err, dir, 'write the output folder');
  }
  try {
    await build(tmp);
    if (guard) await checkOutDir(dir, guard); // something may have come to `dir` while the build ran
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw buildFailure(err, tmp, dir);
  }
  const old = tempOf(dir, 'old');
  try {
    if (existsSync(dir)) await rename(dir, old);
    await rename(tmp, dir);
  } catch (err) {
    if (existsSync(old) && !existsSync(dir)) await rename(old, dir).catch(() => undefined); // the earlier output back
    await rm(tmp, { recursive: true, force: true });
    throw writeFailure(err, dir, 'replace the folder');
  }
  await rm(old, { recursive: true, force: true });
}

/** What `writeFileAtomic` and `writeDirAtomic` name their temporaries: `.<name>.<pid>.tmp`, and `.<name>.<pid>.old` for the folder replaced. */
const TEMP_RE = /^\.(.+)\.(\d+)\.(tmp|old)$/;

/** Whether process `pid` runs (this one, or anyone's). */
export function isAlive(pid: number): boolean {
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
