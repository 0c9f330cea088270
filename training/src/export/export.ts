/**
 * `finer export --model RUN --out DIR`: a training run -> the Hugging Face
 * model folder that transformers.js and Python `transformers` load unchanged:
 *
 *   config.json                DistilBertForTokenClassification, id2label, label2id, torch_dtype float16 (+ our window)
 *   tokenizer.json vocab.txt tokenizer_config.json special_tokens_map.json
 *   model.safetensors          the trained weights (HF names) in F16
 *   onnx/model.onnx            fp32: input_ids, attention_mask [batch, seq] -> logits [batch, seq, labels];
 *                              derived from the F16 weights, not kept in git (layout.ts)
 *   onnx/model_quantized.onnx  int8 weights, dynamically quantised matrix multiplies, from the trained F32 weights
 *   README.md                  the model card
 *
 * The ONNX graph is the training engine's own forward graph with the weights
 * as initialisers, so training and serving cannot drift apart.
 */
import { copyFile } from "node:fs/promises";
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import { inferenceGraph } from '../model/distilbert.ts';
import { paramSpecs } from '../model/params.ts';
import { openModelFolder, readJsonFile, readModelParams, type ModelFolder } from '../infer/model-folder.ts';
import { writeTokenizerFiles } from '../tokenizer/train-vocab.ts';
import { HEAD, tensors, trainerStatePath, type TrainerState } from '../train/checkpoint.ts';
import { serializeSafetensors } from '../train/safetensors.ts';
import { FinerError } from '../util/errors.ts';
import { writeDirAtomic, writeFileAtomic } from '../util/atomic.ts';
import { checkOutDir, type OutputGuard } from '../util/output.ts';
import { quantizeDynamic } from './quantize.ts';
import { modelCard, type CardFacts } from './card.ts';
import { readThresholds } from '../eval/thresholds.ts';
import { THRESHOLDS_FILE } from '@finer-lens/core/ner/thresholds.ts';
import { VERIFIER_FILE } from '@finer-lens/core/ner/verifier.ts';
import { readVerifier } from '../verifier/read.ts';
import { ADAPT_FILE } from '../adapt/record.ts';
import { trainCompanies, writeTrainCompanies } from './train-companies.ts';
import { deriveFolder, FP32_ONNX, INT8_ONNX, WEIGHTS_DTYPE } from './layout.ts';
import { defaultStride } from '@finer-lens/core/text/windows.ts';

export interface ExportResult { out: string; fp32Bytes: number; int8Bytes: number; quantized: number }

/** The run's training options (window, epochs...) from its newest checkpoint, if it has one. */
async function trainerState(runDir: string): Promise<TrainerState | undefined> {
  const path = await trainerStatePath(runDir);
  return path ? ((await readJsonFile(path, 'trainer state')) as TrainerState) : undefined;
}

/** Where the train companies come from: the run's `finer ixbrl` dataset (or a subset of it) and the filings it was built from. */
export interface TrainDataSource { data: string; filings: string }

/** The largest finite F16 value. */
const F16_MAX = 65504;

/** The trained weights as model.safetensors in F16; a weight beyond F16's range is refused rather than written as infinity. */
function halfWeights(params: Map<string, Float32Array>, folder: ModelFolder): Uint8Array {
  for (const [name, values] of params) {
    const i = values.findIndex((v) => !(Math.abs(v) <= F16_MAX));
    if (i >= 0) throw new FinerError(`${join(folder.dir, 'model.safetensors')}: tensor "${name}" holds ${values[i]} at index ${i}; expected weights within F16's range (|w| <= ${F16_MAX}), which the exported model.safetensors is written in`);
  }
  return serializeSafetensors(tensors(paramSpecs(folder.config, HEAD, folder.labels.length), params), { format: 'pt' }, { dtype: 'F16' });
}

