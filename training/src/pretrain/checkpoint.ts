/**
 * What a pretraining run writes and reads back.
 *
 *   <out>/checkpoint-<step>/model.safetensors      F32 parameters of DistilBertForMaskedLM (HF names), for an exact --resume
 *                          /config.json            (lab ELECTRA: the discriminator, DistilBertForTokenClassification original/replaced)
 *                          /optimizer.safetensors  AdamW moments "m.<param>", "v.<param>"; metadata t
 *                          /trainer_state.json     PretrainState
 *                          /generator/             lab ELECTRA only: the generator's model, config and optimizer files
 *   <out>/last                                     name of the newest complete checkpoint
 *   (the checkpoint folders are engine/checkpoint.ts's)
 *   <out>/encoder/config.json                      DistilBertForMaskedLM (lab ELECTRA: the discriminator)
 *                /model.safetensors                F16, the projector tied to the word embeddings (not stored twice)
 *                /vocab.txt                        (and the tokenizer files found next to the vocabulary)
 *                /pretraining.json                 sub-tokens read, corpus, loss, minutes, steps, options, every run so far
 *
 * Folders are built in a temporary sibling and renamed; files are written to
 * a temporary name and renamed (util/atomic.ts), so a run killed at any
 * moment leaves complete checkpoints and a complete encoder.
 */
import { copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FinerError } from '../util/errors.ts';
import { writeDirAtomic, writeFileAtomic } from '../util/atomic.ts';
import type { OptimizerOptions } from '../engine/loop.ts';
import { validateConfig, type DistilBertConfig } from '../model/config.ts';
import { initParams, paramSpecs, type ParamSpec } from '../model/params.ts';
import { readSafetensors, serializeSafetensors } from '../train/safetensors.ts';
import {
  openCheckpoint, readJson, readSavedModel, saveCheckpoint, tensorOfShape, tensors,
  type ModelToSave, type SavedModel,
} from '../engine/checkpoint.ts';
import type { StepRecord } from '../engine/loop.ts';
import type { AdamW } from '../engine/adamw.ts';
import type { CorpusSource } from './corpus.ts';

export const MLM = 'mlm' as const;
/** The objective a run trained: "mlm", or a lab experiment's ("electra"). */
export type PretrainObjective = string;
export const ENCODER = 'encoder';
export const PRETRAINING_JSON = 'pretraining.json';
/** Tokenizer files copied into the encoder when they sit next to the vocabulary. */
export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json'];

/** Hyper-parameters that decide the result; a resumed run takes them from its checkpoint. */
export interface PretrainOptions extends OptimizerOptions {
  /** Sub-tokens per packed row, [CLS] and [SEP]s included. */
  maxLength: number;
  maskRate: number;
  numberMaskRate: number;
  seed: number;
  saveEvery: number;
  keep: number;
  /** The budget the run was given: sub-tokens, or minutes (turned into a step count when the run started). */
  budgetTokens?: number;
  budgetMinutes?: number;
  /** The corpus was cut to its first n sentences. */
  maxSentences?: number;
  /** lab ELECTRA (lab/src/electra): the generator's size (its vocabulary and positions are the discriminator's). */
  generator?: GeneratorSize;
  /**
   * Rows of the corpus's row sequence (epoch after epoch) read before this run: an --init run on the
   * corpus, max length and seed of the encoder's earlier runs continues where they stopped.
   */
  startRow?: number;
}

/** A lab ELECTRA generator's DistilBertConfig fields. */
export interface GeneratorSize { n_layers: number; dim: number; n_heads: number; hidden_dim: number }

/** A logged optimizer step; lab ELECTRA's also has the generator's loss and gradient norm and the fraction of positions replaced. */
export type PretrainStepRecord = StepRecord & { generatorLoss?: number; generatorGradNorm?: number; replaced?: number };

/** The encoder a run started from (--init), with the pretraining it had already had. */
export interface InitRecord { path: string; pretraining: PretrainingRecord | null }

