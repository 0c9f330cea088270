/**
 * A problem with the user's input or environment, not a bug: the CLI prints
 * its message on one line and exits non-zero, without a stack trace.
 * Messages name the file, line or field and what was expected.
 */
import { InputError } from '@finer-lens/core/ner/errors.ts';

export class FinerError extends InputError {
  override name = 'FinerError';
}

/** `path:line: message`, the form editors and terminals make clickable. */
export function atLine(file: string, line: number, message: string): FinerError {
  return new FinerError(`${file}:${line}: ${message}`);
}

/**
 * What a streaming reader of `path` rethrows: its own FinerErrors unchanged,
 * a file-system error (ENOENT, EISDIR, ...) as one line naming the file and
 * the code, anything else (a bug) as it was.
 */
export function readFailure(err: unknown, path: string, what: string): unknown {
  if (err instanceof FinerError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code ? new FinerError(`${path}: cannot read ${what} (${code})`) : err;
}

/**
 * What a writer of `path` rethrows: its own FinerErrors unchanged, a
 * file-system error (EACCES, ENOTDIR, EISDIR, EROFS, ENOSPC, ...) as one line
 * naming the path and what failed, anything else (a bug) as it was.
 */
export function writeFailure(err: unknown, path: string, what = 'write'): unknown {
  if (err instanceof FinerError) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  if (!e?.code) return err;
  // "ENOSPC: no space left on device, write" -> "ENOSPC: no space left on device": the path is named once, in front
  return new FinerError(`${path}: cannot ${what} (${e.message.split(',')[0]})`);
}
