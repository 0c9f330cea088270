/**
 * Where a command may write, checked before its work starts. An output
 * folder is replaced whole (writeDirAtomic), so it may not be or hold one of
 * the command's inputs, nor be a file, and an existing folder must be empty
 * or the command's own earlier output, recognised by what it holds (so that
 * folders written before this check are too); `--force` replaces any other
 * folder. Nothing else is ever deleted.
 */
import { mkdir, open, readFile, readdir, realpath, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { FinerError, writeFailure } from './errors.ts';
import { TRAIN_COMPANIES_FILE } from '@finer-lens/core/reports/trainCompanies.ts';

/** The `finer` commands that write a folder: each recognises its own earlier output. */
export type OutputKind = 'ixbrl' | 'subset' | 'vocab' | 'export' | 'train' | 'pretrain';

/** Another program's command that writes a folder (the lab's): its name in messages and its layout. */
export interface CommandOutput {
  command: string;
  layout: OutputLayout;
}

export interface OutputGuard {
  kind: OutputKind | CommandOutput;
  /** What the command reads (undefined ones are skipped): the output may not be one of them or hold one. */
  inputs?: readonly (string | undefined)[];
  /** Replace an existing folder that is not the command's own output (never a file, never an input). */
  force?: boolean;
}

/** What a command's folder holds at its top level, and what tells it from another command's folder of the same names. */
export interface OutputLayout {
  names: readonly (string | RegExp)[];
  mark?: (dir: string) => Promise<boolean>;
  /** false: a run folder, written into (checkpoints, `last`) rather than replaced, so --force does not apply. */
  replaced: boolean;
}

export const DATASET_FILES = ['train.jsonl', 'validation.jsonl', 'test.jsonl', 'dataset_info.json'];
const TOKENIZER = ['vocab.txt', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];
/** A model folder: config, weights, tokenizer, and the per-type thresholds and context check `finer thresholds` and `finer verifier` may add. */
export const MODEL_FILES = ['config.json', 'model.safetensors', 'thresholds.json', 'verifier.json', ...TOKENIZER];
/** What a run folder holds besides the model: checkpoints, pointers, temporaries and its lock (hidden names). */
const RUN = [/^checkpoint-\d+$/, 'best', 'last', /^\./];

export const readJsonObject = async (path: string): Promise<Record<string, unknown> | undefined> => {
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};
export const hasFile = (name: string) => async (dir: string) => (await stat(join(dir, name)).catch(() => undefined)) !== undefined;
export const builtBy = (test: (info: Record<string, unknown>) => boolean) => async (dir: string) => {
  const info = await readJsonObject(join(dir, 'dataset_info.json'));
  return info !== undefined && test(info);
};
const isObject = (v: unknown) => typeof v === 'object' && v !== null;

const LAYOUTS: Record<OutputKind, OutputLayout> = {
  ixbrl: { names: DATASET_FILES, mark: builtBy((i) => i.builder === 'finer ixbrl'), replaced: true },
  subset: { names: DATASET_FILES, mark: builtBy((i) => isObject(i.subset)), replaced: true },
  vocab: { names: TOKENIZER, mark: hasFile('tokenizer.json'), replaced: true },
  // calibration.json: the note `lab calibrate-card` adds to an exported folder
  export: { names: [...MODEL_FILES, 'onnx', 'README.md', 'calibration.json', 'adapt.json', TRAIN_COMPANIES_FILE], mark: hasFile('onnx'), replaced: true },
  // a run's final model comes after its first checkpoint (`last`): model files without it are some other model
  train: { names: [...MODEL_FILES, ...RUN], mark: async (dir) => (await hasFile('last')(dir)) || !(await hasFile('model.safetensors')(dir)), replaced: false },
  pretrain: { names: ['vocab.txt', 'tokenizer.json', 'encoder', ...RUN], replaced: false },
};

/** The real path of `path`, or of its nearest existing ancestor joined with the rest: symlinks and `..` resolved. */
async function realPath(path: string): Promise<string> {
  const abs = resolve(path);
  try {
    return await realpath(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(await realPath(parent), basename(abs));
  }
}

const within = (folder: string, path: string) => {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** Refuse an output (file or folder) that is or holds one of the inputs. */
async function checkApartFromInputs(out: string, inputs: readonly (string | undefined)[], flag: string): Promise<void> {
  const real = await realPath(out);
  for (const input of inputs) {
    if (input === undefined) continue;
    const r = await realPath(input);
    if (r === real) throw new FinerError(`${flag} ${out}: is the input ${input}; expected a new output apart from the inputs`);
    if (within(real, r)) throw new FinerError(`${flag} ${out}: holds the input ${input}; expected a new output apart from the inputs`);
  }
}

/** Whether `dir` is the command's own earlier output: every name one it writes, and its mark. */
async function isOwnOutput(dir: string, names: readonly string[], layout: OutputLayout): Promise<boolean> {
  const known = (n: string) => layout.names.some((k) => (typeof k === 'string' ? k === n : k.test(n)));
  return names.every(known) && (layout.mark === undefined || (await layout.mark(dir)));
}

/**
 * Check, before the work starts, that the output folder `dir` may be
 * written: apart from the inputs, not a file, new, empty, the command's own
 * earlier output, or forced; and that its parent can take the temporary
 * folder the output is built in.
 */
export async function checkOutDir(dir: string, guard: OutputGuard, flag = '--out'): Promise<void> {
  await checkApartFromInputs(dir, guard.inputs ?? [], flag);
  const [layout, command] = typeof guard.kind === 'string' ? [LAYOUTS[guard.kind], `finer ${guard.kind}`] : [guard.kind.layout, guard.kind.command];
  const st = await stat(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw writeFailure(err, dir, 'use it as the output folder');
  });
  if (st && !st.isDirectory()) throw new FinerError(`${flag} ${dir}: is a file; expected a folder (a file is never replaced)`);
  if (st) {
    const names = (await readdir(dir)).sort();
    if (names.length > 0 && !(await isOwnOutput(dir, names, layout)) && !(guard.force && layout.replaced)) {
      const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? `, ... (${names.length} entries)` : '');
      throw new FinerError(
        `${flag} ${dir}: an existing folder that is not the output of ${command} (it holds ${shown}); ` +
          `expected a new or empty folder${layout.replaced ? ', or --force to replace it' : ''}`,
      );
    }
  }
  if (layout.replaced) await probeFolder(dirname(resolve(dir)), dir);
}

/** Check, before the work starts, that the output file `path` may be written: apart from the inputs, not a folder, its folder writable. */
export async function checkOutFile(path: string, inputs: readonly (string | undefined)[] = [], flag = '--out'): Promise<void> {
  await checkApartFromInputs(path, inputs, flag);
  if ((await stat(path).catch(() => undefined))?.isDirectory()) throw new FinerError(`${flag} ${path}: is a folder; expected a file`);
  await makeFolder(dirname(resolve(path)));
  const probe = join(dirname(resolve(path)), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await (await open(probe, 'w')).close();
  } catch (err) {
    throw writeFailure(err, path);
  }
  await rm(probe, { force: true });
}

/** Make `parent` and a temporary folder in it, as the output `out` will be built there. */
async function probeFolder(parent: string, out: string): Promise<void> {
  await makeFolder(parent);
  const probe = join(parent, `.${basename(resolve(out))}.${process.pid}.tmp`);
  try {
    await mkdir(probe);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return; // our own temporary, from a build under way
    throw writeFailure(err, out, 'write the output folder');
  }
  await rmdir(probe);
}

const isFolder = async (dir: string) => (await stat(dir).catch(() => undefined))?.isDirectory() ?? false;

/**
 * `mkdir -p` whose failure is one line naming the folder. Not Node's
 * recursive mkdir, which never returns for a folder under /proc.
 */
export async function makeFolder(dir: string): Promise<void> {
  const once = async () => {
    try {
      await mkdir(dir);
      return undefined;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return err;
      return (await isFolder(dir)) ? undefined : new FinerError(`${dir}: is a file; expected a folder`);
    }
  };
  let err = await once();
  if ((err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT' && dirname(dir) !== dir) {
    await makeFolder(dirname(dir));
    err = await once();
  }
  if (err) throw writeFailure(err, dir, 'create the folder');
}
