#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx finer ...` works without a build step.
// The CLI is a child process: a signal to this one is passed on to it, and this one ends as it did.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const tsx = join(dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');
const child = spawn(process.execPath, [tsx, join(here, '..', 'src', 'cli.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const forward = (signal) => child.kill(signal);
for (const signal of SIGNALS) process.on(signal, forward);

child.on('error', (err) => {
  process.stderr.write(`finer: cannot start the CLI (${err.message})\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    // end by the same signal, as a shell expects of a killed command
    for (const s of SIGNALS) process.off(s, forward);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
