/** Messages between the page and the tagging worker (worker.ts). */
import type { BackendName, DownloadProgress, Precision, ProviderInfo, TagProgress, TagResult, Timings } from '@finer-lens/core/ner/types.ts';

/** Which model to run: backend, precision, and whether WebGPU may be tried. */
export interface ModelChoice {
  backend: BackendName;
  precision: Precision;
  webgpu: boolean;
}

export type TaggerRequest =
  /** Tag a text: sentences, words, entities on its characters. */
  | { id: number; type: 'tag'; model: ModelChoice; text: string }
  /** Label sentences already split into words (a filing's prose). */
  | { id: number; type: 'predict'; model: ModelChoice; sentences: string[][] }
  /** Load the model now, to have it ready for the first Tag (the warm-up): the model-… replies say how it goes. */
  | { id: number; type: 'load'; model: ModelChoice }
  /** Stop request `target` at its next batch. */
  | { id: number; type: 'cancel'; target: number };

/** Each word's label and probability, per sentence. */
export interface PredictedWords {
  labels: string[][];
  scores: number[][];
  provider: ProviderInfo;
  timings: Pick<Timings, 'loadMs' | 'inferenceMs' | 'totalMs' | 'windows' | 'subTokens' | 'batches'>;
}

/**
 * A model load, told to the page whichever request started it (a warm-up, a
 * Tag, a filing's run): each request waiting on a load shares it.
 */
export type ModelLoadReply =
  /** `download`: the file being fetched, once bytes arrive. */
  | { type: 'model-loading'; model: ModelChoice; download?: DownloadProgress }
  | { type: 'model-loaded'; model: ModelChoice; loadMs: number }
  /** The request that needs the model says why (its own error reply). */
  | { type: 'model-failed'; model: ModelChoice };

export type TaggerReply =
  | ModelLoadReply
  | { id: number; type: 'loading'; model: ModelChoice }
  | { id: number; type: 'progress'; progress: TagProgress }
  | { id: number; type: 'tagged'; result: TagResult }
  | { id: number; type: 'predicted'; result: PredictedWords }
  /** `cancelled`: stopped by a cancel request, not a failure. */
  | { id: number; type: 'error'; message: string; cancelled?: boolean };
