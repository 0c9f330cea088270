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

/** The running program's name, the prefix of its one-line errors: `finer`, or `lab` (set by runProgram). */
let programName = 'finer';

/** Bad input: one line on stderr and exit 1; anything else is rethrown (a bug keeps its stack trace). */
export function exitOnInputError(err: unknown): never {
  if (err instanceof InputError) {
    process.stderr.write(`${programName}: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}

/**
 * Run a program on one command line, `argv` shaped as process.argv is (node,
 * script, then the arguments): the `main` of `finer` and of `lab`.
 */
export async function runProgram(program: { name(): string; parseAsync(argv: string[]): Promise<unknown> }, argv: string[]): Promise<void> {
  programName = program.name();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    // A flag's value parser (util/flags.ts) throws while commander reads the line, before any action runs.
    exitOnInputError(err);
  }
}
