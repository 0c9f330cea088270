/** Run the `lab` CLI for tests, the way training/test/cli-run.ts runs `finer`: as a user does (runLab), or in this process, faster (runLabInProcess). */
import { join } from 'node:path';
import { ROOT, runMainInProcess, spawnCli, type Run } from '@finer-lens/training/test/cli-run.ts';

const CLI = join(ROOT, 'lab/src/cli.ts');

/** `npm run lab -- <args>` as one node process with tsx, from the repository root. */
export function runLab(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return spawnCli(CLI, args, env).done;
}

/** `npm run lab -- <args>` in this process: the same exit code, stdout and stderr as runLab. */
export async function runLabInProcess(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const { main } = await import('../src/program.ts');
  return runMainInProcess(main, CLI, args, env);
}
