import { FinerError } from './errors.ts';

/**
 * Wrap a CLI action so that a FinerError (bad input) prints one clear line and
 * exits 1, while a genuine bug still shows its stack trace.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (err) {
      if (err instanceof FinerError) {
        process.stderr.write(`finer: ${err.message}\n`);
        process.exit(1);
      }
      throw err;
    }
  };
}
