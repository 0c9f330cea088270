/**
 * `finer train`: fine-tune (or train from scratch) a DistilBERT token
 * classifier on a FiNER JSONL dataset folder, with checkpoints and --resume.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { action } from '../util/cli.ts';
import { int, num, positiveInt } from '../util/flags.ts';
import { checkWindowOptions } from '@finer-lens/core/text/windows.ts';
import { FinerError } from '../util/errors.ts';
import { checkOutDir, checkOutFile } from '../util/output.ts';
import { lockRunFolder } from '../util/run-lock.ts';
import { defaultConfig, validateConfig, type DistilBertConfig } from '../model/config.ts';
import { initParams, paramSpecs } from '../model/params.ts';
import { copyVocabInto, readVocabFile } from '../tokenizer/wordpiece.ts';
import { encodeSentences } from './batch.ts';
import { numberAugmenter } from './augment.ts';
import { classifierConfig, HEAD, INIT_HEADS, initFromPretrained, type InitHead, loadCheckpoint, labelsOf, resolveCheckpointDir, type TrainOptions } from './checkpoint.ts';
import { readTrainingData } from './dataset.ts';
import { writeTrainReport } from './report.ts';
import { train } from './trainer.ts';

/** The flags of `finer train`, as commander parses them (also what `finer adapt` runs it with). */
export interface TrainFlags {
  data: string;
  out?: string;
  init?: string;
  initHead: string;
  resume?: string;
  vocabFile?: string;
  config?: string;
  layers?: number;
  dim?: number;
  heads?: number;
  hidden?: number;
  maxPositions?: number;
  epochs: number;
  batchSize: number;
  lr: number;
  warmup: number;
  weightDecay: number;
  clip: number;
  accum: number;
  maxLength: number;
  stride?: number;
  patience: number;
  seed: number;
  saveEvery: number;
  evalEvery: number;
  keep: number;
  bucket: number;
  augmentNumbers: number;
  threads?: number;
  stopAfter?: number;
  report?: string;
}

/** The defaults of `finer train`'s flags. */
export const TRAIN_DEFAULTS = {
  initHead: 'fresh', epochs: 3, batchSize: 16, accum: 1, lr: 5e-5, warmup: 0, weightDecay: 0.01, clip: 1.0, maxLength: 128,
  patience: 0, seed: 42, saveEvery: 500, evalEvery: 0, keep: 2, bucket: 100, augmentNumbers: 0,
} as const satisfies Partial<TrainFlags>;

/** --config: a JSON file or inline JSON object of DistilBertConfig fields. */
async function configOverrides(arg: string | undefined): Promise<Partial<DistilBertConfig>> {
  if (!arg) return {};
  const text = arg.trim().startsWith('{') ? arg : await readFile(arg, 'utf8').catch(() => {
    throw new FinerError(`--config ${arg}: cannot read file; expected a JSON file or an inline JSON object`);
  });
  try {
    return JSON.parse(text) as Partial<DistilBertConfig>;
  } catch (err) {
    throw new FinerError(`--config ${arg}: not valid JSON (${(err as Error).message})`);
  }
}

/**
 * Run `finer train` with these flags (messages to stderr); a FinerError says
 * what is wrong. The run folder is locked while this process writes it.
 */
export async function runTrain(f: TrainFlags): Promise<void> {
  if (!f.out && !f.resume) throw new FinerError('--out DIR is required (or --resume DIR to continue a run)');
  if (!(INIT_HEADS as readonly string[]).includes(f.initHead)) {
    throw new FinerError(`--init-head ${f.initHead}: expected "fresh" (a new classifier) or "labels" (keep the --init model's rows of the labels it shares with the data)`);
  }
  // The run folder holds checkpoint-* and `last`; --resume may name it or one of its checkpoints.
  const outDir = f.out ?? (existsSync(join(f.resume!, 'last')) ? f.resume! : dirname(await resolveCheckpointDir(f.resume!)));
  if (!f.resume) await checkOutDir(outDir, { kind: 'train', inputs: [f.data, f.init, f.vocabFile] });
  if (f.report) await checkOutFile(f.report, [f.data], '--report');
  const release = await lockRunFolder(outDir, 'finer train');
  try {
    await trainInFolder(f, outDir);
  } finally {
    await release();
  }
}

