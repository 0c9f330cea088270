/**
 * onnxruntime-node sessions, the one place their options are decided: the
 * training steps (step.ts) and inference (`inferenceRunner`) run on them.
 *
 * Inference runs the graph `finer export` writes as onnx/model.onnx
 * (`inferenceGraph` with the weights as initialisers), whether the weights
 * come from a checkpoint, a run's best model or the trainer's current
 * parameters: every model is tagged through one graph and one path
 * (core/src/ner/tagger.ts `predictWords`).
 */
import { availableParallelism } from 'node:os';
import * as ort from 'onnxruntime-node';
import type { InputBatch, LogitsRunner } from '@finer-lens/core/ner/tagger.ts';
import type { DistilBertConfig } from '../model/config.ts';
import type { Head } from '../model/params.ts';
import { inferenceGraph } from '../model/distilbert.ts';
import { FinerError } from '../util/errors.ts';

export interface SessionSettings {
  /** onnxruntime intra-op threads (default: all cores). */
  threads?: number;
  /**
   * Let onnxruntime's worker threads spin between kernels (default false: on this project's 2 shared cores,
   * blocking won 6 of 7 back-to-back pairs and tied when the cores were free; training/bench/NOTES.md).
   */
  spinning?: boolean;
  /** File prefix for an onnxruntime profile of the session (bench/ort-profile.ts summarises it). */
  profile?: string;
}

/** All graph optimisations, one sequential executor, threads that block unless `spinning`. */
export function sessionOptions(s: SessionSettings = {}): ort.InferenceSession.SessionOptions {
  return {
    ...(s.profile ? { enableProfiling: true, profileFilePrefix: s.profile } : {}),
    graphOptimizationLevel: 'all',
    intraOpNumThreads: s.threads ?? availableParallelism(),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    extra: { session: { intra_op: { allow_spinning: s.spinning ? '1' : '0' } } },
  };
}

/** A model the tagger runs, and the session behind it to release. */
export interface Runner { run: LogitsRunner; release(): Promise<void> }

/**
 * A session with inputs input_ids / attention_mask [batch, seq] and output
 * logits [batch, seq, classes] as a Runner; `where` names the model in errors.
 */
export function sessionRunner(session: ort.InferenceSession, classes: number, where: string): Runner {
  for (const name of ['input_ids', 'attention_mask']) {
    if (!session.inputNames.includes(name)) throw new FinerError(`${where}: no input "${name}"; expected inputs input_ids and attention_mask`);
  }
  if (!session.outputNames.includes('logits')) throw new FinerError(`${where}: no output "logits"; expected a token-classification model`);
  return {
    async run(b: InputBatch) {
      const dims = [b.batchSize, b.seqLen];
      const out = await session.run({ input_ids: new ort.Tensor('int64', b.inputIds, dims), attention_mask: new ort.Tensor('int64', b.attentionMask, dims) });
      const logits = out.logits!;
      if (logits.dims.at(-1) !== classes) {
        throw new FinerError(`${where}: the model gives ${logits.dims.at(-1)} logits per sub-token; config.json's id2label has ${classes} labels`);
      }
      return logits.data as Float32Array;
    },
    release: () => session.release(),
  };
}

/**
 * The inference graph with `params` as its initialisers, the bytes `finer
 * export` writes as onnx/model.onnx, on onnxruntime-node.
 *   logits: [batch, seq, classes] (classes: the labels, or the vocabulary for the MLM head)
 */
export async function inferenceRunner(
  config: DistilBertConfig, head: Head, numLabels: number, params: ReadonlyMap<string, Float32Array>, settings: SessionSettings = {},
): Promise<Runner> {
  const graph = inferenceGraph(config, head, numLabels, params).serialize();
  const session = await ort.InferenceSession.create(graph, sessionOptions(settings));
  return sessionRunner(session, head === 'mlm' ? config.vocab_size : numLabels, 'model.safetensors in the inference graph');
}
