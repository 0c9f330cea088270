/**
 * A problem with the user's input (a model folder, a vocabulary, a data
 * line), not a bug. The CLI prints its message on one line and exits 1; the
 * app shows it. Messages name the file, line or field and what was expected.
 */
export class InputError extends Error {
  override name = 'InputError';
}
