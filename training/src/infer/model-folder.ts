/**
 * A model folder as `finer evaluate/compare/predict` read it: a training run
 * (config.json + model.safetensors + vocab.txt, and tokenizer.json when its
 * vocabulary came with one) or an exported Hugging Face folder (the same
 * plus tokenizer.json and onnx/). The encoder follows tokenizer.json when
 * there is one. Every file is checked before any work starts; a problem
 * names the file and what was expected.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateConfig, type DistilBertConfig } from '../model/config.ts';
import { paramSpecs } from '../model/params.ts';
import { HEAD, labelsOf } from '../train/checkpoint.ts';
import { readSafetensors } from '../train/safetensors.ts';
import { readEncoderFolder, type WordPiece } from '../tokenizer/wordpiece.ts';
import { ReportError } from '@finer-lens/core/reports/parse.ts';
import { FinerError } from '../util/errors.ts';
import { defaultStride } from '@finer-lens/core/text/windows.ts';

export interface ModelFolder {
  dir: string;
  name: string;
  config: DistilBertConfig;
  labels: string[];
  encoder: WordPiece;
  /** Window of the model's training: [CLS]/[SEP] included, and the stride between windows. */
  window: { maxLength: number; stride: number };
}

export async function readJsonFile(path: string, what: string): Promise<unknown> {
  if (!existsSync(path)) throw new FinerError(`${path}: missing; expected the ${what}`);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (err) {
    throw new FinerError(`${path}: not valid JSON (${(err as Error).message}); expected the ${what}`);
  }
}

/** A report file (eval.json, train.json, ...) checked by the dashboard's parser `parse`: valid JSON of another shape is one line naming the field. */
export async function readReportFile<T>(path: string, what: string, parse: (json: unknown, file: string) => T): Promise<T> {
  const json = await readJsonFile(path, what);
  try {
    return parse(json, path);
  } catch (err) {
    if (err instanceof ReportError) throw new FinerError(`${err.message} (expected the ${what})`);
    throw err;
  }
}

/** Read and check config.json, the labels and the vocabulary of `dir`. */
export async function openModelFolder(dir: string, opts: { needWeights?: boolean; needOnnx?: boolean } = {}): Promise<ModelFolder> {
  if (!existsSync(dir)) throw new FinerError(`${dir}: no such model folder`);
  const configPath = join(dir, 'config.json');
  const config = validateConfig(await readJsonFile(configPath, 'model config (config.json)'), configPath);
  const labels = labelsOf(config, configPath);
  if (config.label2id) {
    labels.forEach((l, i) => {
      if (config.label2id![l] !== i) throw new FinerError(`${configPath}: field "label2id" gives ${l} id ${config.label2id![l]}; expected ${i}, as in id2label`);
    });
  }
  const encoder = await readEncoderFolder(dir);
  if (encoder.size > config.vocab_size) {
    throw new FinerError(`${dir}: the vocabulary has ${encoder.size} tokens; expected at most config.json's vocab_size ${config.vocab_size}`);
  }
  if (opts.needWeights) {
    const weights = join(dir, 'model.safetensors');
    if (!existsSync(weights)) throw new FinerError(`${weights}: missing; expected the model's weights`);
  }
  if (opts.needOnnx) {
    const onnx = join(dir, 'onnx', 'model.onnx');
    if (!existsSync(onnx)) throw new FinerError(`${onnx}: missing; expected the exported ONNX model (finer export; finer derive writes it again from model.safetensors)`);
  }
  const finer = (config as unknown as { finer_lens?: { max_length?: number; stride?: number } }).finer_lens;
  const maxLength = Math.min(finer?.max_length ?? 128, config.max_position_embeddings);
  const window = { maxLength, stride: finer?.stride ?? defaultStride(maxLength) };
  return { dir, name: dir.replace(/\/+$/, '').split('/').at(-1)!, config, labels, encoder, window };
}

/** The classifier's parameters from model.safetensors, every shape checked against config.json. */
export async function readModelParams(folder: ModelFolder): Promise<Map<string, Float32Array>> {
  const path = join(folder.dir, 'model.safetensors');
  const file = await readSafetensors(path);
  const params = new Map<string, Float32Array>();
  for (const s of paramSpecs(folder.config, HEAD, folder.labels.length)) {
    if (!file.tensors.has(s.name)) throw new FinerError(`${path}: missing tensor "${s.name}" (shape ${JSON.stringify(s.shape)})`);
    const t = file.get(s.name);
    if (JSON.stringify(t.shape) !== JSON.stringify(s.shape)) {
      throw new FinerError(`${path}: tensor "${s.name}" has shape ${JSON.stringify(t.shape)}; expected ${JSON.stringify(s.shape)} from config.json (${folder.labels.length} labels in id2label)`);
    }
    params.set(s.name, t.data);
  }
  return params;
}
