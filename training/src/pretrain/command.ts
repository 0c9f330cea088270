/**
 * `finer pretrain`: masked-language-model pretraining of the DistilBERT
 * encoder on the prose of a dataset folder's train split, with a budget in
 * sub-tokens or minutes, checkpoints and --resume; writes `<out>/encoder/`,
 * the folder `finer train --init` starts from. A lab experiment runs its own
 * objective through the same command (`runPretrain` with a `PretrainPlugin`,
 * `addPretrainOptions`: lab/src/electra).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { action } from '../util/cli.ts';
import { int, num, positiveInt } from '../util/flags.ts';
import { FinerError } from '../util/errors.ts';
import { checkOutDir } from '../util/output.ts';
import { lockRunFolder } from '../util/run-lock.ts';
import { defaultConfig, validateConfig, type DistilBertConfig } from '../model/config.ts';
import { initParams, paramSpecs } from '../model/params.ts';
import { copyVocabInto, readVocabFile } from '../tokenizer/wordpiece.ts';
import { resolveCheckpointDir } from '../train/checkpoint.ts';
import { readCorpus } from './corpus.ts';
import {
  ENCODER, initFromEncoder, loadPretrainCheckpoint, lossSummary, maskedLmConfig, MLM, rowsAlreadyRead,
  type InitRecord, type PretrainCheckpoint, type PretrainOptions, type PretrainState,
} from './checkpoint.ts';
import type { ObjectiveFactory } from './objective.ts';
import { checkPretrainOptions, pretrain } from './pretrainer.ts';

/**
 * An objective a lab experiment pretrains with through this command
 * (lab/src/electra): its name in the run's state, the model it pretrains
 * made from the encoder, and its objective.
 */
export interface PretrainPlugin {
  kind: string;
  /**
   * A new run: from the encoder (fresh or --init, DistilBertForMaskedLM), the
   * model pretrained, the objective, options recorded with the run's, and a
   * line for stderr.
   */
  start(encoder: { config: DistilBertConfig; params: Map<string, Float32Array> }, opts: { seed: number; weightDecay: number }): {
    config: DistilBertConfig; params: Map<string, Float32Array>; create: ObjectiveFactory; options?: Partial<PretrainOptions>; note?: string;
  };
  /** A resumed run: its objective, from the checkpoint. */
  resume(ck: PretrainCheckpoint): Promise<ObjectiveFactory>;
  /** The final line's losses (default: "loss x"). */
  losses?(state: PretrainState): string;
}

export interface PretrainFlags {
  data?: string;
  out?: string;
  vocabFile?: string;
  init?: string;
  resume?: string;
  layers: number;
  dim: number;
  heads: number;
  hidden: number;
  maxPositions: number;
  budgetTokens?: number;
  budgetMinutes?: number;
  batchSize: number;
  accum: number;
  lr: number;
  warmup?: number;
  weightDecay: number;
  clip: number;
  maxLength: number;
  maskRate: number;
  numberMaskRate?: number;
  seed: number;
  saveEvery: number;
  keep: number;
  maxSentences?: number;
  threads?: number;
  stopAfter?: number;
}

/** 12345 -> "12345", 12345678 -> "12.35M". */
const count = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : String(n));

/** `finer pretrain` (with `plugin`, a lab experiment's objective): the run folder is locked while this process writes it. */
export async function runPretrain(f: PretrainFlags, plugin?: PretrainPlugin): Promise<void> {
  if (f.init && f.resume) throw new FinerError('--init and --resume: expected one of them (--resume continues a run; --init starts a new one from an encoder)');
  if (!f.out && !f.resume) throw new FinerError('--out DIR is required (or --resume DIR to continue a run)');
  const outDir = f.out ?? (existsSync(join(f.resume!, 'last')) ? f.resume! : dirname(await resolveCheckpointDir(f.resume!)));
  if (!f.resume) await checkOutDir(outDir, { kind: 'pretrain', inputs: [f.data, f.init, f.vocabFile] });
  const release = await lockRunFolder(outDir, 'finer pretrain');
  try {
    await pretrainInFolder(f, outDir, plugin);
  } finally {
    await release();
  }
}