export interface PretrainState {
  schema: 1;
  objective: PretrainObjective;
  step: number;
  totalSteps: number;
  /** Epochs of the corpus done, as a fraction. */
  epoch: number;
  /** Checkpoint segment of the next step; its dropout seed is hash(seed, segment). */
  segment: number;
  options: PretrainOptions;
  corpus: CorpusSource;
  /** Sub-tokens fed to the model ([CLS] and [SEP] included), sentence ends ([SEP]) passed, and positions predicted. */
  subTokensRead: number;
  sentencesRead: number;
  maskedPredicted: number;
  /** Training wall time of this run, every process of it together. */
  seconds: number;
  history: PretrainStepRecord[];
  init: InitRecord | null;
  /** ISO time the run started. */
  started: string;
}

export type { SavedModel } from '../engine/checkpoint.ts';

/** The model pretrained and the run's state; `dir` is the checkpoint folder (an objective's other models are in its subfolders). */
export interface PretrainCheckpoint extends SavedModel {
  state: PretrainState;
  dir: string;
}

/** One pretraining run (an --init continuation is a run of its own), as pretraining.json lists it. */
export interface RunRecord {
  started: string;
  objective: PretrainObjective;
  corpus: string;
  corpus_fingerprint: string;
  /** Packed rows read, from `options.startRow` on. */
  rows_read: number;
  sub_tokens_read: number;
  sentences_read: number;
  steps: number;
  minutes: number;
  tokens_per_second: number;
  loss: { final: number; mean: number };
  options: PretrainOptions;
}

/** `<encoder>/pretraining.json`: the totals over every run, the latest run's corpus and loss, and the runs. */
export interface PretrainingRecord {
  schema: 1;
  /** The latest run's; each run lists its own. */
  objective: PretrainObjective;
  /** Over every run this encoder has had. */
  sub_tokens_read: number;
  sentences_read: number;
  steps: number;
  minutes: number;
  /** The latest run's: mean of its last 50 steps, and of all its steps. */
  loss: { final: number; mean: number };
  corpus: { path: string; split: 'train'; note: string; split_by: string | null; sentences: number; sub_tokens: number; documents: number; fingerprint: string };
  model: { n_layers: number; dim: number; n_heads: number; hidden_dim: number; vocab_size: number; max_position_embeddings: number; parameters: number };
  options: PretrainOptions;
  /** lab ELECTRA: the latest run's generator (not written out) and its loss. */
  generator?: GeneratorSize & { parameters: number; loss: { final: number; mean: number } };
  runs: RunRecord[];
  /** `lab grow` steps: after the first `after_runs` runs, the encoder was made deeper by copying layers. */
  grown?: GrowRecord[];
}

export interface GrowRecord { date: string; after_runs: number; from_layers: number; to_layers: number; map: number[] }

/** DistilBertForMaskedLM's config.json. */
export function maskedLmConfig(config: DistilBertConfig): DistilBertConfig {
  const { id2label: _i, label2id: _l, ...rest } = config;
  return { ...rest, architectures: ['DistilBertForMaskedLM'] };
}

/**
 * The parameters of a pretrained model: DistilBertForMaskedLM's, or, for a
 * config with labels (the ELECTRA discriminator), DistilBertForTokenClassification's.
 */
export function pretrainSpecs(config: DistilBertConfig): ParamSpec[] {
  return config.id2label ? paramSpecs(config, 'token-classification', Object.keys(config.id2label).length) : paramSpecs(config, MLM, 0);
}

/** Save `checkpoint-<step>` (with the objective's other models in subfolders), point `last` at it, and delete all but the newest `keep`. */
export async function savePretrainCheckpoint(
  outDir: string,
  ck: { config: DistilBertConfig; params: ReadonlyMap<string, Float32Array>; optimizer: AdamW; state: PretrainState; others?: ReadonlyArray<[string, ModelToSave]> },
): Promise<string> {
  const model: ModelToSave = { config: ck.config, specs: pretrainSpecs(ck.config), params: ck.params, optimizer: ck.optimizer };
  return saveCheckpoint(outDir, { step: ck.state.step, keep: ck.state.options.keep, model, others: ck.others, state: ck.state });
}