export async function exportModel(runDir: string, out: string, facts: Omit<CardFacts, 'name' | 'config' | 'labels' | 'state' | 'sizes' | 'adapt' | 'thresholds' | 'verifier'> & { name?: string } = {}, force = false, trainData?: TrainDataSource): Promise<ExportResult> {
  const guard: OutputGuard = { kind: 'export', inputs: [runDir], force };
  await checkOutDir(out, guard);
  const folder = await openModelFolder(runDir, { needWeights: true });
  // a `finer adapt` run: the card says what it was adapted from and to, and the record travels with the model
  const adaptPath = join(runDir, ADAPT_FILE);
  const adapt = existsSync(adaptPath) ? (await readJsonFile(adaptPath, 'adaptation record (finer adapt)')) as CardFacts['adapt'] : undefined;
  // per-type score thresholds (`finer thresholds`) travel with the model; readThresholds checks them against its labels
  const thresholdsPath = join(runDir, THRESHOLDS_FILE);
  const thresholds = (await readThresholds(folder)) ? (await readJsonFile(thresholdsPath, 'per-type score thresholds (finer thresholds)')) as CardFacts['thresholds'] : undefined;
  // the train-split companies, for the app's "seen in training" (train-companies.json); read before anything is written
  // the context check (`finer verifier`) travels with the model too, after its thresholds
  const verifierPath = join(runDir, VERIFIER_FILE);
  const verifier = (await readVerifier(folder)) ? (await readJsonFile(verifierPath, 'context check (finer verifier)')) as CardFacts['verifier'] : undefined;
  const companies = trainData ? await trainCompanies(trainData.data, trainData.filings) : undefined;
  const params = await readModelParams(folder);
  const state = await trainerState(runDir);
  const maxLength = state?.options.maxLength ?? folder.window.maxLength;
  const window = { max_length: maxLength, stride: state?.options.stride ?? defaultStride(maxLength) };
  const config = { ...folder.config, architectures: ['DistilBertForTokenClassification'], torch_dtype: WEIGHTS_DTYPE, finer_lens: window };
  const weights = halfWeights(params, folder);
  // int8 from the trained F32 weights (the fp32 ONNX is derived from the F16 ones: deriveFolder below)
  const int8 = quantizeDynamic(inferenceGraph(folder.config, HEAD, folder.labels.length, params).serialize());
  let fp32Bytes = 0;
  const name = facts.name ?? out.replace(/\/+$/, '').split('/').at(-1)!;
  await writeDirAtomic(out, async (tmp) => {
    await writeFileAtomic(join(tmp, 'config.json'), JSON.stringify(config, null, 2) + '\n');
    await writeTokenizerFiles(tmp, { tokens: folder.encoder.tokens(), modelMaxLength: folder.config.max_position_embeddings });
    // the run's own tokenizer.json (its normalizer, e.g. number shapes) replaces the plain one; its vocab is vocab.txt's (openModelFolder checked)
    if (existsSync(join(runDir, 'tokenizer.json'))) await copyFile(join(runDir, 'tokenizer.json'), join(tmp, 'tokenizer.json'));
    await writeFileAtomic(join(tmp, 'model.safetensors'), weights);
    if (adapt) await copyFile(adaptPath, join(tmp, ADAPT_FILE));
    if (thresholds) await copyFile(thresholdsPath, join(tmp, THRESHOLDS_FILE));
    if (verifier) await copyFile(verifierPath, join(tmp, VERIFIER_FILE));
    if (companies) await writeTrainCompanies(tmp, companies);
    await writeFileAtomic(join(tmp, INT8_ONNX), int8.bytes);
    // the same step as `finer derive`, so the folder is whole at once and its fp32 file is the one a build writes
    await deriveFolder(tmp);
    fp32Bytes = (await stat(join(tmp, FP32_ONNX))).size;
    const card = modelCard({ ...facts, name, config: folder.config, labels: folder.labels, state, adapt, thresholds, verifier, sizes: { weights: weights.length, fp32: fp32Bytes, int8: int8.bytes.length } });
    await writeFileAtomic(join(tmp, 'README.md'), card);
  }, guard);
  return { out, fp32Bytes, int8Bytes: int8.bytes.length, quantized: int8.quantized.length };
}

