/**
 * The shipped model folder as the browser reads it (public/models/<name>/,
 * Hugging Face layout): config.json for the labels and the training window,
 * tokenizer.json for our WordPiece encoder (its vocab and normalizer, as
 * transformers.js reads them), and thresholds.json when `finer thresholds`
 * fitted a score threshold per type (optional). The ONNX files are fetched
 * by the backends. Every problem is a ModelError naming the file and what
 * was expected; the page shows it as is.
 */
import { labelType } from '@finer-lens/core/ner/labels.ts';
import { thresholdsOfJson as checkThresholds, THRESHOLDS_FILE, type TypeThresholds } from '@finer-lens/core/ner/thresholds.ts';
import { keptPredictions, verifierOfJson as checkVerifier, VERIFIER_FILE, type Verifier } from '@finer-lens/core/ner/verifier.ts';
import { WordPiece } from '@finer-lens/core/text/wordpiece.ts';
import { defaultStride, type WindowOptions } from '@finer-lens/core/text/windows.ts';
import type { OnDownload, Precision, WordPredictor } from '@finer-lens/core/ner/types.ts';

/** The model the app ships, under the app's base URL. */
export const MODEL_NAME = 'finer-lens-small';

/** A model file that is missing, unreadable or not what it should be. */
export class ModelError extends Error {
  override name = 'ModelError';
}

/**
 * The model folder a page asks for by its query string: `?model=NAME`, a folder
 * under models/ (as `finer export --out public/models/NAME` writes one, e.g. a
 * model `finer adapt` made for one company), else MODEL_NAME.
 */
export function modelNameOf(search: string): string {
  const name = new URLSearchParams(search).get('model');
  if (name === null || name === '') return MODEL_NAME;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) {
    throw new ModelError(`?model=${name}: expected the name of a model folder under models/ (letters, digits, ".", "_" and "-"), such as ${MODEL_NAME}`);
  }
  return name;
}

export interface ModelFolder {
  /** URL of the folder, ending in `/`. */
  url: string;
  name: string;
  /** id2label in id order. */
  labels: string[];
  encoder: WordPiece;
  /** The window the model was trained with ([CLS]/[SEP] included) and the stride between windows. */
  window: WindowOptions;
  /** The folder's thresholds.json: the minimum entity score per type; absent when the folder has none. */
  thresholds?: TypeThresholds;
  /** The folder's verifier.json: the context check run after the thresholds; absent when the folder has none. */
  verifier?: Verifier;
}

/** The ONNX file of each precision, as transformers.js names them (dtype fp32 / q8). */
export const ONNX_FILES: Readonly<Record<Precision, string>> = { fp32: 'onnx/model.onnx', int8: 'onnx/model_quantized.onnx' };

/** `new URL(path, base)`, also for a root-relative base such as '/models/x/' (workers have no document base). */
export function folderUrl(base: string, name: string = MODEL_NAME): string {
  return new URL(`${base.replace(/\/?$/, '/')}models/${name}/`, self.location.href).href;
}

/** Where a file of the folder is, as messages name it: `models/<name>/<path>`. */
function whereIs(folder: string, path: string): string {
  return `models/${folder.replace(/\/$/, '').split('/').at(-1)}/${path}`;
}

/** Fetch one file of the folder; undefined on a 404 or the dev server's HTML fallback page. */
async function fetchIfPresent(folder: string, path: string, what: string): Promise<Response | undefined> {
  const where = whereIs(folder, path);
  let response: Response;
  try {
    response = await fetch(new URL(path, folder));
  } catch (err) {
    throw new ModelError(`${where} could not be fetched (${err instanceof Error ? err.message : String(err)}); expected the ${what}`);
  }
  const html = (response.headers.get('content-type') ?? '').includes('text/html');
  if (response.status === 404 || (response.ok && html)) return undefined;
  if (!response.ok) throw new ModelError(`${where}: HTTP ${response.status} ${response.statusText}; expected the ${what}`);
  return response;
}

/** Fetch one file of the folder; a 404 or the dev server's HTML fallback page is "missing". */
export async function fetchModelFile(folder: string, path: string, what: string): Promise<Response> {
  const response = await fetchIfPresent(folder, path, what);
  if (response === undefined) throw new ModelError(`${whereIs(folder, path)} is missing; expected the ${what}`);
  return response;
}

/**
 * A model file's bytes, read chunk by chunk so its download can be shown
 * (`onDownload` after each chunk). The total is the Content-Length, unless the
 * server compressed the body (then the header counts other bytes: 0, unknown).
 */
export async function readBytes(response: Response, file: string, onDownload?: OnDownload): Promise<Uint8Array> {
  if (onDownload === undefined || response.body === null) return new Uint8Array(await response.arrayBuffer());
  const compressed = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  const total = compressed ? 0 : Number(response.headers.get('content-length') ?? 0) || 0;
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  onDownload({ file, loaded, total });
  const reader = response.body.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    chunks.push(chunk.value);
    loaded += chunk.value.length;
    onDownload({ file, loaded, total });
  }
  const bytes = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Labels of config.json's id2label, checked to be ids 0..n-1 with `O` first. */