/** A pretraining trainer_state.json: schema 1, objective, step, options. */
function checkState(raw: unknown, path: string): PretrainState {
  const state = raw as PretrainState | null;
  if (state?.schema !== 1 || typeof state.objective !== 'string' || !Number.isInteger(state.step) || typeof state.options !== 'object') {
    throw new FinerError(`${path}: expected the state of a "finer pretrain" run (schema 1, objective, step, options)`);
  }
  return state;
}

/** Everything needed to continue a pretraining run; the run folder loses a killed run's temporaries. */
export async function loadPretrainCheckpoint(dir: string): Promise<PretrainCheckpoint> {
  const ck = await openCheckpoint(dir, checkState);
  return { ...(await readSavedModel(ck.dir, pretrainSpecs)), state: ck.state, dir: ck.dir };
}

/** Mean of the last `n` losses and of all of them. */
export function lossSummary(history: readonly StepRecord[], n = 50): { final: number; mean: number } {
  const mean = (xs: readonly StepRecord[]) => (xs.length ? xs.reduce((a, r) => a + r.loss, 0) / xs.length : NaN);
  return { final: mean(history.slice(-n)), mean: mean(history) };
}

export const parameterCount = (specs: readonly ParamSpec[]): number => specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);

/** pretraining.json of an encoder: this run added to the runs of the encoder it started from (`more`: an objective's own fields, lab ELECTRA's generator). */
export function pretrainingRecord(config: DistilBertConfig, state: PretrainState, more: Pick<PretrainingRecord, 'generator'> = {}): PretrainingRecord {
  const c = state.corpus;
  const minutes = state.seconds / 60;
  const loss = lossSummary(state.history);
  const run: RunRecord = {
    started: state.started, objective: state.objective, corpus: c.path, corpus_fingerprint: c.fingerprint,
    rows_read: state.step * state.options.accum * state.options.batchSize,
    sub_tokens_read: state.subTokensRead, sentences_read: state.sentencesRead,
    steps: state.step, minutes, tokens_per_second: state.seconds > 0 ? state.subTokensRead / state.seconds : 0, loss, options: state.options,
  };
  const before = state.init?.pretraining;
  const parameters = parameterCount(pretrainSpecs(config));
  return {
    schema: 1,
    objective: state.objective,
    sub_tokens_read: (before?.sub_tokens_read ?? 0) + run.sub_tokens_read,
    sentences_read: (before?.sentences_read ?? 0) + run.sentences_read,
    steps: (before?.steps ?? 0) + run.steps,
    minutes: (before?.minutes ?? 0) + minutes,
    loss,
    corpus: { path: c.path, split: c.split, note: c.note, split_by: c.splitBy, sentences: c.sentences, sub_tokens: c.subTokens, documents: c.documents, fingerprint: c.fingerprint },
    model: {
      n_layers: config.n_layers, dim: config.dim, n_heads: config.n_heads, hidden_dim: config.hidden_dim,
      vocab_size: config.vocab_size, max_position_embeddings: config.max_position_embeddings, parameters,
    },
    options: state.options,
    ...more,
    runs: [...(before?.runs ?? []), run],
    ...(before?.grown ? { grown: before.grown } : {}),
  };
}

/**
 * Write the Hugging Face DistilBertForMaskedLM folder `dir` (ELECTRA: the
 * discriminator, DistilBertForTokenClassification): config.json,
 * model.safetensors in F16, vocab.txt (and tokenizer files next to it) and
 * pretraining.json. `finer train --init dir` reads it.
 */
