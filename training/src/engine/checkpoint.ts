/**
 * Checkpoint folders, the one format of fine-tuning and pretraining runs:
 *
 *   <out>/checkpoint-<step>/model.safetensors      model parameters, HF names (exact f32)
 *                          /config.json            the model's Hugging Face config
 *                          /optimizer.safetensors  AdamW moments "m.<param>", "v.<param>"; metadata t
 *                          /trainer_state.json     the loop's state (train/checkpoint.ts TrainerState,
 *                                                  pretrain/checkpoint.ts PretrainState)
 *                          /<name>/                any other model the objective trains, in the same three files
 *   <out>/last                                     name of the newest complete checkpoint folder
 *
 * Each checkpoint folder is built in a temporary sibling and renamed into
 * place, and `last` is replaced atomically after it, so a run killed at any
 * moment leaves `last` naming a complete checkpoint. The temporaries a killed
 * run leaves (`.checkpoint-<step>.<pid>.tmp`, util/atomic.ts) are removed when
 * the next run on the folder resumes or saves.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FinerError } from '../util/errors.ts';
import { removeLeftoverTemps, writeDirAtomic, writeFileAtomic } from '../util/atomic.ts';
import { validateConfig, type DistilBertConfig } from '../model/config.ts';
import type { ParamSpec } from '../model/params.ts';
import { readSafetensors, serializeSafetensors, type SafetensorsFile, type Tensor } from '../train/safetensors.ts';

/** AdamW's state: step count and first and second moments per parameter. */
export interface OptimizerState { t: number; m: Map<string, Float32Array>; v: Map<string, Float32Array> }

/** A model as a checkpoint holds it: config, f32 parameters, AdamW state. */
export interface SavedModel {
  config: DistilBertConfig;
  params: Map<string, Float32Array>;
  optimizer: OptimizerState;
}

/** A model being trained, as a checkpoint saves it; `specs` name and shape its tensors. */
export interface ModelToSave {
  config: DistilBertConfig;
  specs: readonly ParamSpec[];
  params: ReadonlyMap<string, Float32Array>;
  optimizer: { t: number; m: ReadonlyMap<string, Float32Array>; v: ReadonlyMap<string, Float32Array> };
}

export function tensors(specs: readonly ParamSpec[], values: ReadonlyMap<string, Float32Array>, prefix = ''): Map<string, Tensor> {
  return new Map(specs.map((s) => [prefix + s.name, { shape: s.shape, data: values.get(s.name)! }]));
}

