/**
 * `finer train`: fine-tune (or train from scratch) a DistilBERT token
 * classifier on a FiNER JSONL dataset folder, with checkpoints and --resume.
 */
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type Command, Option } from 'commander';
import { action } from '../util/cli.ts';
import { int, numberFlag } from '../util/flags.ts';
import { checkWindowOptions, defaultStride } from '@finer-lens/core/text/windows.ts';
import { FinerError } from '../util/errors.ts';
import { checkOutDir, checkOutFile } from '../util/output.ts';
import { lockRunFolder } from '../util/run-lock.ts';
import { defaultConfig, validateConfig, type DistilBertConfig } from '../model/config.ts';
import { initParams, paramSpecs } from '../model/params.ts';
import { copyVocabInto, readVocabFile } from '../tokenizer/wordpiece.ts';
import { encodeSentences } from './batch.ts';
import { classifierConfig, HEAD, INIT_HEADS, initFromPretrained, type InitHead, loadCheckpoint, labelsOf, resolveCheckpointDir } from './checkpoint.ts';
import {
  checkRecordedOptions, DEFAULT_TRAIN_CONFIG, INIT_HEAD_EXPECTED, readTrainConfigFile, recordedOptions, TRAIN_CONFIG_FIELDS, type TrainConfig,
} from '../config/train.ts';
import { readTrainingData } from './dataset.ts';
import { writeTrainReport } from './report.ts';
import { train } from './trainer.ts';

/**
 * What `finer train` reads and writes, and the shape of a fresh model: its
 * flags that are not training config (config/train.ts).
 */
export interface TrainInputs {
  data: string;
  out?: string;
  init?: string;
  resume?: string;
  vocabFile?: string;
  report?: string;
  /** Stop after this many steps without a final checkpoint, as a killed run would (tests). */
  stopAfter?: number;
  /** A fresh model's DistilBertConfig fields: a JSON file or an inline object, then the shape flags. */
  config?: string;
  layers?: number;
  dim?: number;
  heads?: number;
  hidden?: number;
  maxPositions?: number;
}

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
 * Run `finer train` on these inputs with this config (messages to stderr); a
 * FinerError says what is wrong. The run folder is locked while this process
 * writes it. A resumed run takes its options from its checkpoint, all but
 * `threads`.
 */
export async function runTrain(f: TrainInputs, c: TrainConfig): Promise<void> {
  if (!f.out && !f.resume) throw new FinerError('--out DIR is required (or --resume DIR to continue a run)');
  // The run folder holds checkpoint-* and `last`; --resume may name it or one of its checkpoints.
  const outDir = f.out ?? (existsSync(join(f.resume!, 'last')) ? f.resume! : dirname(await resolveCheckpointDir(f.resume!)));
  if (!f.resume) await checkOutDir(outDir, { kind: 'train', inputs: [f.data, f.init, f.vocabFile] });
  if (f.report) await checkOutFile(f.report, [f.data], '--report');
  const release = await lockRunFolder(outDir, 'finer train');
  try {
    await trainInFolder(f, c, outDir);
  } finally {
    await release();
  }
}

