import { InputError } from '@finer-lens/core/ner/errors.ts';

/**
 * Wrap a CLI action so that an InputError (bad input; FinerError is one) prints one clear line and
 * exits 1, while a genuine bug still shows its stack trace.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      exitOnInputError(err);
    }
  };
}

/** Bad input: one line on stderr and exit 1; anything else is rethrown (a bug keeps its stack trace). */
export function exitOnInputError(err: unknown): never {
  if (err instanceof InputError) {
    process.stderr.write(`finer: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
