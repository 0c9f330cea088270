/** Run the `finer` CLI the way a user does, for tests: one node process with tsx, from the repository root. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { expect, vi } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'training/src/cli.ts');

export interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Start `finer <args>`; `done` settles when it exits. The child is the CLI itself, so a kill reaches it. */
export function spawnFiner(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Run>((ok, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => ok({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function runFiner(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return spawnFiner(args, env).done;
}

/** Exit 1 and exactly one line on stderr matching `pattern`, with no stack trace. */
export function expectOneLineError(run: Run, pattern: RegExp): void {
  expect(run.code).toBe(1);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
}

class Exit extends Error {
  constructor(readonly code: number | undefined) {
    super(`process.exit(${code})`);
  }
}

/**
 * `finer <args>` in this process, for the commands a `register*` function
 * adds: its exit code (undefined: it returned) and what it wrote on stderr.
 * Faster than spawning; an error that is not one line escapes as it is.
 */
export async function finerInProcess(register: (program: Command) => void, args: string[]): Promise<{ code: number | undefined; stderr: string }> {
  const program = new Command('finer');
  register(program);
  let stderr = '';
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  const exit = vi.spyOn(process, 'exit').mockImplementation((code?: string | number | null) => {
    throw new Exit(code === undefined || code === null ? undefined : Number(code));
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return { code: undefined, stderr };
  } catch (err) {
    if (err instanceof Exit) return { code: err.code, stderr };
    throw err;
  } finally {
    write.mockRestore();
    exit.mockRestore();
  }
}