async function pretrainInFolder(f: PretrainFlags, outDir: string, plugin?: PretrainPlugin): Promise<void> {
  const kind = plugin?.kind ?? MLM;
  const resume = f.resume ? await loadPretrainCheckpoint(f.resume) : undefined;
  if (resume && resume.state.objective !== kind) {
    const how = resume.state.objective === 'electra' ? 'npm run lab -- electra --resume' : `the command that pretrains with "${resume.state.objective}"`;
    throw new FinerError(`${f.resume}: a "${resume.state.objective}" pretraining run; this command continues "${kind}" runs (${how})`);
  }
  if (!resume && existsSync(join(outDir, 'last'))) {
    throw new FinerError(`${outDir}: already holds a pretraining run (see its "last" file); expected --resume ${outDir} or a new --out folder`);
  }
  const data = f.data ?? (resume ? dirname(resume.state.corpus.path) : undefined);
  if (!data) throw new FinerError('--data DIR is required: a dataset folder whose train.jsonl is the corpus');
  const vocabPath = f.vocabFile ?? [f.init, f.resume && outDir].filter(Boolean).map((d) => join(d as string, 'vocab.txt')).find(existsSync);
  if (!vocabPath) throw new FinerError('--vocab-file FILE is required (a BERT vocab.txt), unless --init or --resume names a folder with vocab.txt');
  const tokenizer = await readVocabFile(vocabPath);
  if (tokenizer.mask === undefined) throw new FinerError(`${vocabPath}: no [MASK] token; expected one for masked-LM pretraining`);

  // --- the model to start from: a checkpoint, an encoder folder, or fresh weights
  let config: DistilBertConfig;
  let params: Map<string, Float32Array>;
  let init: InitRecord | undefined;
  if (resume) {
    process.stderr.write(`resuming ${f.resume} at step ${resume.state.step}/${resume.state.totalSteps}; model and hyper-parameters come from its checkpoint\n`);
    ({ config, params } = resume);
  } else if (f.init) {
    const enc = await initFromEncoder(f.init, f.seed);
    ({ config, params } = enc);
    init = { path: f.init, pretraining: enc.pretraining };
    const had = enc.pretraining ? `${count(enc.pretraining.sub_tokens_read)} sub-tokens in ${enc.pretraining.runs.length} run(s)` : 'no pretraining.json';
    process.stderr.write(`init from ${f.init} (${had})${enc.fresh.length ? `; fresh ${enc.fresh.join(', ')}` : ''}\n`);
  } else {
    const base = defaultConfig({
      n_layers: f.layers, dim: f.dim, n_heads: f.heads, hidden_dim: f.hidden, max_position_embeddings: f.maxPositions,
      vocab_size: tokenizer.size, pad_token_id: tokenizer.pad,
    });
    config = maskedLmConfig(validateConfig(base, '--layers/--dim/--heads/--hidden/--max-positions'));
    params = initParams(paramSpecs(config, MLM, 0), config, f.seed);
  }
  if (tokenizer.size > config.vocab_size) {
    throw new FinerError(`${vocabPath}: ${tokenizer.size} tokens; expected at most the model's vocab_size ${config.vocab_size}`);
  }

  // --- a plugged-in objective: the model above becomes its model (lab ELECTRA: the discriminator's encoder)
  let create: ObjectiveFactory | undefined;
  let pluginOptions: Partial<PretrainOptions> | undefined;
  let note: string | undefined;
  if (plugin && resume) create = await plugin.resume(resume);
  else if (plugin) ({ config, params, create, options: pluginOptions, note } = plugin.start({ config, params }, { seed: f.seed, weightDecay: f.weightDecay }));

  const options = resume?.state.options ?? {
    batchSize: f.batchSize, accum: f.accum, lr: f.lr, warmupSteps: f.warmup, weightDecay: f.weightDecay, clip: f.clip,
    maxLength: f.maxLength, maskRate: f.maskRate, numberMaskRate: f.numberMaskRate ?? f.maskRate, seed: f.seed,
    saveEvery: f.saveEvery, keep: f.keep,
    ...(f.budgetTokens !== undefined ? { budgetTokens: f.budgetTokens } : {}),
    ...(f.budgetMinutes !== undefined ? { budgetMinutes: f.budgetMinutes } : {}),
    ...(f.maxSentences !== undefined ? { maxSentences: f.maxSentences } : {}),
    ...pluginOptions,
  };

  checkPretrainOptions(options, config);

  // --- the corpus: train.jsonl only
  const read = performance.now();
  const corpus = await readCorpus(data, tokenizer, { maxSentences: options.maxSentences });
  const c = corpus.source;
  process.stderr.write(
    `corpus ${c.path}: ${c.sentences} sentences, ${c.subTokens} sub-tokens, ${c.documents} documents` +
      `${c.skipped ? `, ${c.skipped} lines without a sub-token skipped` : ''} (${c.note}; read in ${((performance.now() - read) / 1000).toFixed(1)} s)\n`,
  );

  // An --init run goes on through the corpus from where the encoder's earlier runs on it stopped.
  const startRow = resume ? resume.state.options.startRow : rowsAlreadyRead(init?.pretraining ?? null, c.fingerprint, options.maxLength, options.seed);
  if (!resume && startRow) process.stderr.write(`continuing the corpus at row ${startRow}, where the earlier runs of ${f.init} stopped\n`);

  // The run folder gets the vocabulary, so --resume finds it there.
  if (!resume) await copyVocabInto(vocabPath, outDir);
  const specials = [tokenizer.pad, tokenizer.unk, tokenizer.cls, tokenizer.sep, tokenizer.mask];
  if (note) process.stderr.write(`${note}\n`);
  const result = await pretrain({
    outDir, config, params, corpus,
    ...(create ? { objective: { kind, create } } : {}), vocabPath, options: { ...options, ...(startRow ? { startRow } : {}) }, resume, init, threads: f.threads, stopAfterSteps: f.stopAfter,
    vocab: { cls: tokenizer.cls, sep: tokenizer.sep, pad: tokenizer.pad, mask: tokenizer.mask, size: tokenizer.size, specials: new Set(specials) },
  });
  const s = result.state;
  const losses = plugin?.losses?.(s) ?? `loss ${lossSummary(s.history).final.toFixed(4)}`;
  process.stderr.write(
    `pretrained ${s.step}/${s.totalSteps} steps, ${count(s.subTokensRead)} sub-tokens, ` +
      `${losses} (last 50 steps), ${(s.seconds / 60).toFixed(1)} min; encoder in ${join(outDir, ENCODER)}\n`,
  );
}