async function trainInFolder(f: TrainFlags, outDir: string): Promise<void> {
  const resume = f.resume ? await loadCheckpoint(f.resume) : undefined;
  if (!resume && existsSync(join(outDir, 'last'))) {
    throw new FinerError(`${outDir}: already holds a run (see its "last" file); expected --resume ${outDir} or a new --out folder`);
  }
  const vocabPath = f.vocabFile ?? [f.init, f.resume && outDir].filter(Boolean).map((d) => join(d as string, 'vocab.txt')).find(existsSync);
  if (!vocabPath) throw new FinerError('--vocab-file FILE is required (a BERT vocab.txt), unless --init or --resume names a folder with vocab.txt');
  const tokenizer = await readVocabFile(vocabPath);
  const dataset = await readTrainingData(f.data);

  const options: TrainOptions = {
    epochs: f.epochs, batchSize: f.batchSize, accum: f.accum, lr: f.lr, warmupSteps: f.warmup,
    weightDecay: f.weightDecay, clip: f.clip, maxLength: f.maxLength, stride: f.stride ?? Math.floor(f.maxLength / 4), seed: f.seed,
    patience: f.patience,
    saveEvery: f.saveEvery, evalEvery: f.evalEvery, keep: f.keep, bucketBatches: f.bucket, augmentNumbers: f.augmentNumbers,
  };

  // --- the model to start from: a checkpoint, a pretrained folder, or fresh weights
  let config: DistilBertConfig;
  let params: Map<string, Float32Array>;
  if (resume) {
    process.stderr.write(
      `resuming ${f.resume} at step ${resume.state.step}/${resume.state.totalSteps}; model and hyper-parameters come from its checkpoint\n`,
    );
    config = resume.config;
    params = resume.params;
    const labels = labelsOf(config, join(f.resume!, 'config.json'));
    if (labels.join('\n') !== dataset.labels.join('\n')) {
      throw new FinerError(`${f.data}: labels differ from the checkpoint's id2label; expected the same ${labels.length} labels`);
    }
  } else if (f.init) {
    const init = await initFromPretrained(f.init, dataset.labels, f.seed, f.initHead as InitHead);
    ({ config, params } = init);
    const head = init.transferred.length > 0 ? `classifier rows of ${init.transferred.length}/${dataset.labels.length} labels kept from its head; ` : '';
    const ignored = init.unused.length === 0 ? 'no tensor ignored' : `ignored ${init.unused.length} tensors (${init.unused.slice(0, 4).join(', ')}${init.unused.length > 4 ? ', ...' : ''})`;
    process.stderr.write(`init from ${f.init}: ${head}fresh ${init.fresh.join(', ') || 'nothing'}; ${ignored}\n`);
  } else {
    const overrides: Partial<DistilBertConfig> = { ...(await configOverrides(f.config)) };
    if (f.layers !== undefined) overrides.n_layers = f.layers;
    if (f.dim !== undefined) overrides.dim = f.dim;
    if (f.heads !== undefined) overrides.n_heads = f.heads;
    if (f.hidden !== undefined) overrides.hidden_dim = f.hidden;
    if (f.maxPositions !== undefined) overrides.max_position_embeddings = f.maxPositions;
    const base = validateConfig(defaultConfig({ ...overrides, vocab_size: tokenizer.size, pad_token_id: tokenizer.pad }), '--config/flags');
    config = classifierConfig(base, dataset.labels);
    params = initParams(paramSpecs(config, HEAD, dataset.labels.length), config, f.seed);
  }
  if (tokenizer.size > config.vocab_size) {
    throw new FinerError(`${vocabPath}: ${tokenizer.size} tokens; expected at most the model's vocab_size ${config.vocab_size}`);
  }
  const { maxLength, stride = Math.floor(maxLength / 4) } = resume?.state.options ?? options;
  checkWindowOptions({ maxLength, stride }, '--max-length/--stride');
  if (maxLength > config.max_position_embeddings) {
    throw new FinerError(`--max-length ${maxLength} exceeds the model's max_position_embeddings ${config.max_position_embeddings}; expected at most that`);
  }

  // --- sub-tokens and aligned labels
  const encode = (sentences: typeof dataset.train, where: string) => {
    const r = encodeSentences(sentences, tokenizer, { maxLength, stride, vocabSize: config.vocab_size, where });
    if (r.windowed > 0) {
      process.stderr.write(`${where}: ${r.windowed} of ${sentences.length} sentences longer than ${maxLength} sub-tokens became ${r.windows} windows (stride ${stride})\n`);
    }
    return r;
  };
  const trainSet = encode(dataset.train, join(f.data, 'train.jsonl'));
  encode(dataset.validation, join(f.data, 'validation.jsonl')); // its checks and message; the trainer tags the whole sentences
  // used only when the run's options (a resumed run: its checkpoint's) set --augment-numbers
  const augment = numberAugmenter(dataset.train, trainSet, tokenizer, { maxLength, stride, outside: dataset.labels.indexOf('O') });

  // The run folder gets the vocabulary, so --resume and later steps find it there.
  if (!resume) await copyVocabInto(vocabPath, outDir);
  const started = performance.now();
  const tokensAtStart = resume?.state.tokensSeen ?? 0;
  const result = await train({
    outDir, config, params, train: trainSet.encoded, validation: dataset.validation, encoder: tokenizer, options, resume, augment,
    threads: f.threads, stopAfterSteps: f.stopAfter,
  });
  // --resume on a finished run trains nothing: its report (curves, speed) stays the one the training wrote
  const trainedNow = !resume || result.state.step > resume.state.step;
  if (f.report && !trainedNow) {
    process.stderr.write(`${outDir}: the run had already finished (step ${result.state.step}/${result.state.totalSteps}); nothing trained, ${f.report} left as it was\n`);
  } else if (f.report) {
    await writeTrainReport(f.report, {
      config, state: result.state, wallSeconds: (performance.now() - started) / 1000,
      tokensThisRun: result.state.tokensSeen - tokensAtStart,
      parameters: [...result.params.values()].reduce((n, p) => n + p.length, 0),
    });
  }
  const last = result.state.evals.at(-1);
  process.stderr.write(
    `trained ${result.state.step}/${result.state.totalSteps} steps; ` +
      (last ? `eval loss ${last.loss.toFixed(4)}, token accuracy ${last.accuracy.toFixed(4)}; ` : '') +
      `model in ${outDir}\n`,
  );
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a DistilBERT token classifier on a FiNER JSONL dataset folder (checkpoints: model.safetensors + config.json)')
    .requiredOption('--data <dir>', 'dataset folder: train.jsonl, validation.jsonl, dataset_info.json')
    .option('--out <dir>', 'run folder: checkpoint-<step>/, last, and the final model.safetensors + config.json')
    .option('--init <dir>', 'start from a Hugging Face DistilBERT folder (config.json + model.safetensors)')
    .option('--init-head <how>', 'the --init folder\'s classifier: fresh (a new head), or labels (keep the rows of the labels its id2label shares with the data, e.g. the 4 types from a 139-tag model)', TRAIN_DEFAULTS.initHead)
    .option('--resume <dir>', 'continue a run from its last checkpoint (a run folder or a checkpoint-<step> folder)')
    .option('--vocab-file <file>', 'BERT vocab.txt, with the tokenizer.json beside it if any (default: vocab.txt in --init or the resumed run folder)')
    .option('--config <json>', 'model config for a fresh model: JSON file or inline object of DistilBertConfig fields')
    .option('--layers <n>', 'n_layers of a fresh model', int('--layers'))
    .option('--dim <n>', 'dim of a fresh model', int('--dim'))
    .option('--heads <n>', 'n_heads of a fresh model', int('--heads'))
    .option('--hidden <n>', 'hidden_dim of a fresh model', int('--hidden'))
    .option('--max-positions <n>', 'max_position_embeddings of a fresh model', int('--max-positions'))
    .option('--epochs <n>', 'passes over the training set', int('--epochs'), TRAIN_DEFAULTS.epochs)
    .option('--batch-size <n>', 'sentences per micro-batch', positiveInt('--batch-size'), TRAIN_DEFAULTS.batchSize)
    .option('--accum <n>', 'micro-batches per optimizer step', int('--accum'), TRAIN_DEFAULTS.accum)
    .option('--lr <x>', 'peak learning rate', num('--lr'), TRAIN_DEFAULTS.lr)
    .option('--warmup <n>', 'linear warm-up steps', int('--warmup'), TRAIN_DEFAULTS.warmup)
    .option('--weight-decay <x>', 'AdamW decoupled weight decay (not on biases and LayerNorm)', num('--weight-decay'), TRAIN_DEFAULTS.weightDecay)
    .option('--clip <x>', 'max global gradient norm (0: off)', num('--clip'), TRAIN_DEFAULTS.clip)
    .option('--max-length <n>', 'sub-tokens per window, [CLS]/[SEP] included; a longer sentence becomes overlapping windows', int('--max-length'), TRAIN_DEFAULTS.maxLength)
    .option('--stride <n>', 'sub-tokens shared by consecutive windows of a long sentence (default: max length / 4)', int('--stride'))
    .option('--patience <n>', 'stop after n evaluations without a better validation entity F1 (0: never); the run keeps the best model', int('--patience'), TRAIN_DEFAULTS.patience)
    .option('--seed <n>', 'seed of initialisation, shuffling and dropout', int('--seed'), TRAIN_DEFAULTS.seed)
    .option('--save-every <n>', 'checkpoint every n optimizer steps (and at the end)', int('--save-every'), TRAIN_DEFAULTS.saveEvery)
    .option('--eval-every <n>', 'also evaluate every n steps (0: only at the end of each epoch)', int('--eval-every'), TRAIN_DEFAULTS.evalEvery)
    .option('--keep <n>', 'checkpoints to keep', int('--keep'), TRAIN_DEFAULTS.keep)
    .option('--bucket <n>', 'batches per length bucket', int('--bucket'), TRAIN_DEFAULTS.bucket)
    .option('--augment-numbers <p>', 'replace each entity number of a training window, with probability p per epoch, by a random number of the same shape (0: off)', num('--augment-numbers'), TRAIN_DEFAULTS.augmentNumbers)
    .option('--threads <n>', 'onnxruntime intra-op threads', int('--threads'))
    .option('--report <file>', 'also write a train.json report (curves, evaluations, speed) for the dashboard')
    .option('--stop-after <n>', 'stop after n steps without a final checkpoint, as a killed run would (for testing --resume)', int('--stop-after'))
    .action(action(runTrain));
}
