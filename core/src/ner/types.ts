/**
 * The one interface both model backends implement: text in, entities on the
 * exact characters of that text out, with timings and the execution provider
 * that ran it.
 *
 *   ONNX  onnxruntime-web on onnx/model(_quantized).onnx, our src/ner pre- and post-processing
 *   HF    transformers.js pipeline('token-classification') on the same folder
 */
import type { TagStats, WordPrediction } from './tagger.ts';
import type { TypeThresholds } from './thresholds.ts';
import type { ContextVerdict, Verifier } from './verifier.ts';

/** A context check as the app shows and exports it: its cut, confident score and the definitions' rules it applies. */
export type ContextCheckInfo = Pick<Verifier, 'cut' | 'confident' | 'rules'>;

/** Which backend tags. */
export type BackendName = 'onnx' | 'hf';

/** Which ONNX file: int8 = onnx/model_quantized.onnx (transformers.js dtype 'q8'), fp32 = onnx/model.onnx. */
export type Precision = 'int8' | 'fp32';

/** An entity the model found: `text === source.slice(start, end)` (UTF-16 offsets). */
export interface Entity {
  start: number;
  end: number;
  text: string;
  /** Entity type without `B-`, e.g. `DebtInstrumentFaceAmount`. */
  label: string;
  /** Mean probability of its words' labels. */
  score: number;
  /** The number in base units (`$ 500 million`: 500000000; `4.125 %`: 4.125; `275 basis points`: 2.75), null when none is read (core/src/ner/values.ts). */
  value: number | null;
  /** ISO 4217 currency code or `%`; null when the text gives none. */
  unit: string | null;
  /** The sentence the entity is in. */
  sentence: string;
  /** What the model folder's context check (verifier.json) says of it; absent when the folder has none (core/src/ner/verifier.ts). */
  context?: ContextVerdict;
}

/** What ran the model, shown beside the results. */
export interface ProviderInfo {
  backend: BackendName;
  precision: Precision;
  /** The execution provider in use. */
  provider: 'webgpu' | 'wasm';
  /** WebAssembly threads (1 when the page is not cross-origin isolated). */
  threads: number;
  /** The model folder's name: models/<model>/ under the app's base URL (`?model=` chooses it). */
  model: string;
  /** Path of the ONNX file inside the model folder, e.g. `onnx/model_quantized.onnx`. */
  modelFile: string;
  /** Model folder, fetch to ready session, in ms. */
  loadMs: number;
  /** Set when WebGPU was asked for and WASM runs instead: why. */
  fallback?: WebgpuFallback;
  /** The model folder's per-type score thresholds (thresholds.json): `predict()` applies them, `tag()` returns every entity for the screen to filter (src/app/confidence.ts); absent when it has none. */
  thresholds?: TypeThresholds;
  /** The model folder's context check (verifier.json), its rule without its weights: `predict()` applies it after the thresholds, `tag()` marks each entity (`Entity.context`); absent when it has none. */
  contextCheck?: ContextCheckInfo;
}

/**
 * Why WASM runs though WebGPU was asked for:
 *   absent    the browser gives no WebGPU adapter (the usual case: a note, not a warning)
 *   software  its only adapter emulates a GPU on the CPU (SwiftShader), many times slower than WASM, so WASM is preferred
 *   failed    WebGPU failed to load or to run the model (a warning)
 */
export interface WebgpuFallback {
  reason: 'absent' | 'software' | 'failed';
  /** What the browser said, for the tooltip: `navigator.gpu.requestAdapter() gave none`, the adapter's vendor, the error. */
  detail: string;
}

/**
 * One call's timings and counts. Loading and tagging are apart: `totalMs` never
 * includes `loadMs`. The counts say what they count: `sentences` and `words`
 * are the whole text's; the model reads only the sentences with a digit
 * (`modelSentences`, `modelWords`), as `windows` of `subTokens`.
 */
export interface Timings {
  /** Loading the model for this call (folder fetch to ready session); 0 when it was already loaded. */
  loadMs: number;
  /** Sentence and word splitting, sub-token encoding excluded. */
  splitMs: number;
  /** Encoding, model calls and decoding of every window. */
  inferenceMs: number;
  /** Tagging: splitting, inference and decoding, the model load excluded. */
  totalMs: number;
  /** Sentences and words of the whole text. */
  sentences: number;
  words: number;
  /** The sentences with a digit, and their words: what the model read (a sentence without a digit holds no entity). */
  modelSentences: number;
  modelWords: number;
  windows: number;
  /** Sub-tokens of the windows the model read, [CLS], [SEP] and window overlaps included. */
  subTokens: number;
  batches: number;
}

export interface TagResult {
  entities: Entity[];
  timings: Timings;
  provider: ProviderInfo;
}

/** Bytes of one model file fetched so far, e.g. `onnx/model_quantized.onnx`; `total` is 0 when the server does not say. */
export interface DownloadProgress {
  file: string;
  loaded: number;
  total: number;
}

export type OnDownload = (progress: DownloadProgress) => void;

export interface TagProgress {
  /** Windows done, of `total`. */
  done: number;
  total: number;
}

export interface TagCallOptions {
  onProgress?: (p: TagProgress) => void;
  /** Checked before each batch: true stops with an AbortError. */
  cancelled?: () => boolean;
}

/** Per sentence, per word: the predicted label and its probability (core/src/ner/tagger.ts). */
export type WordPredictions = WordPrediction[][];

/** A loaded model: words of sentences in, a label per word out. The two backends differ only here. */
export interface WordPredictor {
  readonly info: ProviderInfo;
  /** The model folder's context check, which `tagText` runs on every entity (kept off `info`: its weights never cross to the page). */
  readonly verifier?: Verifier;
  predict(sentences: readonly (readonly string[])[], options?: TagCallOptions): Promise<{ predictions: WordPredictions; stats: TagStats }>;
  dispose(): Promise<void>;
}

/** A loaded backend: `tag(text)` for the Tag text screen, `predict` for sentences already split (a filing's prose). */
export interface TagBackend extends WordPredictor {
  tag(text: string, options?: TagCallOptions): Promise<TagResult>;
}
