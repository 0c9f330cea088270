/**
 * The page's side of the tagging worker: one worker, created on first use;
 * requests are queued there and run one at a time. Every call can be
 * cancelled; a cancelled call rejects with a TagCancelled error. Model loads
 * (with their download progress) go to every `onModelLoad` listener.
 */
import type { TagProgress, TagResult } from '@finer-lens/core/ner/types.ts';
import type { ModelChoice, ModelLoadReply, PredictedWords, TaggerReply, TaggerRequest } from './messages.ts';

export type { ModelChoice, ModelLoadReply, PredictedWords } from './messages.ts';

/** The call was cancelled by the user. */
export class TagCancelled extends Error {
  override name = 'TagCancelled';
}

let worker: Worker | undefined;
let nextId = 1;
const loadListeners = new Set<(reply: ModelLoadReply) => void>();

function getWorker(): Worker {
  if (worker === undefined) {
    // the worker's name carries the page's query string: its ?model= is the model folder the worker loads
    worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: `tagger${location.search}` });
    worker.addEventListener('message', (event: MessageEvent<TaggerReply>) => {
      if (!('id' in event.data)) for (const listener of loadListeners) listener(event.data);
    });
  }
  return worker;
}

/** Hear of every model load in the worker: loading (with download progress), loaded, failed. Returns the unsubscribe. */
export function onModelLoad(listener: (reply: ModelLoadReply) => void): () => void {
  loadListeners.add(listener);
  return () => loadListeners.delete(listener);
}

/** Start loading a model in the worker now (the warm-up); `onModelLoad` listeners hear how it goes. */
export function loadInWorker(model: ModelChoice): void {
  getWorker().postMessage({ id: nextId++, type: 'load', model } satisfies TaggerRequest);
}

export interface TaggerCall<T> {
  result: Promise<T>;
  cancel(): void;
}

export interface CallEvents {
  onLoading?: (model: ModelChoice) => void;
  onProgress?: (progress: TagProgress) => void;
}

type Payload = { type: 'tag'; model: ModelChoice; text: string } | { type: 'predict'; model: ModelChoice; sentences: string[][] };

function call<T>(payload: Payload, events: CallEvents, pick: (reply: TaggerReply) => T | undefined): TaggerCall<T> {
  const w = getWorker();
  const id = nextId++;
  const result = new Promise<T>((resolve, reject) => {
    const done = () => {
      w.removeEventListener('message', onMessage);
      w.removeEventListener('error', onError);
    };
    const onMessage = (event: MessageEvent<TaggerReply>) => {
      const msg = event.data;
      if (!('id' in msg) || msg.id !== id) return;
      if (msg.type === 'loading') return events.onLoading?.(msg.model);
      if (msg.type === 'progress') return events.onProgress?.(msg.progress);
      done();
      if (msg.type === 'error') return reject(msg.cancelled ? new TagCancelled(msg.message) : new Error(msg.message));
      const value = pick(msg);
      if (value === undefined) reject(new Error(`the tagging worker answered ${msg.type} to a ${payload.type} request`));
      else resolve(value);
    };
    const onError = (event: ErrorEvent) => {
      done();
      reject(new Error(`The tagging worker stopped (${event.message || 'worker error'}).`));
    };
    w.addEventListener('message', onMessage);
    w.addEventListener('error', onError);
    w.postMessage({ id, ...payload } satisfies TaggerRequest);
  });
  return { result, cancel: () => w.postMessage({ id: nextId++, type: 'cancel', target: id } satisfies TaggerRequest) };
}

/** Tag a text in the worker. */
export function tagInWorker(model: ModelChoice, text: string, events: CallEvents = {}): TaggerCall<TagResult> {
  return call({ type: 'tag', model, text }, events, (r) => (r.type === 'tagged' ? r.result : undefined));
}

/** Label sentences (words already split) in the worker. */
export function predictInWorker(model: ModelChoice, sentences: string[][], events: CallEvents = {}): TaggerCall<PredictedWords> {
  return call({ type: 'predict', model, sentences }, events, (r) => (r.type === 'predicted' ? r.result : undefined));
}