export function labelsOfConfig(config: unknown, where: string): string[] {
  if (!isRecord(config) || !isRecord(config.id2label)) throw new ModelError(`${where}: no "id2label"; expected a token-classification config`);
  const id2label = config.id2label;
  const n = Object.keys(id2label).length;
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const label = id2label[String(i)];
    if (typeof label !== 'string') throw new ModelError(`${where}: id2label has no label for id ${i}; expected ids 0..${n - 1}`);
    labels.push(label);
  }
  if (labels[0] !== 'O') throw new ModelError(`${where}: id2label["0"] is ${JSON.stringify(labels[0])}; expected "O"`);
  return labels;
}

/** The training window of config.json's `finer_lens` (absent: 128 sub-tokens, stride a quarter). */
export function windowOfConfig(config: unknown): WindowOptions {
  const c = isRecord(config) ? config : {};
  const finer = isRecord(c.finer_lens) ? c.finer_lens : {};
  const positions = typeof c.max_position_embeddings === 'number' ? c.max_position_embeddings : 512;
  const maxLength = Math.min(typeof finer.max_length === 'number' ? finer.max_length : 128, positions);
  const stride = typeof finer.stride === 'number' ? finer.stride : defaultStride(maxLength);
  return { maxLength, stride };
}

/** thresholds.json checked against the model's labels: core/src/ner/thresholds.ts, with the app's ModelError. */
export const thresholdsOfJson = (json: unknown, labels: readonly string[], where: string): TypeThresholds =>
  checkThresholds(json, labels, where, (m) => new ModelError(m));

/** A JSON file the folder may have, parsed, or undefined when it has none (404, or the dev server's HTML fallback page). */
async function readOptionalJson(url: string, file: string, what: string): Promise<unknown> {
  const response = await fetchIfPresent(url, file, what);
  if (response === undefined) return undefined;
  try {
    return JSON.parse(await response.text());
  } catch (err) {
    throw new ModelError(`${whereIs(url, file)} is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** The folder's thresholds.json, or undefined when it has none. */
export async function readThresholds(url: string, labels: readonly string[]): Promise<TypeThresholds | undefined> {
  const json = await readOptionalJson(url, THRESHOLDS_FILE, 'per-type score thresholds (finer thresholds)');
  return json === undefined ? undefined : thresholdsOfJson(json, labels, whereIs(url, THRESHOLDS_FILE));
}

/** The folder's verifier.json (the context check), or undefined when it has none. */
export async function readVerifier(url: string, labels: readonly string[]): Promise<Verifier | undefined> {
  const json = await readOptionalJson(url, VERIFIER_FILE, 'context check (finer verifier)');
  return json === undefined ? undefined : checkVerifier(json, labels, whereIs(url, VERIFIER_FILE), (m) => new ModelError(m));
}

/**
 * A backend's `predict` with the folder's thresholds, then its context
 * check, applied to each sentence's word predictions, before anything makes
 * entities of them: both backends wrap theirs, so a filing's run sees the
 * same labels on either. Their `tag()` keeps every entity with its score and
 * the check's verdict instead: the Tag text screen applies the same
 * thresholds to the entities (an entity's score is the mean of its words',
 * so this is the same cut), moved by its confidence control, and the same
 * check (src/app/confidence.ts).
 */
export function withCuts(predict: WordPredictor['predict'], folder: Pick<ModelFolder, 'thresholds' | 'verifier'>): WordPredictor['predict'] {
  const { thresholds, verifier } = folder;
  if (thresholds === undefined && verifier === undefined) return predict;
  return async (sentences, options) => {
    const { predictions, stats } = await predict(sentences, options);
    return { predictions: predictions.map((p, i) => keptPredictions(sentences[i]!, p, thresholds, verifier)), stats };
  };
}

export async function openModelFolder(url: string): Promise<ModelFolder> {
  const name = url.replace(/\/$/, '').split('/').at(-1)!;
  const configResponse = await fetchModelFile(url, 'config.json', 'model config');
  let config: unknown;
  try {
    config = JSON.parse(await configResponse.text());
  } catch (err) {
    throw new ModelError(`models/${name}/config.json is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const labels = labelsOfConfig(config, `models/${name}/config.json`);
  const where = `models/${name}/tokenizer.json`;
  const tokenizer = await (await fetchModelFile(url, 'tokenizer.json', 'Hugging Face WordPiece tokenizer')).text();
  let json: unknown;
  try {
    json = JSON.parse(tokenizer);
  } catch (err) {
    throw new ModelError(`${where} is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  let encoder: WordPiece;
  try {
    encoder = WordPiece.fromTokenizerJson(json, where);
  } catch (err) {
    throw new ModelError(err instanceof Error ? err.message : String(err));
  }
  const thresholds = await readThresholds(url, labels);
  const verifier = await readVerifier(url, labels);
  return { url, name, labels, encoder, window: windowOfConfig(config), ...(thresholds ? { thresholds } : {}), ...(verifier ? { verifier } : {}) };
}
