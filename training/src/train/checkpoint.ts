/**
 * Checkpoint folders and `--init` from a Hugging Face DistilBERT folder.
 *
 *   <out>/checkpoint-<step>/model.safetensors      model parameters, HF names
 *                          /config.json            DistilBertForTokenClassification, id2label, label2id
 *                          /optimizer.safetensors  AdamW moments "m.<param>", "v.<param>"; metadata t
 *                          /trainer_state.json     step, options, histories (TrainerState)
 *   <out>/last                                     name of the newest complete checkpoint folder
 *
 * Each checkpoint folder is built in a temporary sibling and renamed into
 * place, and `last` is replaced atomically after it, so a run killed at any
 * moment leaves `last` naming a complete checkpoint. The temporaries a killed
 * run leaves (`.checkpoint-<step>.<pid>.tmp`, util/atomic.ts) are removed when
 * the next run on the folder resumes or saves.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FinerError } from '../util/errors.ts';
import { removeLeftoverTemps, writeDirAtomic, writeFileAtomic } from '../util/atomic.ts';
import { validateConfig, type DistilBertConfig } from '../model/config.ts';
import { initParams, paramSpecs, type ParamSpec } from '../model/params.ts';
import { readSafetensors, serializeSafetensors, type SafetensorsFile, type Tensor } from './safetensors.ts';
import type { AdamW } from './adamw.ts';
import type { TrainOptions } from '../config/train.ts';
export type { TrainOptions } from '../config/train.ts';

export const HEAD = 'token-classification' as const;

/** One logged optimizer step. */
export interface StepRecord { step: number; loss: number; lr: number; gradNorm: number }

/** One evaluation on the validation set. */
export interface EvalRecord { step: number; epoch: number; loss: number; accuracy: number; tokens: number; /** entity micro F1 (seqeval) over the windows' words */ f1?: number }

export interface TrainerState {
  schema: 1;
  step: number;
  totalSteps: number;
  epoch: number; // epochs completed, as a fraction
  /** Index of the checkpoint segment the next step belongs to; the dropout seed is hash(seed, segment). */
  segment: number;
  options: TrainOptions;
  /** Identifies the training data, so a resume on other data is refused. */
  data: { sentences: number; fingerprint: string };
  tokensSeen: number;
  history: StepRecord[];
  evals: EvalRecord[];
  /** The best evaluation so far: highest entity F1, or lowest loss when F1 is undefined. */
  best: { metric: 'eval_loss' | 'eval_f1'; value: number; step: number } | null;
  /** Set when the run ended before totalSteps (early stopping). */
  stopped?: { step: number; reason: 'early-stopping' };
}

export interface Checkpoint {
  config: DistilBertConfig;
  params: Map<string, Float32Array>;
  optimizer: { t: number; m: Map<string, Float32Array>; v: Map<string, Float32Array> };
  state: TrainerState;
}

