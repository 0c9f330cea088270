/**
 * `finer recipe <file>`: build a model by a recipe file's steps (steps.ts),
 * each `finer` step in a process of its own, as a user would run them one
 * after another; `--dry-run` prints the steps and command lines instead.
 * `npm run train:default` runs training/recipes/default.json.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { action } from '../util/cli.ts';
import { FinerError } from '../util/errors.ts';
import { int, num } from '../util/flags.ts';
import { readRecipe, type Recipe } from './recipe.ts';
import { runRecipeSteps, type FinerRun, type StepRunner } from './steps.ts';

/** Runs `finer <args>`; rejects (a FinerError for a failed command) when it fails. */
export type FinerExec = (args: string[], opts: { quiet: boolean }) => Promise<void>;

const CLI = join(import.meta.dirname, '..', 'cli.ts');
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** `finer <args>` as a child process of the same node, running the TypeScript through tsx. */
export const spawnFiner: FinerExec = (args, { quiet }) => {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', tsx, CLI, ...args], { stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'] });
  // a signal that stops the recipe stops the step it is running
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  for (const s of SIGNALS) process.on(s, forward);
  return new Promise((ok, fail) => {
    child.on('error', (err) => fail(new FinerError(`finer ${args[0]}: cannot start (${err.message})`)));
    child.on('exit', (code, signal) => {
      for (const s of SIGNALS) process.off(s, forward);
      if (code === 0) ok();
      else fail(new FinerError(`finer ${args[0]} ${signal ? `stopped by ${signal}` : `exited with ${code}`}; run the recipe again to continue from this step`));
    });
  });
};

/** The form of a command line a shell reads back. */
const shellLine = (args: readonly string[]) =>
  ['finer', ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');

/** Runs each step, skipping the command lines whose output is there; headers and skips go to `log` (stderr). */
export function liveRunner(exec: FinerExec, log: (line: string) => void = (line) => void process.stderr.write(`${line}\n`)): StepRunner {
  const run = async (r: FinerRun) => {
    if (r.done !== undefined && existsSync(r.done)) {
      log(`skipped: ${r.done} exists`);
      return;
    }
    await exec(r.args, { quiet: r.quiet ?? false });
  };
  return {
    dryRun: false,
    step: (title) => log(`\n== ${title} (${new Date().toISOString().slice(11, 19)})`),
    finer: run,
    parallel: async (runs) => {
      const results = await Promise.allSettled(runs.map(run));
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
    code: (_what, fn) => fn(),
    skip: (done) => log(`skipped: ${done} exists`),
  };
}

/** Prints each step and what it would run or skip, on stdout; runs nothing. */
export function planRunner(): StepRunner {
  const print = (r: FinerRun, indent = '  ') => {
    const skip = r.done !== undefined && existsSync(r.done);
    process.stdout.write(`${indent}${skip ? `skip (${r.done} exists): ` : ''}${shellLine(r.args)}\n`);
  };
  return {
    dryRun: true,
    step: (title) => process.stdout.write(`\n== ${title}\n`),
    finer: async (r) => print(r),
    parallel: async (runs) => {
      process.stdout.write('  side by side:\n');
      for (const r of runs) print(r, '    ');
    },
    code: async (what) => void process.stdout.write(`  ${what}\n`),
    skip: (done, what) => void process.stdout.write(`  skip (${done} exists): ${what}\n`),
  };
}

/** The recipe's fields the command line may change. */
export interface RecipeFlags {
  name?: string;
  filings?: string;
  sample?: string;
  encoder?: string;
  seeds?: number[];
  epochs?: number;
  stage1Epochs?: number;
  prose?: number;
  proseDebt?: number;
  threads?: number;
}

export function withFlags(r: Recipe, f: RecipeFlags): Recipe {
  const pick = <K extends keyof Recipe>(k: K, v: Recipe[K] | undefined): Partial<Recipe> => (v === undefined ? {} : { [k]: v });
  return {
    ...r,
    ...pick('name', f.name), ...pick('filings', f.filings), ...pick('sample', f.sample), ...pick('encoder', f.encoder),
    ...pick('seeds', f.seeds), ...pick('stage1Epochs', f.stage1Epochs), ...pick('prose', f.prose), ...pick('proseDebt', f.proseDebt),
    train: { ...r.train, ...(f.epochs === undefined ? {} : { epochs: f.epochs }), ...(f.threads === undefined ? {} : { threads: f.threads }) },
  };
}

export async function runRecipe(file: string, flags: RecipeFlags, runner: StepRunner): Promise<void> {
  await runRecipeSteps(withFlags(await readRecipe(file), flags), runner);
}

export function registerRecipe(program: Command): void {
  program
    .command('recipe')
    .description('build a model by the steps of a recipe file (training/recipes/default.json: the shipped model); each step is skipped when its output exists, and a killed fine-tune continues from its last checkpoint')
    .argument('<file>', 'recipe file (JSON; fields in training/src/recipe/recipe.ts)')
    .option('--dry-run', 'print the steps and the finer command lines they run or skip, and run nothing')
    .option('--name <name>', "the recipe's name: the run runs/<name>, the model public/models/<name>")
    .option('--filings <dir>', 'iXBRL filings to build the datasets from')
    .option('--sample <file>', 'the FiNER-139 sample file finer evaluate scores')
    .option('--encoder <dir>', 'the pretrained encoder to fine-tune')
    .option('--seeds <n...>', 'seeds of the 4-type fine-tune (several: one run each, the best on validation kept)', (v: string, prev: number[] | undefined) => [...(prev ?? []), int('--seeds')(v)])
    .option('--epochs <n>', 'epochs of the 4-type fine-tune', int('--epochs'))
    .option('--stage1-epochs <n>', 'epochs of a stage on all 139 FiNER tags before the 4 types (0: none)', int('--stage1-epochs'))
    .option('--prose <ratio>', 'untagged prose sentences without debt words per target sentence in the training data', num('--prose'))
    .option('--prose-debt <ratio>', 'the same, with debt words', num('--prose-debt'))
    .option('--threads <n>', 'onnxruntime intra-op threads of each fine-tune', int('--threads'))
    .action(
      action(async (file: string, opts: RecipeFlags & { dryRun?: boolean }) => {
        await runRecipe(file, opts, opts.dryRun ? planRunner() : liveRunner(spawnFiner));
      }),
    );
}
