/**
 * What an exported model folder keeps in git, and what is derived from it.
 *
 *   kept      config.json ("torch_dtype": "float16"), tokenizer files,
 *             model.safetensors          the weights in F16
 *             onnx/model_quantized.onnx  int8, quantised from the trained F32 weights
 *             README.md, thresholds.json, verifier.json, train-companies.json, adapt.json
 *   derived   onnx/model.onnx            fp32: the inference graph with the F16 weights widened to F32
 *
 * Why: a shipped model adds its kept files to the history of every clone.
 * F32 weights plus the fp32 ONNX (which holds the same numbers again) cost
 * about 32 MB per model once git has compressed them (the 4-layer model of
 * 2026-12: ONNX 25.9 MB, weights stored as a delta of it, int8 6.1 MB); F16
 * weights and the int8 file cost about 20 MB (13.6 + 6.1 MB). The fp32 ONNX
 * built from the F16 weights tagged the test split exactly as the trained
 * F32 weights did (docs/model-quality.md: the model folder in git).
 *
 * `finer derive` writes the derived file where it is missing or stale; the
 * app's build and dev server run it (vite.config.ts), and `finer export`
 * writes it the same way. The file names the weights it was built from in
 * its ONNX metadata (`finer_lens.derived_from`: the sha256 of
 * model.safetensors), so weights that a checkout changed are noticed. A
 * model.onnx without that entry was written by an older `finer export`,
 * which kept the fp32 ONNX in git: it is left as it is.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inferenceGraph } from '../model/distilbert.ts';
import { openModelFolder, readModelParams, type ModelFolder } from '../infer/model-folder.ts';
import { decodeModel, encodeModel } from '../onnx/proto.ts';
import { HEAD } from '../train/checkpoint.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { FinerError } from '../util/errors.ts';

export const FP32_ONNX = 'onnx/model.onnx';
export const INT8_ONNX = 'onnx/model_quantized.onnx';

/** The files of an exported folder that git does not keep (.gitignore names them too). */
export const DERIVED_FILES: readonly string[] = [FP32_ONNX];

/** The dtype of the kept weights, as config.json's `torch_dtype` says it. */
export const WEIGHTS_DTYPE = 'float16';

/** At most what one shipped model adds to the history: its kept files, uncompressed (issue 20: about 25 MB). */
export const KEPT_BYTES_LIMIT = 25_000_000;

/** The ONNX metadata entry of a derived file: the weights it was built from. */
export const DERIVED_FROM = 'finer_lens.derived_from';

/** What a derived file records of the weights it came from. */
export function weightsStamp(safetensors: Uint8Array): string {
  return `model.safetensors sha256:${createHash('sha256').update(safetensors).digest('hex')}`;
}

/** onnx/model.onnx of these weights: the training engine's inference graph, stamped with the weights it came from. */
export function fp32Onnx(folder: Pick<ModelFolder, 'config' | 'labels'>, params: Map<string, Float32Array>, stamp: string): Uint8Array {
  const model = inferenceGraph(folder.config, HEAD, folder.labels.length, params).toModel();
  return encodeModel({ ...model, metadataProps: [{ key: DERIVED_FROM, value: stamp }] });
}

/** The stamp of an existing fp32 ONNX file; undefined when it has none (a file an older export kept in git). */
async function stampOf(path: string): Promise<string | undefined> {
  let entries: Array<{ key: string; value: string }> | undefined;
  try {
    entries = decodeModel(await readFile(path)).metadataProps;
  } catch (err) {
    throw new FinerError(`${path}: not a readable ONNX model (${(err as Error).message}); delete it and run finer derive again`);
  }
  return entries?.find((e) => e.key === DERIVED_FROM)?.value;
}

/** written: the derived file was missing or stale; fresh: it matches the weights; kept: a model.onnx of an older export, left alone. */
export type DeriveOutcome = 'written' | 'fresh' | 'kept';

/** Writes a model folder's onnx/model.onnx from its model.safetensors when it is missing or was derived from other weights. */
export async function deriveFolder(dir: string): Promise<DeriveOutcome> {
  const folder = await openModelFolder(dir, { needWeights: true });
  const path = join(dir, FP32_ONNX);
  const stamp = weightsStamp(await readFile(join(dir, 'model.safetensors')));
  if (existsSync(path)) {
    const had = await stampOf(path);
    if (had === undefined) return 'kept';
    if (had === stamp) return 'fresh';
  }
  const bytes = fp32Onnx(folder, await readModelParams(folder), stamp);
  await mkdir(join(dir, 'onnx'), { recursive: true });
  await writeFileAtomic(path, bytes);
  return 'written';
}

/** `dir` when it is a model folder (config.json and model.safetensors), else the model folders directly inside it. */
export async function modelFolders(dir: string): Promise<string[]> {
  const isModel = (d: string) => existsSync(join(d, 'config.json')) && existsSync(join(d, 'model.safetensors'));
  if (!existsSync(dir)) throw new FinerError(`${dir}: no such folder; expected a model folder or a folder of model folders (public/models)`);
  if (isModel(dir)) return [dir];
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => join(dir, e.name)).filter(isModel).sort();
}
