/**
 * Web Worker: the model. Loads a backend on first use or when the page warms
 * it up (and keeps it), posting the load's download progress; then tags texts
 * or labels sentences one request at a time, posting progress after each
 * batch; a cancel request stops a running one between batches.
 */
import type { ModelChoice, TaggerReply, TaggerRequest } from './messages.ts';
import { loadHfBackend } from '../../backends/hf.ts';
import { folderUrl, ModelError, modelNameOf, openModelFolder, type ModelFolder } from '../../backends/modelFolder.ts';
import { loadOnnxBackend } from '../../backends/onnx.ts';
import type { DownloadProgress, TagBackend, TagProgress } from '@finer-lens/core/ner/types.ts';

const PROGRESS_EVERY_MS = 100;
const BASE = import.meta.env.BASE_URL;

let folder: Promise<ModelFolder> | undefined;
const backends = new Map<string, Promise<TagBackend>>();
/** Keys of the backends whose load has finished. */
const ready = new Set<string>();
/** Requests queued or running, and those of them asked to stop. */
const pending = new Set<number>();
const cancelled = new Set<number>();
let queue: Promise<void> = Promise.resolve();

function reply(message: TaggerReply): void {
  postMessage(message);
}

const keyOf = (model: ModelChoice) => `${model.backend}:${model.precision}:${model.webgpu}`;

/** Download progress for the page, at most every PROGRESS_EVERY_MS and at each file's end. */
function downloadReporter(model: ModelChoice): (download: DownloadProgress) => void {
  let last = 0;
  return (download) => {
    const now = performance.now();
    if (now - last < PROGRESS_EVERY_MS && download.loaded !== download.total) return;
    last = now;
    reply({ type: 'model-loading', model, download });
  };
}

function backendFor(model: ModelChoice): Promise<TagBackend> {
  const key = keyOf(model);
  let backend = backends.get(key);
  if (backend === undefined) {
    const started = performance.now();
    const onDownload = downloadReporter(model);
    reply({ type: 'model-loading', model });
    // the page's ?model= (its query string is the worker's name after "tagger"); a bad one is a ModelError the page shows
    folder ??= openModelFolder(folderUrl(BASE, modelNameOf(self.name.replace(/^tagger/, ''))));
    const f = folder;
    backend = f.then((mf) =>
      model.backend === 'onnx'
        ? loadOnnxBackend(mf, model.precision, model.webgpu, onDownload)
        : loadHfBackend(mf, `${BASE}models/`, model.precision, model.webgpu, onDownload),
    );
    backend.then(
      () => {
        ready.add(key);
        reply({ type: 'model-loaded', model, loadMs: performance.now() - started });
      },
      // a failed load is not kept: the next request tries again (and an unreadable config.json is fetched again)
      () => {
        backends.delete(key);
        if (folder === f) folder = undefined;
        reply({ type: 'model-failed', model });
      },
    );
    backends.set(key, backend);
  }
  return backend;
}

async function handle(request: Extract<TaggerRequest, { type: 'tag' | 'predict' }>): Promise<void> {
  const { id } = request;
  const started = performance.now();
  let lastProgress = 0;
  const options = {
    cancelled: () => cancelled.has(id),
    onProgress: (progress: TagProgress) => {
      const now = performance.now();
      if (now - lastProgress < PROGRESS_EVERY_MS && progress.done < progress.total) return;
      lastProgress = now;
      reply({ id, type: 'progress', progress });
    },
  };
  try {
    if (cancelled.has(id)) throw new DOMException('tagging cancelled', 'AbortError');
    // a load a warm-up began and has not finished is waited for, and counted as this request's load
    const loading = !ready.has(keyOf(request.model));
    if (loading) reply({ id, type: 'loading', model: request.model });
    const backend = await backendFor(request.model);
    // the load is reported apart (the part of it this request waited for): tagging times never include it
    const loadMs = loading ? performance.now() - started : 0;
    if (request.type === 'tag') {
      const result = await backend.tag(request.text, options);
      reply({ id, type: 'tagged', result: { ...result, timings: { ...result.timings, loadMs } } });
    } else {
      const inferenceStart = performance.now();
      const { predictions, stats } = await backend.predict(request.sentences, options);
      const now = performance.now();
      reply({
        id,
        type: 'predicted',
        result: {
          labels: predictions.map((s) => s.map((p) => p.label)),
          scores: predictions.map((s) => s.map((p) => p.score)),
          provider: backend.info,
          timings: { loadMs, inferenceMs: now - inferenceStart, totalMs: now - inferenceStart, ...stats },
        },
      });
    }
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') {
      reply({ id, type: 'error', message: 'Cancelled.', cancelled: true });
    } else {
      const message = err instanceof ModelError ? err.message : `The model failed: ${err instanceof Error ? err.message : String(err)}`;
      reply({ id, type: 'error', message });
    }
  } finally {
    pending.delete(id);
    cancelled.delete(id);
  }
}

addEventListener('message', (event: MessageEvent<TaggerRequest>) => {
  const request = event.data;
  if (request.type === 'cancel') {
    if (pending.has(request.target)) cancelled.add(request.target); // a finished request has nothing to stop
    return;
  }
  if (request.type === 'load') {
    // not queued: the load starts now, and the first Tag, queued behind nothing, waits for it
    backendFor(request.model).catch(() => {}); // its failure is the next request's error
    return;
  }
  pending.add(request.id);
  queue = queue.then(() => handle(request));
});
