import { Command } from 'commander';
import { exitOnInputError } from '@finer-lens/training/util/cli.ts';

/** The `lab` program: the experiments, each under the name and flags it had as a `finer` command. */
export function buildProgram(): Command {
  const program = new Command('lab')
    .description('finer-lens experiments (what each found: lab/RESULTS.md); the product commands are `finer`')
    .showHelpAfterError();

  // One line per experiment module.
  return program;
}

/** `lab` on one command line, `argv` shaped as process.argv is (node, script, then the arguments). */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    // A flag's value parser throws while commander reads the line, before any action runs.
    exitOnInputError(err);
  }
}
