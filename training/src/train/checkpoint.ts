/**
 * A fine-tuning run's checkpoints and `--init` from a Hugging Face DistilBERT
 * folder. The folders are the engine's (engine/checkpoint.ts):
 *
 *   <out>/checkpoint-<step>/model.safetensors      model parameters, HF names
 *                          /config.json            DistilBertForTokenClassification, id2label, label2id
 *                          /optimizer.safetensors  AdamW moments "m.<param>", "v.<param>"; metadata t
 *                          /trainer_state.json     step, options, histories (TrainerState)
 *   <out>/last                                     name of the newest complete checkpoint folder
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FinerError } from '../util/errors.ts';
import { validateConfig, type DistilBertConfig } from '../model/config.ts';
import { initParams, paramSpecs, type ParamSpec } from '../model/params.ts';
import { readSafetensors, type SafetensorsFile } from './safetensors.ts';
import type { AdamW } from '../engine/adamw.ts';
import * as engine from '../engine/checkpoint.ts';
import { openCheckpoint, readJson, readSavedModel, tensorOfShape, type SavedModel } from '../engine/checkpoint.ts';
import type { StepRecord } from '../engine/loop.ts';
export {
  pointLastAndPrune, readJson, readParamsAndMoments, resolveCheckpointDir, tensorOfShape, tensors, trainerStatePath, writeModelFiles,
} from '../engine/checkpoint.ts';
export type { StepRecord } from '../engine/loop.ts';
import type { TrainOptions } from '../config/train.ts';
export type { TrainOptions } from '../config/train.ts';

export const HEAD = 'token-classification' as const;

/**
 * One evaluation on the validation set, as `finer evaluate` scores it (whole
 * sentences): word accuracy, words scored, entity micro F1 (seqeval); the
 * loss is the mean cross-entropy of the gold labels at the words the model reads.
 */
export interface EvalRecord { step: number; epoch: number; loss: number; accuracy: number; tokens: number; f1?: number }

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

export interface Checkpoint extends SavedModel {
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

/** Save `checkpoint-<step>`, point `last` at it, and delete all but the newest `keep` (and a killed run's temporaries). */
export async function saveCheckpoint(
  outDir: string,
  ck: { config: DistilBertConfig; specs: readonly ParamSpec[]; params: ReadonlyMap<string, Float32Array>; optimizer: AdamW; state: TrainerState },
): Promise<string> {
  const model = { config: ck.config, specs: ck.specs, params: ck.params, optimizer: ck.optimizer };
  return engine.saveCheckpoint(outDir, { step: ck.state.step, keep: ck.state.options.keep, model, state: ck.state });
}

/** A fine-tuning trainer_state.json: schema 1, step, options. */
function checkState(raw: unknown, path: string): TrainerState {
  const state = raw as TrainerState | null;
  if (state?.schema !== 1 || !Number.isInteger(state.step) || typeof state.options !== 'object') {
    throw new FinerError(`${path}: expected a trainer state with schema 1, "step" and "options"`);
  }
  return state;
}

/**
 * Load everything needed to continue a run; every tensor's shape is checked
 * against config.json. The run folder (`dir`, or the folder above the
 * checkpoint it names) loses the temporaries a killed run left there.
 */
export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  const ck = await openCheckpoint(dir, checkState);
  const model = await readSavedModel(ck.dir, (config, configPath) => paramSpecs(config, HEAD, labelsOf(config, configPath).length));
  return { ...model, state: ck.state };
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