async function trainInFolder(f: TrainInputs, c: TrainConfig, outDir: string): Promise<void> {
  const resume = f.resume ? await loadCheckpoint(f.resume) : undefined;
  if (resume) checkRecordedOptions(resume.state.options, true); // before anything is read or said
  if (!resume && existsSync(join(outDir, 'last'))) {
    throw new FinerError(`${outDir}: already holds a run (see its "last" file); expected --resume ${outDir} or a new --out folder`);
  }
  const vocabPath = f.vocabFile ?? [f.init, f.resume && outDir].filter(Boolean).map((d) => join(d as string, 'vocab.txt')).find(existsSync);
  if (!vocabPath) throw new FinerError('--vocab-file FILE is required (a BERT vocab.txt), unless --init or --resume names a folder with vocab.txt');
  const tokenizer = await readVocabFile(vocabPath);
  const dataset = await readTrainingData(f.data);
  const options = recordedOptions(c);

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
    const init = await initFromPretrained(f.init, dataset.labels, c.seed, c.initHead);
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
    params = initParams(paramSpecs(config, HEAD, dataset.labels.length), config, c.seed);
  }
  if (tokenizer.size > config.vocab_size) {
    throw new FinerError(`${vocabPath}: ${tokenizer.size} tokens; expected at most the model's vocab_size ${config.vocab_size}`);
  }
  const { maxLength, stride = defaultStride(maxLength) } = resume?.state.options ?? options;
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

  // The run folder gets the vocabulary, so --resume and later steps find it there.
  if (!resume) await copyVocabInto(vocabPath, outDir);
  const started = performance.now();
  const tokensAtStart = resume?.state.tokensSeen ?? 0;
  const result = await train({
    outDir, config, params, train: trainSet.encoded, validation: dataset.validation, encoder: tokenizer, options, resume,
    threads: c.threads, stopAfterSteps: f.stopAfter,
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

/** The flag and help of each config field; its default is DEFAULT_TRAIN_CONFIG's. */
const CONFIG_FLAGS: { readonly [K in keyof TrainConfig]-?: { flag: string; help: string } } = {
  initHead: { flag: '--init-head <how>', help: 'the --init folder\'s classifier: fresh (a new head), or labels (keep the rows of the labels its id2label shares with the data, e.g. the 4 types from a 139-tag model)' },
  epochs: { flag: '--epochs <n>', help: 'passes over the training set' },
  batchSize: { flag: '--batch-size <n>', help: 'sentences per micro-batch' },
  accum: { flag: '--accum <n>', help: 'micro-batches per optimizer step' },
  lr: { flag: '--lr <x>', help: 'peak learning rate' },
  warmupSteps: { flag: '--warmup <n>', help: 'linear warm-up steps' },
  weightDecay: { flag: '--weight-decay <x>', help: 'AdamW decoupled weight decay (not on biases and LayerNorm)' },
  clip: { flag: '--clip <x>', help: 'max global gradient norm (0: off)' },
  maxLength: { flag: '--max-length <n>', help: 'sub-tokens per window, [CLS]/[SEP] included; a longer sentence becomes overlapping windows' },
  stride: { flag: '--stride <n>', help: 'sub-tokens shared by consecutive windows of a long sentence (default: max length / 4)' },
  patience: { flag: '--patience <n>', help: 'stop after n evaluations without a better validation entity F1 (0: never); the run keeps the best model' },
  seed: { flag: '--seed <n>', help: 'seed of initialisation, shuffling and dropout' },
  saveEvery: { flag: '--save-every <n>', help: 'checkpoint every n optimizer steps (and at the end)' },
  evalEvery: { flag: '--eval-every <n>', help: 'also evaluate every n steps (0: only at the end of each epoch)' },
  keep: { flag: '--keep <n>', help: 'checkpoints to keep' },
  bucketBatches: { flag: '--bucket <n>', help: 'batches per length bucket' },
  threads: { flag: '--threads <n>', help: 'onnxruntime intra-op threads' },
};

const initHeadFlag = (flag: string) => (v: string): InitHead => {
  if (!(INIT_HEADS as readonly string[]).includes(v)) throw new FinerError(`${flag} ${v}: ${INIT_HEAD_EXPECTED}`);
  return v as InitHead;
};

/** The commander option of a config field: its flag, help, parser and default. */
function configOption(field: keyof TrainConfig): Option {
  const { flag, help } = CONFIG_FLAGS[field];
  const name = flag.split(' ')[0]!;
  const kind = TRAIN_CONFIG_FIELDS[field];
  const parse: (v: string) => number | InitHead = kind === 'initHead' ? initHeadFlag(name) : numberFlag(kind, name);
  const option = new Option(flag, help).argParser(parse);
  const value = DEFAULT_TRAIN_CONFIG[field];
  return value === undefined ? option : option.default(value);
}

/** The flags that give these config fields on a `finer train` command line, in the order of its --help. */
export function configFlags(c: Partial<TrainConfig>): string[] {
  return (Object.keys(CONFIG_FLAGS) as (keyof TrainConfig)[]).flatMap((field) => {
    const value = c[field];
    return value === undefined ? [] : [CONFIG_FLAGS[field].flag.split(' ')[0]!, `${value}`];
  });
}

/** The config of a command line: the defaults, then --config-file, then the flags given on the line. */
async function configOf(opts: Record<string, unknown>, cmd: Command): Promise<TrainConfig> {
  const file = typeof opts.configFile === 'string' ? await readTrainConfigFile(opts.configFile) : {};
  const given: Record<string, unknown> = {};
  for (const field of Object.keys(CONFIG_FLAGS) as (keyof TrainConfig)[]) {
    const key = new Option(CONFIG_FLAGS[field].flag).attributeName();
    if (cmd.getOptionValueSource(key) === 'cli') given[field] = opts[key];
  }
  return { ...DEFAULT_TRAIN_CONFIG, ...file, ...given };
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train a DistilBERT token classifier on a FiNER JSONL dataset folder (checkpoints: model.safetensors + config.json)')
    .requiredOption('--data <dir>', 'dataset folder: train.jsonl, validation.jsonl, dataset_info.json')
    .option('--out <dir>', 'run folder: checkpoint-<step>/, last, and the final model.safetensors + config.json')
    .option('--init <dir>', 'start from a Hugging Face DistilBERT folder (config.json + model.safetensors)')
    .addOption(configOption('initHead'))
    .option('--resume <dir>', 'continue a run from its last checkpoint (a run folder or a checkpoint-<step> folder)')
    .option('--vocab-file <file>', 'BERT vocab.txt, with the tokenizer.json beside it if any (default: vocab.txt in --init or the resumed run folder)')
    .option('--config <json>', 'model config for a fresh model: JSON file or inline object of DistilBertConfig fields')
    .option('--config-file <json>', 'training options from a JSON file, named as in train.json\'s options (e.g. {"lr": 0.0005, "warmupSteps": 300}); a flag given here overrides the file')
    .option('--layers <n>', 'n_layers of a fresh model', int('--layers'))
    .option('--dim <n>', 'dim of a fresh model', int('--dim'))
    .option('--heads <n>', 'n_heads of a fresh model', int('--heads'))
    .option('--hidden <n>', 'hidden_dim of a fresh model', int('--hidden'))
    .option('--max-positions <n>', 'max_position_embeddings of a fresh model', int('--max-positions'))
    .addOption(configOption('epochs'))
    .addOption(configOption('batchSize'))
    .addOption(configOption('accum'))
    .addOption(configOption('lr'))
    .addOption(configOption('warmupSteps'))
    .addOption(configOption('weightDecay'))
    .addOption(configOption('clip'))
    .addOption(configOption('maxLength'))
    .addOption(configOption('stride'))
    .addOption(configOption('patience'))
    .addOption(configOption('seed'))
    .addOption(configOption('saveEvery'))
    .addOption(configOption('evalEvery'))
    .addOption(configOption('keep'))
    .addOption(configOption('bucketBatches'))
    .addOption(configOption('threads'))
    .option('--report <file>', 'also write a train.json report (curves, evaluations, speed) for the dashboard')
    .option('--stop-after <n>', 'stop after n steps without a final checkpoint, as a killed run would (for testing --resume)', int('--stop-after'))
    .action(action(async (opts: TrainInputs & Record<string, unknown>, cmd: Command) => runTrain(opts, await configOf(opts, cmd))));
}
