/**
 * The ONNX backend: onnxruntime-web on the folder's onnx/model_quantized.onnx
 * (int8, the default) or onnx/model.onnx (fp32), WebGPU when the browser
 * gives an adapter, else WASM; pre- and post-processing are ours
 * (core/src/ner/tagger.ts: windows as in training, length-sorted batches).
 */
import { predictWords, type InputBatch } from '@finer-lens/core/ner/tagger.ts';
import { fetchModelFile, ModelError, ONNX_FILES, readBytes, withCuts, type ModelFolder } from './modelFolder.ts';
import { checkRule } from '@finer-lens/core/ner/verifier.ts';
import { nextTask, runtime, wasmThreads, webgpuUnavailable, type Ort, type Provider } from './ort.ts';
import { tagText } from '@finer-lens/core/ner/tagText.ts';
import type { OnDownload, Precision, ProviderInfo, TagBackend, WebgpuFallback, WordPredictor } from '@finer-lens/core/ner/types.ts';

/** Windows per model call: sorted by length, 8 keeps padding low and measured fastest on WASM (issue 7). */
export const BATCH_SIZE = 8;

type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

interface Loaded {
  ort: Ort;
  session: Session;
}

async function createSession(model: Uint8Array, provider: Provider, where: string): Promise<Loaded> {
  const ort = await runtime(provider);
  const session = await ort.InferenceSession.create(model, { executionProviders: [provider], graphOptimizationLevel: 'all' });
  for (const name of ['input_ids', 'attention_mask']) {
    if (!session.inputNames.includes(name)) throw new ModelError(`${where}: no input "${name}"; expected inputs input_ids and attention_mask`);
  }
  if (!session.outputNames.includes('logits')) throw new ModelError(`${where}: no output "logits"; expected a token-classification model`);
  return { ort, session };
}

export function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

/** `onDownload`: the ONNX file's bytes as they arrive (it is most of the load). */
export async function loadOnnxBackend(folder: ModelFolder, precision: Precision, useWebgpu = true, onDownload?: OnDownload): Promise<TagBackend> {
  const started = performance.now();
  const modelFile = ONNX_FILES[precision];
  const where = `models/${folder.name}/${modelFile}`;
  const model = await readBytes(await fetchModelFile(folder.url, modelFile, `${precision} ONNX model`), modelFile, onDownload);

  let fallback: WebgpuFallback | undefined = useWebgpu ? await webgpuUnavailable() : undefined;
  let loaded: Loaded | undefined;
  if (useWebgpu && fallback === undefined) {
    try {
      loaded = await createSession(model, 'webgpu', where);
    } catch (err) {
      if (err instanceof ModelError) throw err;
      fallback = { reason: 'failed', detail: `WebGPU failed to load the model (${firstLine(err)})` };
    }
  }
  if (loaded === undefined) {
    try {
      loaded = await createSession(model, 'wasm', where);
    } catch (err) {
      if (err instanceof ModelError) throw err;
      throw new ModelError(`${where}: onnxruntime-web cannot load it (${firstLine(err)}); expected an ONNX token-classification model`);
    }
  }
  let current = loaded;
  const info: ProviderInfo = {
    backend: 'onnx',
    precision,
    provider: useWebgpu && fallback === undefined ? 'webgpu' : 'wasm',
    threads: wasmThreads(),
    model: folder.name,
    modelFile,
    loadMs: performance.now() - started,
    ...(fallback !== undefined ? { fallback } : {}),
    ...(folder.thresholds ? { thresholds: folder.thresholds } : {}),
    ...(folder.verifier ? { contextCheck: checkRule(folder.verifier) } : {}),
  };

  const numLabels = folder.labels.length;
  const run = async (b: InputBatch): Promise<Float32Array> => {
    await nextTask(); // a cancel message can arrive between two batches
    const dims = [b.batchSize, b.seqLen];
    const feed = ({ ort }: Loaded) => ({
      input_ids: new ort.Tensor('int64', b.inputIds, dims),
      attention_mask: new ort.Tensor('int64', b.attentionMask, dims),
    });
    let out: Awaited<ReturnType<Session['run']>>;
    try {
      out = await current.session.run(feed(current));
    } catch (err) {
      if (info.provider !== 'webgpu') throw err;
      // WebGPU failed at run time: this call and every later one run on WASM
      await current.session.release().catch(() => {});
      current = await createSession(model, 'wasm', where);
      info.provider = 'wasm';
      info.fallback = { reason: 'failed', detail: `WebGPU failed while running (${firstLine(err)})` };
      out = await current.session.run(feed(current));
    }
    const logits = out.logits!;
    if (logits.dims.at(-1) !== numLabels) {
      throw new ModelError(`${where}: the model gives ${logits.dims.at(-1)} logits per sub-token; config.json's id2label has ${numLabels} labels`);
    }
    return logits.data as Float32Array;
  };

  const predictAll: WordPredictor['predict'] = (sentences, options = {}) =>
    predictWords(sentences, folder.encoder, folder.labels, run, {
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
    dispose: () => current.session.release(),
  };
  return backend;
}
