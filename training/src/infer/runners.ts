/**
 * The ways Node runs a token classifier, each a `Runner` for
 * core/src/ner/tagger.ts: a checkpoint's weights (model.safetensors) in the
 * inference graph, the graph `finer export` writes, and an exported ONNX
 * file; both on onnxruntime-node (engine/session.ts).
 */
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { inferenceRunner, sessionOptions, sessionRunner, type Runner } from '../engine/session.ts';
import { HEAD } from '../train/checkpoint.ts';
import { inferenceGraph } from '../model/distilbert.ts';
import { quantizeDynamic } from '../export/quantize.ts';
import { FinerError } from '../util/errors.ts';
import { readModelParams, type ModelFolder } from './model-folder.ts';

export type { Runner } from '../engine/session.ts';

/** The trained checkpoint (model.safetensors) as the exported model runs it: its weights in the inference graph. */
export async function checkpointRunner(folder: ModelFolder, threads?: number): Promise<Runner> {
  return inferenceRunner(folder.config, HEAD, folder.labels.length, await readModelParams(folder), { threads });
}

/**
 * The int8 model a checkpoint's `finer export` would write (the inference
 * graph of its weights, dynamically quantised the same way), built in memory:
 * a training run's int8 predictions, before it is exported.
 */
export async function quantizedRunner(folder: ModelFolder, threads?: number): Promise<Runner> {
  const int8 = quantizeDynamic(inferenceGraph(folder.config, HEAD, folder.labels.length, await readModelParams(folder)).serialize());
  const session = await ort.InferenceSession.create(int8.bytes, sessionOptions({ threads }));
  return sessionRunner(session, folder.labels.length, `${folder.dir} (int8, quantised in memory)`);
}

/** An ONNX file with inputs input_ids / attention_mask and output logits, on onnxruntime-node. */
export async function onnxRunner(path: string, numLabels: number, threads?: number): Promise<Runner> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(await readFile(path), sessionOptions({ threads }));
  } catch (err) {
    throw new FinerError(`${path}: onnxruntime cannot load it (${(err as Error).message.split('\n')[0]}); expected an ONNX model`);
  }
  return sessionRunner(session, numLabels, path);
}
