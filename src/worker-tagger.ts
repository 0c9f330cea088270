/**
 * Web Worker: the model. Loads a backend on first use (and keeps it), then
 * tags texts or labels sentences one request at a time, posting progress
 * after each batch; a cancel request stops a running one between batches.
 */
import type { ModelChoice, TaggerReply, TaggerRequest } from './app/taggerMessages.ts';
import { loadHfBackend } from './backends/hf.ts';
import { folderUrl, ModelError, modelNameOf, openModelFolder, type ModelFolder } from './backends/modelFolder.ts';
import { loadOnnxBackend } from './backends/onnx.ts';
import type { TagBackend, TagProgress } from './backends/types.ts';

const PROGRESS_EVERY_MS = 100;
const BASE = import.meta.env.BASE_URL;

let folder: Promise<ModelFolder> | undefined;
const backends = new Map<string, Promise<TagBackend>>();
/** Requests queued or running, and those of them asked to stop. */
const pending = new Set<number>();
const cancelled = new Set<number>();
let queue: Promise<void> = Promise.resolve();

function reply(message: TaggerReply): void {
  postMessage(message);
}

function backendFor(model: ModelChoice): Promise<TagBackend> {
  const key = `${model.backend}:${model.precision}:${model.webgpu}`;
  let backend = backends.get(key);
  if (backend === undefined) {
    // the page's ?model= (its query string is the worker's name after "tagger"); a bad one is a ModelError the page shows
    folder ??= openModelFolder(folderUrl(BASE, modelNameOf(self.name.replace(/^tagger/, ''))));
    const f = folder;
    backend = f.then((mf) =>
      model.backend === 'onnx'
        ? loadOnnxBackend(mf, model.precision, model.webgpu)
        : loadHfBackend(mf, `${BASE}models/`, model.precision, model.webgpu),
    );
    // a failed load is not kept: the next request tries again (and an unreadable config.json is fetched again)
    backend.catch(() => {
      backends.delete(key);
      if (folder === f) folder = undefined;
    });
    backends.set(key, backend);
  }
  return backend;
}

async function handle(request: Exclude<TaggerRequest, { type: 'cancel' }>): Promise<void> {
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
    const loading = !backends.has(`${request.model.backend}:${request.model.precision}:${request.model.webgpu}`);
    if (loading) reply({ id, type: 'loading', model: request.model });
    const backend = await backendFor(request.model);
    // the load is reported apart: tagging times never include it
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
  pending.add(request.id);
  queue = queue.then(() => handle(request));
});
