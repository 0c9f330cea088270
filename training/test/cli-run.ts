/** Run the `finer` CLI for tests: as a user does (one node process with tsx, from the repository root), or in this process, faster. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { expect, vi } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'training/src/cli.ts');

export interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Start `finer <args>`; `done` settles when it exits. The child is the CLI itself, so a kill reaches it. */
export function spawnFiner(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<Run> } {
  return spawnCli(CLI, args, env);
}

/** Start the CLI file `cli` (finer's, or another workspace's) with `args`, as spawnFiner does. */
export function spawnCli(cli: string, args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], {
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

interface Captured {
  /** process.exit's code (the exit code's when it was called without one), undefined when it was not called */
  exited: number | undefined;
  /** the code the process would end with */
  code: number;
  stdout: string;
  stderr: string;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Run `fn` as if it were the whole process: what it writes on stdout and stderr is captured, `process.exit`
 * ends it (thrown and caught here) instead of the test process, `env` is set and the repository root is
 * the working folder (as for runFiner's child) for its duration, and the 'exit' listeners it adds
 * (run-lock's removal) run at its end as they would at a real exit. One at a time: the output, the exit
 * code, the environment and the working folder are global.
 */
export function asProcess(fn: () => Promise<unknown>, env: Record<string, string>): Promise<Captured> {
  const run = async (): Promise<Captured> => {
    let stdout = '';
    let stderr = '';
    let exitArg: Exit | undefined;
    const text = (s: string | Uint8Array) => (typeof s === 'string' ? s : Buffer.from(s).toString('utf8'));
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    const cwd = process.cwd();
    process.chdir(ROOT);
    const exitListeners = new Set(process.listeners('exit'));
    const exitCode = process.exitCode;
    process.exitCode = undefined;
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += text(s)), true));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += text(s)), true));
    const exit = vi.spyOn(process, 'exit').mockImplementation((code?: string | number | null) => {
      throw new Exit(code === undefined || code === null ? undefined : Number(code));
    });
    let code = 1; // a bug's uncaught error ends a real process with 1
    try {
      try {
        await fn();
      } catch (e) {
        if (!(e instanceof Exit)) throw e;
        exitArg = e;
      } finally {
        out.mockRestore();
        err.mockRestore();
        exit.mockRestore();
      }
      code = exitArg?.code ?? Number(process.exitCode ?? 0);
      return { exited: exitArg === undefined ? undefined : code, code, stdout, stderr };
    } finally {
      for (const listener of process.listeners('exit')) {
        if (exitListeners.has(listener)) continue;
        process.off('exit', listener);
        listener(code);
      }
      process.exitCode = exitCode;
      process.chdir(cwd);
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  };
  const result = queue.then(run);
  queue = result.catch(() => {});
  return result;
}

/**
 * `finer <args>` in this process, for the commands a `register*` function
 * adds: its exit code (undefined: it returned) and what it wrote on stderr.
 * Faster than spawning; an error that is not one line escapes as it is.
 */
export async function finerInProcess(register: (program: Command) => void, args: string[]): Promise<{ code: number | undefined; stderr: string }> {
  const program = new Command('finer');
  register(program);
  const { exited, stderr } = await asProcess(() => program.parseAsync(args, { from: 'user' }), {});
  return { code: exited, stderr };
}

/**
 * `finer <args>` as runFiner runs it, every command and the same exit codes and output, but in this process:
 * no node and tsx to start. A bug's stack trace escapes as a thrown error rather than as stderr.
 */
export async function runFinerInProcess(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const { main } = await import('../src/program.ts');
  return runMainInProcess(main, CLI, args, env);
}

/** A program's `main` on `args` in this process, as if its CLI file `cli` had been started (see runFinerInProcess). */
export async function runMainInProcess(main: (argv: string[]) => Promise<void>, cli: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const { code, stdout, stderr } = await asProcess(() => main([process.execPath, cli, ...args]), env);
  return { code, signal: null, stdout, stderr };
}
