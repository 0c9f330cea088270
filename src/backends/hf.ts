/**
 * The HF backend: transformers.js `pipeline('token-classification')` on the
 * same model folder, local files only. transformers.js brings its own
 * tokenizer (tokenizer.json) and runs onnxruntime-web (the same runtime
 * instance as the ONNX backend: src/backends/ort.ts); the pipeline returns
 * sub-tokens without offsets, so words are mapped back by
 * `predictWordsWithPipeline` (core/src/ner/tagger.ts) with the pipeline's own
 * tokenizer.
 *
 * The library is imported on first use: it is most of the worker's code.
 */
import { predictWordsWithPipeline, type PipelineToken, type TokenClassifier } from '@finer-lens/core/ner/tagger.ts';
import { ModelError, ONNX_FILES, withCuts, type ModelFolder } from './modelFolder.ts';
import { checkRule } from '@finer-lens/core/ner/verifier.ts';
import { nextTask, runtime, WASM_PATHS, wasmThreads, webgpuUnavailable } from './ort.ts';
import { BATCH_SIZE, firstLine } from './onnx.ts';
import { tagText } from '@finer-lens/core/ner/tagText.ts';
import type { OnDownload, Precision, ProviderInfo, TagBackend, WebgpuFallback, WordPredictor } from '@finer-lens/core/ner/types.ts';

/**
 * `modelsPath`: the URL path of the folder that holds the model folders
 * (transformers.js's `env.localModelPath`), e.g. `/models/`. A path, not a
 * full URL: transformers.js checks local files only for paths. `onDownload`:
 * each file transformers.js fetches, as its bytes arrive.
 */
export async function loadHfBackend(folder: ModelFolder, modelsPath: string, precision: Precision, useWebgpu = true, onDownload?: OnDownload): Promise<TagBackend> {
  const started = performance.now();
  let fallback: WebgpuFallback | undefined = useWebgpu ? await webgpuUnavailable() : undefined;
  // transformers.js imports onnxruntime-web/webgpu: set up first (local runtime files, threads), so it keeps our settings
  await runtime('webgpu');
  const { env, pipeline } = await import('@huggingface/transformers');
  env.allowLocalModels = true;
  env.allowRemoteModels = false; // never the Hugging Face hub
  env.localModelPath = modelsPath;
  env.useBrowserCache = false; // the folder is served by the app: a cached copy could be an older model
  env.useWasmCache = false;
  // env.backends.onnx is a shallow copy of onnxruntime's env: mutate its wasm flags, do not replace them
  Object.assign(env.backends.onnx.wasm ?? {}, { wasmPaths: { ...WASM_PATHS.webgpu }, numThreads: wasmThreads(), proxy: false });

  const load = (device: 'webgpu' | 'wasm') =>
    pipeline('token-classification', folder.name, {
      dtype: precision === 'int8' ? 'q8' : 'fp32',
      device,
      session_options: { graphOptimizationLevel: 'all' },
      progress_callback: (p) => {
        if (p.status === 'progress') onDownload?.({ file: p.file, loaded: p.loaded, total: p.total });
      },
    });
  let pipe: Awaited<ReturnType<typeof load>> | undefined;
  if (useWebgpu && fallback === undefined) {
    try {
      pipe = await load('webgpu');
    } catch (err) {
      fallback = { reason: 'failed', detail: `WebGPU failed to load the model in transformers.js (${firstLine(err)})` };
    }
  }
  if (pipe === undefined) {
    try {
      pipe = await load('wasm');
    } catch (err) {
      throw new ModelError(`models/${folder.name}: transformers.js cannot load it (${firstLine(err)}); expected a Hugging Face token-classification folder with ${ONNX_FILES[precision]}`);
    }
  }
  const loaded = pipe;
  const info: ProviderInfo = {
    backend: 'hf',
    precision,
    provider: useWebgpu && fallback === undefined ? 'webgpu' : 'wasm',
    threads: wasmThreads(),
    model: folder.name,
    modelFile: ONNX_FILES[precision],
    loadMs: performance.now() - started,
    ...(fallback !== undefined ? { fallback } : {}),
    ...(folder.thresholds ? { thresholds: folder.thresholds } : {}),
    ...(folder.verifier ? { contextCheck: checkRule(folder.verifier) } : {}),
  };

  const classify: TokenClassifier = Object.assign(
    async (texts: string[], opts: { ignore_labels: string[] }) => {
      await nextTask(); // a cancel message can arrive between two batches
      return (await loaded(texts, opts)) as unknown as PipelineToken[][];
    },
    { countSubTokens: (word: string) => loaded.tokenizer.encode(word, { add_special_tokens: false }).length },
  );
  const predictAll: WordPredictor['predict'] = (sentences, options = {}) =>
    predictWordsWithPipeline(sentences, folder.encoder, classify, {
      ...folder.window,
      batchSize: BATCH_SIZE,
      onProgress: options.onProgress && ((done, total) => options.onProgress!({ done, total })),
      cancelled: options.cancelled,
    });
  const backend: TagBackend = {
    info,
    ...(folder.verifier ? { verifier: folder.verifier } : {}),
    predict: withCuts(predictAll, folder),
    // every entity with its score and the context check's verdict: the Tag text screen applies the thresholds (its confidence control) and the check (src/app/confidence.ts)
    tag: (text, options) => tagText({ ...backend, predict: predictAll }, text, options),
    dispose: () => loaded.dispose(),
  };
  return backend;
}