export function registerPretrain(program: Command): void {
  const command = program
    .command('pretrain')
    .description('masked-LM pretraining of the encoder on the train split of a dataset folder (writes <out>/encoder for train --init)');
  addPretrainOptions(command).action(action((f: PretrainFlags) => runPretrain(f)));
}

/** The options of `finer pretrain` (PretrainFlags), on `command`. */
export function addPretrainOptions(command: Command): Command {
  return command
    .option('--data <dir>', "dataset folder; only its train.jsonl is read (default with --resume: the checkpoint's corpus)")
    .option('--out <dir>', 'run folder: checkpoint-<step>/, last, and encoder/ (config.json, fp16 model.safetensors, vocab.txt, pretraining.json)')
    .option('--vocab-file <file>', 'BERT vocab.txt with [MASK] (default: vocab.txt in --init or the resumed run folder)')
    .option('--init <dir>', 'continue pretraining from an encoder folder (ours or a Hugging Face DistilBERT); its pretraining.json totals carry forward')
    .option('--resume <dir>', 'continue a killed or stopped run from its last checkpoint, exactly')
    .option('--layers <n>', 'n_layers of a fresh model', int('--layers'), 4)
    .option('--dim <n>', 'dim of a fresh model', int('--dim'), 256)
    .option('--heads <n>', 'n_heads of a fresh model', int('--heads'), 4)
    .option('--hidden <n>', 'hidden_dim of a fresh model', int('--hidden'), 1024)
    .option('--max-positions <n>', 'max_position_embeddings of a fresh model', int('--max-positions'), 512)
    .option('--budget-tokens <n>', 'sub-tokens to read (rows x max length x steps)', num('--budget-tokens'))
    .option('--budget-minutes <m>', 'minutes of training: a step count re-fitted to the pace after every step, so the learning-rate decay ends at the deadline', num('--budget-minutes'))
    .option('--batch-size <n>', 'packed rows per micro-batch', positiveInt('--batch-size'), 32)
    .option('--accum <n>', 'micro-batches per optimizer step', int('--accum'), 1)
    .option('--lr <x>', 'peak learning rate', num('--lr'), 5e-4)
    .option('--warmup <n>', 'linear warm-up steps (default: 5% of the steps)', int('--warmup'))
    .option('--weight-decay <x>', 'AdamW decoupled weight decay (not on biases and LayerNorm)', num('--weight-decay'), 0.01)
    .option('--clip <x>', 'max global gradient norm (0: off)', num('--clip'), 1.0)
    .option('--max-length <n>', 'sub-tokens per packed row: [CLS] s1 [SEP] s2 [SEP] ...', int('--max-length'), 128)
    .option('--mask-rate <x>', 'probability that a word is masked (whole-word masking)', num('--mask-rate'), 0.15)
    .option('--number-mask-rate <x>', 'probability for a word that contains a digit (default: --mask-rate)', num('--number-mask-rate'))
    .option('--seed <n>', 'seed of initialisation, row order, masks and dropout', int('--seed'), 42)
    .option('--save-every <n>', 'checkpoint (and encoder) every n optimizer steps, and at the end', int('--save-every'), 500)
    .option('--keep <n>', 'checkpoints to keep', int('--keep'), 2)
    .option('--max-sentences <n>', 'read only the first n sentences of train.jsonl', int('--max-sentences'))
    .option('--threads <n>', 'onnxruntime intra-op threads', int('--threads'))
    .option('--stop-after <n>', 'stop after n steps without a final checkpoint, as a killed run would (for testing --resume)', int('--stop-after'));
}