/** Write model files (model.safetensors + config.json) into a folder: the HF model-folder layout. */
export async function writeModelFiles(dir: string, config: DistilBertConfig, specs: readonly ParamSpec[], params: ReadonlyMap<string, Float32Array>): Promise<void> {
  await writeFileAtomic(join(dir, 'model.safetensors'), serializeSafetensors(tensors(specs, params), { format: 'pt' }));
  await writeFileAtomic(join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
}

async function writeSavedModel(dir: string, model: ModelToSave): Promise<void> {
  await writeModelFiles(dir, model.config, model.specs, model.params);
  const moments = new Map([...tensors(model.specs, model.optimizer.m, 'm.'), ...tensors(model.specs, model.optimizer.v, 'v.')]);
  await writeFileAtomic(join(dir, 'optimizer.safetensors'), serializeSafetensors(moments, { t: String(model.optimizer.t) }));
}

/**
 * Save `checkpoint-<step>`: the model, any other models in subfolders, the
 * state; point `last` at it and delete all but the newest `keep` (and a
 * killed run's temporaries).
 */
export async function saveCheckpoint(
  outDir: string,
  ck: { step: number; keep: number; model: ModelToSave; others?: ReadonlyArray<[folder: string, model: ModelToSave]>; state: unknown },
): Promise<string> {
  await removeLeftoverTemps(outDir);
  const name = `checkpoint-${ck.step}`;
  await writeDirAtomic(join(outDir, name), async (tmp) => {
    await writeSavedModel(tmp, ck.model);
    for (const [folder, model] of ck.others ?? []) {
      await mkdir(join(tmp, folder));
      await writeSavedModel(join(tmp, folder), model);
    }
    await writeFileAtomic(join(tmp, 'trainer_state.json'), JSON.stringify(ck.state, null, 1) + '\n');
  });
  return pointLastAndPrune(outDir, name, ck.keep);
}

/** Point `last` at the checkpoint folder `name` and delete all but the newest `keep` checkpoint-<step> folders. */
export async function pointLastAndPrune(outDir: string, name: string, keep: number): Promise<string> {
  await writeFileAtomic(join(outDir, 'last'), name + '\n');
  const steps = (await readdir(outDir))
    .map((f) => /^checkpoint-(\d+)$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => b - a);
  for (const step of steps.slice(Math.max(1, keep))) {
    await rm(join(outDir, `checkpoint-${step}`), { recursive: true, force: true });
  }
  return join(outDir, name);
}

export async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new FinerError(`${path}: cannot read ${what} (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FinerError(`${path}: not valid JSON (${(err as Error).message})`);
  }
}

/** A tensor of the file, checked against the shape the config implies. */
export function tensorOfShape(file: SafetensorsFile, name: string, expected: readonly number[]): Float32Array {
  const info = file.tensors.get(name)!;
  if (info.shape.length !== expected.length || info.shape.some((d, i) => d !== expected[i])) {
    throw new FinerError(
      `${file.where}: tensor "${name}" has shape ${JSON.stringify(info.shape)}; expected ${JSON.stringify(expected)} from the config`,
    );
  }
  return file.get(name).data;
}

/** trainer_state.json of the checkpoint `dir` names, or undefined when `dir` is a model folder without one (an export, a pretrained encoder). */
export async function trainerStatePath(dir: string): Promise<string | undefined> {
  if (!existsSync(join(dir, 'last')) && !existsSync(join(dir, 'trainer_state.json'))) return undefined;
  return join(await resolveCheckpointDir(dir), 'trainer_state.json');
}

/** The checkpoint folder `dir` names: itself, or the one its `last` file points at. */
export async function resolveCheckpointDir(dir: string): Promise<string> {
  if (existsSync(join(dir, 'trainer_state.json'))) return dir;
  const lastFile = join(dir, 'last');
  if (!existsSync(lastFile)) throw new FinerError(`${dir}: no checkpoint here; expected a "last" file or a checkpoint-<step> folder`);
  return join(dir, (await readFile(lastFile, 'utf8')).trim());
}

/**
 * The checkpoint folder `dir` names and its trainer_state.json, checked by
 * `check`; the run folder (`dir`, or the folder above the checkpoint it
 * names) loses the temporaries a killed run left there.
 */
export async function openCheckpoint<S>(dir: string, check: (state: unknown, path: string) => S): Promise<{ dir: string; state: S }> {
  const ckDir = await resolveCheckpointDir(dir);
  await removeLeftoverTemps(ckDir === dir ? dirname(dir) : dir);
  const statePath = join(ckDir, 'trainer_state.json');
  return { dir: ckDir, state: check(await readJson(statePath, 'trainer state'), statePath) };
}

/**
 * A model of a checkpoint folder: config.json, then its weights and AdamW
 * moments, every tensor of `specsOf(config)` checked for presence and shape.
 */
export async function readSavedModel(dir: string, specsOf: (config: DistilBertConfig, configPath: string) => readonly ParamSpec[]): Promise<SavedModel> {
  const configPath = join(dir, 'config.json');
  const config = validateConfig(await readJson(configPath, 'model config'), configPath);
  return { config, ...(await readParamsAndMoments(dir, specsOf(config, configPath))) };
}

/**
 * The weights (model.safetensors) and AdamW moments (optimizer.safetensors,
 * `m.<name>` and `v.<name>`, metadata `t`) of a checkpoint folder, every
 * tensor of `specs` checked for presence and shape.
 */
export async function readParamsAndMoments(dir: string, specs: readonly ParamSpec[]): Promise<Pick<SavedModel, 'params' | 'optimizer'>> {
  const model = await readSafetensors(join(dir, 'model.safetensors'));
  const opt = await readSafetensors(join(dir, 'optimizer.safetensors'));
  const params = new Map<string, Float32Array>();
  const m = new Map<string, Float32Array>();
  const v = new Map<string, Float32Array>();
  for (const s of specs) {
    for (const [file, name, into] of [[model, s.name, params], [opt, `m.${s.name}`, m], [opt, `v.${s.name}`, v]] as const) {
      if (!file.tensors.has(name)) throw new FinerError(`${file.where}: missing tensor "${name}" (shape ${JSON.stringify(s.shape)})`);
      into.set(s.name, tensorOfShape(file, name, s.shape));
    }
  }
  const t = Number(opt.metadata.t);
  if (!Number.isInteger(t) || t < 0) throw new FinerError(`${opt.where}: metadata "t" = ${JSON.stringify(opt.metadata.t)}; expected the AdamW step count`);
  return { params, optimizer: { t, m, v } };
}