/** HF config.json of a token classifier with these labels. */
export function classifierConfig(config: DistilBertConfig, labels: readonly string[]): DistilBertConfig {
  return {
    ...config,
    architectures: ['DistilBertForTokenClassification'],
    id2label: Object.fromEntries(labels.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(labels.map((l, i) => [l, i])),
  };
}

export function labelsOf(config: DistilBertConfig, where: string): string[] {
  const id2label = config.id2label;
  if (!id2label) throw new FinerError(`${where}: field "id2label" missing; expected the label names of the classifier`);
  const n = Object.keys(id2label).length;
  return Array.from({ length: n }, (_, i) => {
    const name = id2label[String(i)];
    if (name === undefined) throw new FinerError(`${where}: field "id2label" lacks id "${i}"; expected ids 0..${n - 1}`);
    return name;
  });
}

export function tensors(specs: readonly ParamSpec[], values: ReadonlyMap<string, Float32Array>, prefix = ''): Map<string, Tensor> {
  return new Map(specs.map((s) => [prefix + s.name, { shape: s.shape, data: values.get(s.name)! }]));
}

/** Write model files (model.safetensors + config.json) into a folder: the HF model-folder layout. */
export async function writeModelFiles(dir: string, config: DistilBertConfig, specs: readonly ParamSpec[], params: ReadonlyMap<string, Float32Array>): Promise<void> {
  await writeFileAtomic(join(dir, 'model.safetensors'), serializeSafetensors(tensors(specs, params), { format: 'pt' }));
  await writeFileAtomic(join(dir, 'config.json'), JSON.stringify(config, null, 2) + '\n');
}

/** Save `checkpoint-<step>`, point `last` at it, and delete all but the newest `keep` (and a killed run's temporaries). */
export async function saveCheckpoint(
  outDir: string,
  ck: { config: DistilBertConfig; specs: readonly ParamSpec[]; params: ReadonlyMap<string, Float32Array>; optimizer: AdamW; state: TrainerState },
): Promise<string> {
  await removeLeftoverTemps(outDir);
  const name = `checkpoint-${ck.state.step}`;
  await writeDirAtomic(join(outDir, name), async (tmp) => {
    await writeModelFiles(tmp, ck.config, ck.specs, ck.params);
    const moments = new Map([...tensors(ck.specs, ck.optimizer.m, 'm.'), ...tensors(ck.specs, ck.optimizer.v, 'v.')]);
    await writeFileAtomic(join(tmp, 'optimizer.safetensors'), serializeSafetensors(moments, { t: String(ck.optimizer.t) }));
    await writeFileAtomic(join(tmp, 'trainer_state.json'), JSON.stringify(ck.state, null, 1) + '\n');
  });
  return pointLastAndPrune(outDir, name, ck.state.options.keep);
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
 * Load everything needed to continue a run; every tensor's shape is checked
 * against config.json. The run folder (`dir`, or the folder above the
 * checkpoint it names) loses the temporaries a killed run left there.
 */
export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  const ckDir = await resolveCheckpointDir(dir);
  await removeLeftoverTemps(ckDir === dir ? dirname(dir) : dir);
  const configPath = join(ckDir, 'config.json');
  const config = validateConfig(await readJson(configPath, 'model config'), configPath);
  const labels = labelsOf(config, configPath);
  const { params, optimizer } = await readParamsAndMoments(ckDir, paramSpecs(config, HEAD, labels.length));
  const statePath = join(ckDir, 'trainer_state.json');
  const state = (await readJson(statePath, 'trainer state')) as TrainerState;
  if (state?.schema !== 1 || !Number.isInteger(state.step) || typeof state.options !== 'object') {
    throw new FinerError(`${statePath}: expected a trainer state with schema 1, "step" and "options"`);
  }
  return { config, params, optimizer, state };
}

/**
 * The weights (model.safetensors) and AdamW moments (optimizer.safetensors,
 * `m.<name>` and `v.<name>`, metadata `t`) of a checkpoint folder, every
 * tensor of `specs` checked for presence and shape.
 */
export async function readParamsAndMoments(dir: string, specs: readonly ParamSpec[]): Promise<Pick<Checkpoint, 'params' | 'optimizer'>> {
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

/** Names a pretrained folder may use for our parameter `name` (DistilBertForMaskedLM / ...Model). */
function pretrainedNames(name: string): string[] {
  return name.startsWith('distilbert.') ? [name, name.slice('distilbert.'.length)] : [name];
}

export interface PretrainedInit {
  config: DistilBertConfig;
  params: Map<string, Float32Array>;
  fresh: string[];
  unused: string[];
  /** With head "labels": the labels whose classifier rows came from the folder's own classifier. */
  transferred: string[];
}

/** What becomes of a token-classification head in the --init folder. */
export type InitHead = 'fresh' | 'labels';
export const INIT_HEADS: readonly InitHead[] = ['fresh', 'labels'];

/**
 * Start from a Hugging Face DistilBERT folder (config.json + model.safetensors):
 * the encoder weights are taken under either naming, any MLM or other head is
 * dropped, and the classifier for `labels` is freshly initialised; or, with
 * head "labels" and a folder that is itself a token classifier (id2label and
 * classifier.weight/bias), each label the folder's id2label also names keeps
 * the folder's classifier row and bias (e.g. the 4 entity types from a model of
 * all 139 FiNER tags), and only the others are fresh.
 */
export async function initFromPretrained(dir: string, labels: readonly string[], seed: number, head: InitHead = 'fresh'): Promise<PretrainedInit> {
  const configPath = join(dir, 'config.json');
  const base = validateConfig(await readJson(configPath, 'model config'), configPath);
  const config = classifierConfig(base, labels);
  const weightsPath = join(dir, 'model.safetensors');
  if (!existsSync(weightsPath) && existsSync(join(dir, 'pytorch_model.bin'))) {
    throw new FinerError(`${dir}: only model.safetensors is supported, not pytorch_model.bin`);
  }
  const file = await readSafetensors(weightsPath);
  const specs = paramSpecs(config, HEAD, labels.length);
  const params = initParams(specs, config, seed);
  const used = new Set<string>();
  const fresh: string[] = [];
  for (const s of specs) {
    if (s.name.startsWith('classifier.')) {
      fresh.push(s.name);
      continue;
    }
    const found = pretrainedNames(s.name).find((n) => file.tensors.has(n));
    if (found === undefined) {
      throw new FinerError(`${weightsPath}: missing tensor "${pretrainedNames(s.name).join('" or "')}" (shape ${JSON.stringify(s.shape)})`);
    }
    params.set(s.name, tensorOfShape(file, found, s.shape));
    used.add(found);
  }
  const transferred = head === 'labels' ? transferHead(base, file, weightsPath, labels, params, used) : [];
  const unused = [...file.tensors.keys()].filter((n) => !used.has(n));
  // A head whose every row came from the folder is not fresh; a partial one still is, for the rows the folder lacks.
  if (transferred.length === labels.length) fresh.length = 0;
  return { config, params, fresh, unused, transferred };
}

/**
 * Copy the classifier rows of the labels that `base` (the --init folder's config)
 * names into `params`; returns those labels. The folder must be a token
 * classifier whose classifier tensors match its id2label.
 */
function transferHead(
  base: DistilBertConfig, file: SafetensorsFile, weightsPath: string,
  labels: readonly string[], params: Map<string, Float32Array>, used: Set<string>,
): string[] {
  const configPath = join(dirname(weightsPath), 'config.json');
  if (!base.id2label) throw new FinerError(`${configPath}: field "id2label" missing; --init-head labels expects a token-classification model with its label names`);
  const old = labelsOf(base, configPath);
  const D = base.dim;
  for (const name of ['classifier.weight', 'classifier.bias']) {
    if (!file.tensors.has(name)) throw new FinerError(`${weightsPath}: missing tensor "${name}"; --init-head labels expects a token-classification model`);
  }
  const weight = tensorOfShape(file, 'classifier.weight', [old.length, D]);
  const bias = tensorOfShape(file, 'classifier.bias', [old.length]);
  used.add('classifier.weight').add('classifier.bias');
  const w = params.get('classifier.weight')!;
  const b = params.get('classifier.bias')!;
  const index = new Map(old.map((l, i) => [l, i]));
  const transferred: string[] = [];
  labels.forEach((label, i) => {
    const j = index.get(label);
    if (j === undefined) return;
    w.set(weight.subarray(j * D, (j + 1) * D), i * D);
    b[i] = bias[j]!;
    transferred.push(label);
  });
  if (transferred.length === 0) {
    throw new FinerError(`${configPath}: id2label (${old.slice(0, 3).join(', ')}${old.length > 3 ? ', ...' : ''}) names none of the data's labels (${labels.slice(0, 3).join(', ')}, ...); expected --init-head labels from a model trained on the same label names`);
  }
  return transferred;
}
