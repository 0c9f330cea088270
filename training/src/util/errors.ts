/**
 * A problem with the user's input or environment, not a bug: the CLI prints
 * its message on one line and exits non-zero, without a stack trace.
 * Messages name the file, line or field and what was expected.
 */
import { InputError } from '../../../src/ner/errors.ts';

export class FinerError extends InputError {
  override name = 'FinerError';
}

/** `path:line: message`, the form editors and terminals make clickable. */
export function atLine(file: string, line: number, message: string): FinerError {
  return new FinerError(`${file}:${line}: ${message}`);
}
