/**
 * The ways Node runs a token classifier, each a `LogitsRunner` for
 * core/src/ner/tagger.ts: the checkpoint on the training engine (the evaluation
 * graph with the parameters as inputs), and an exported ONNX file on
 * onnxruntime-node.
 */
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import type { InputBatch, LogitsRunner } from '@finer-lens/core/ner/tagger.ts';
import { createTrainingStep } from '../model/step.ts';
import { HEAD } from '../train/checkpoint.ts';
import { IGNORE } from '../train/batch.ts';
import { FinerError } from '../util/errors.ts';
import { readModelParams, type ModelFolder } from './model-folder.ts';

export interface Runner { run: LogitsRunner; release(): Promise<void> }

/** The trained checkpoint (model.safetensors) through the training engine's forward graph. */
export async function checkpointRunner(folder: ModelFolder, threads?: number): Promise<Runner> {
  const params = await readModelParams(folder);
  const step = await createTrainingStep(folder.config, HEAD, folder.labels.length, { dropoutSeed: 0, threads });
  return {
    run: (b: InputBatch) => step.logits(params, { ...b, labels: new BigInt64Array(b.inputIds.length).fill(BigInt(IGNORE)) }),
    release: () => step.release(),
  };
}

/** Session options tuned for inference on this machine's cores: all optimisations, threads that block. */
export function inferenceOptions(threads?: number): ort.InferenceSession.SessionOptions {
  return {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads ?? availableParallelism(),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  };
}

/** An ONNX file with inputs input_ids / attention_mask and output logits, on onnxruntime-node. */
export async function onnxRunner(path: string, numLabels: number, threads?: number): Promise<Runner> {
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(await readFile(path), inferenceOptions(threads));
  } catch (err) {
    throw new FinerError(`${path}: onnxruntime cannot load it (${(err as Error).message.split('\n')[0]}); expected an ONNX model`);
  }
  for (const name of ['input_ids', 'attention_mask']) {
    if (!session.inputNames.includes(name)) throw new FinerError(`${path}: no input "${name}"; expected inputs input_ids and attention_mask`);
  }
  if (!session.outputNames.includes('logits')) throw new FinerError(`${path}: no output "logits"; expected a token-classification model`);
  return {
    async run(b) {
      const dims = [b.batchSize, b.seqLen];
      const out = await session.run({ input_ids: new ort.Tensor('int64', b.inputIds, dims), attention_mask: new ort.Tensor('int64', b.attentionMask, dims) });
      const logits = out.logits!;
      if (logits.dims.at(-1) !== numLabels) {
        throw new FinerError(`${path}: the model gives ${logits.dims.at(-1)} logits per sub-token; config.json's id2label has ${numLabels} labels`);
      }
      return logits.data as Float32Array;
    },
    release: () => session.release(),
  };
}