export async function writeEncoder(
  dir: string,
  enc: { config: DistilBertConfig; params: ReadonlyMap<string, Float32Array>; vocabPath: string; record: PretrainingRecord },
): Promise<void> {
  const specs = pretrainSpecs(enc.config);
  await writeDirAtomic(dir, async (tmp) => {
    await writeFileAtomic(join(tmp, 'model.safetensors'), serializeSafetensors(tensors(specs, enc.params), { format: 'pt' }, { dtype: 'F16' }));
    await writeFileAtomic(join(tmp, 'config.json'), JSON.stringify(enc.config.id2label ? enc.config : maskedLmConfig(enc.config), null, 2) + '\n');
    await copyFile(enc.vocabPath, join(tmp, 'vocab.txt'));
    for (const f of TOKENIZER_FILES) {
      const from = join(dirname(enc.vocabPath), f);
      if (existsSync(from)) await copyFile(from, join(tmp, f));
    }
    await writeFileAtomic(join(tmp, PRETRAINING_JSON), JSON.stringify(enc.record, null, 1) + '\n');
  });
}

/**
 * Where in this corpus's row sequence the encoder's earlier runs stopped:
 * the end of the last run on the same corpus (fingerprint) with the same
 * max length and seed, or 0 when there is none.
 */
export function rowsAlreadyRead(before: PretrainingRecord | null, fingerprint: string, maxLength: number, seed: number): number {
  const same = (before?.runs ?? []).filter((r) => r.corpus_fingerprint === fingerprint && r.options.maxLength === maxLength && r.options.seed === seed);
  const last = same.at(-1);
  return last ? (last.options.startRow ?? 0) + last.rows_read : 0;
}

/** Check a pretraining.json read back (an encoder's earlier runs): the totals and the runs must be there. */
function checkRecord(raw: unknown, where: string): PretrainingRecord {
  const r = raw as Partial<PretrainingRecord> | null;
  for (const f of ['sub_tokens_read', 'sentences_read', 'steps', 'minutes'] as const) {
    if (typeof r?.[f] !== 'number' || !(r[f] >= 0)) throw new FinerError(`${where}: field "${f}" = ${JSON.stringify(r?.[f])}; expected a non-negative number`);
  }
  if (!Array.isArray(r!.runs)) throw new FinerError(`${where}: field "runs" = ${JSON.stringify(r!.runs)}; expected the list of earlier runs`);
  return r as PretrainingRecord;
}

export interface EncoderInit { config: DistilBertConfig; params: Map<string, Float32Array>; fresh: string[]; pretraining: PretrainingRecord | null }

/**
 * Start pretraining from an encoder folder (ours, or a Hugging Face
 * DistilBertForMaskedLM / DistilBertModel): config.json and
 * model.safetensors (names with or without `distilbert.`, any float dtype);
 * an MLM head it lacks is freshly initialised. Its pretraining.json, if
 * any, is carried forward so the totals accumulate.
 */
export async function initFromEncoder(dir: string, seed: number): Promise<EncoderInit> {
  const configPath = join(dir, 'config.json');
  const config = maskedLmConfig(validateConfig(await readJson(configPath, 'model config'), configPath));
  const weightsPath = join(dir, 'model.safetensors');
  const file = await readSafetensors(weightsPath);
  const specs = paramSpecs(config, MLM, 0);
  const params = initParams(specs, config, seed);
  const fresh: string[] = [];
  for (const s of specs) {
    const names = s.name.startsWith('distilbert.') ? [s.name, s.name.slice('distilbert.'.length)] : [s.name];
    const found = names.find((n) => file.tensors.has(n));
    if (found !== undefined) params.set(s.name, tensorOfShape(file, found, s.shape));
    else if (s.name.startsWith('distilbert.')) throw new FinerError(`${weightsPath}: missing tensor "${names.join('" or "')}" (shape ${JSON.stringify(s.shape)})`);
    else fresh.push(s.name);
  }
  const recordPath = join(dir, PRETRAINING_JSON);
  const pretraining = existsSync(recordPath) ? checkRecord(await readJson(recordPath, 'pretraining record'), recordPath) : null;
  return { config, params, fresh, pretraining };
}
