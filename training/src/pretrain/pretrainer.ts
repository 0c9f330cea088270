/**
 * A pretraining run: the budget (sub-tokens, or minutes turned into steps and
 * re-fitted to the pace), packed and masked batches, the loop
 * (engine/loop.ts) on an objective (objective.ts: masked LM; a lab experiment
 * may plug in its own), checkpoints and the encoder folder.
 *
 * Determinism (a resumed run equals an uninterrupted one bit for bit), beyond
 * the loop's own:
 * - the rows form one sequence over the epochs (global row r is row r mod R
 *   of epoch floor(r / R)); micro-batch k holds rows startRow + kB .. + B-1,
 *   and an epoch's rows are a pure function of (corpus, maxLength, seed, epoch);
 * - a row's masks are a pure function of (seed, epoch, row).
 */
import { join } from 'node:path';
import { FinerError } from '../util/errors.ts';
import type { DistilBertConfig } from '../model/config.ts';
import { AdamW } from '../engine/adamw.ts';
import { createProgress, type Progress } from '../engine/progress.ts';
import { runLoop } from '../engine/loop.ts';
import { fitTotalSteps } from './budget.ts';
import type { Corpus } from './corpus.ts';
import { EpochRows, rowsPerEpoch, type Specials } from './packing.ts';
import { maskedBatch, type MaskedLmBatch, type MaskVocab } from './masking.ts';
import { maskedLm, type MaskedMicroBatch, type ObjectiveFactory, type PretrainingObjective } from './objective.ts';
import {
  ENCODER, MLM, pretrainingRecord, pretrainSpecs, savePretrainCheckpoint, writeEncoder,
  type InitRecord, type PretrainCheckpoint, type PretrainOptions, type PretrainState,
} from './checkpoint.ts';

export interface PretrainRun {
  outDir: string;
  /**
   * The objective, written as `objective` in the state: masked LM (default),
   * or one a lab experiment plugs in (lab/src/electra), which must also be
   * the resumed run's.
   */
  objective?: { kind: string; create: ObjectiveFactory };
  /** DistilBertForMaskedLM config (or the plugged-in objective's model's); ignored when resuming. */
  config: DistilBertConfig;
  /** Starting parameters (fresh or from --init); ignored when resuming. */
  params: Map<string, Float32Array>;
  corpus: Corpus;
  vocab: MaskVocab & Specials;
  /** Copied into the encoder folder. */
  vocabPath: string;
  /** `warmupSteps` absent: 5% of the steps, once the budget has fixed them. Ignored when resuming. */
  options: Omit<PretrainOptions, 'warmupSteps'> & { warmupSteps?: number };
  resume?: PretrainCheckpoint;
  init?: InitRecord;
  threads?: number;
  /** Return after this many optimizer steps without a final checkpoint, as a killed run would (tests). */
  stopAfterSteps?: number;
  progress?: Progress;
  /** Where a progress bar is drawn when `progress` is not given (default stderr). */
  stream?: NodeJS.WriteStream;
}

export interface PretrainResult { params: Map<string, Float32Array>; state: PretrainState }

/** A --budget-minutes calibration times forward/backward only: this margin stands for the AdamW update and the batches. */
const UPDATE_MARGIN = 1.05;

/** Everything in the options that would make pretraining fail or be meaningless, checked before the corpus is read. */
export function checkPretrainOptions(o: PretrainRun['options'], config: DistilBertConfig): void {
  const maxPos = config.max_position_embeddings;
  if (!Number.isInteger(o.maxLength) || o.maxLength < 3) throw new FinerError(`--max-length ${o.maxLength}: expected an integer of at least 3 ([CLS], one sub-token, [SEP])`);
  if (o.maxLength > maxPos) throw new FinerError(`--max-length ${o.maxLength} exceeds the model's max_position_embeddings ${maxPos}; expected at most ${maxPos}`);
  for (const k of ['batchSize', 'accum', 'saveEvery', 'keep'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) throw new FinerError(`option ${k} = ${o[k]}; expected a positive integer`);
  }
  for (const [flag, rate] of [['--mask-rate', o.maskRate], ['--number-mask-rate', o.numberMaskRate]] as const) {
    if (!(rate > 0 && rate <= 1)) throw new FinerError(`${flag} ${rate}: expected a probability in (0, 1]`);
  }
  const budgets = [o.budgetTokens, o.budgetMinutes].filter((b) => b !== undefined);
  if (budgets.length !== 1) throw new FinerError('expected one budget: --budget-tokens N (sub-tokens) or --budget-minutes M');
  if (!(budgets[0]! > 0)) throw new FinerError(`--budget-${o.budgetTokens !== undefined ? 'tokens' : 'minutes'} ${budgets[0]}: expected a positive number`);
}

/** Seconds one optimizer step takes, from a throw-away forward/backward (the first one warms the sessions up). */
async function secondsPerStep(objective: PretrainingObjective, micro: MaskedMicroBatch, accum: number): Promise<number> {
  await objective.run(micro, 0);
  const t0 = performance.now();
  await objective.run(micro, 0);
  return ((performance.now() - t0) / 1000) * accum * UPDATE_MARGIN;
}

export async function pretrain(run: PretrainRun): Promise<PretrainResult> {
  const config = run.resume?.config ?? run.config;
  const given = run.resume?.state.options ?? run.options;
  checkPretrainOptions(given, config);
  const { corpus, vocab } = run;
  const kind = run.objective?.kind ?? MLM;
  if (run.resume) {
    const was = run.resume.state.corpus;
    if (was.fingerprint !== corpus.source.fingerprint || was.sentences !== corpus.source.sentences) {
      throw new FinerError(
        `cannot resume: the checkpoint was pretrained on ${was.path} (${was.sentences} sentences, fingerprint ${was.fingerprint}); ` +
          `this corpus is ${corpus.source.path} (${corpus.source.sentences} sentences, fingerprint ${corpus.source.fingerprint}); expected the same corpus and vocabulary`,
      );
    }
    if (run.resume.state.objective !== kind) throw new Error(`pretrain: resuming a "${run.resume.state.objective}" run with the "${kind}" objective`);
  }
  const B = given.batchSize;
  const rowsInEpoch = rowsPerEpoch(corpus, given.maxLength);
  const startRow = given.startRow ?? 0;
  const masking = { maskRate: given.maskRate, numberMaskRate: given.numberMaskRate, seed: given.seed };

  // the epochs a batch reads from: the current one and, at its end, the next
  let epochs: EpochRows[] = [];
  const globalRow = (r: number) => {
    const epoch = Math.floor(r / rowsInEpoch);
    let rows = epochs.find((e) => e.epoch === epoch);
    if (!rows) epochs = [...epochs.slice(-1), (rows = new EpochRows(corpus, given.maxLength, vocab, given.seed, epoch))];
    return rows.row(r % rowsInEpoch);
  };
  const microBatch = (k: number): MaskedMicroBatch => {
    const rows = Array.from({ length: B }, (_, i) => globalRow(startRow + k * B + i));
    return { rows, batch: maskedBatch(rows, masking, vocab) };
  };

  const params = run.resume ? run.resume.params : run.params;
  const objective = (run.objective?.create ?? maskedLm)({
    config, params, seed: given.seed, threads: run.threads, vocab, accum: given.accum, batch: microBatch, resume: run.resume,
  });
  await objective.startSegment(run.resume?.state.segment ?? 0);
  const started = performance.now();
  let deadline = Infinity;
  let state: PretrainState;
  try {
    if (run.resume) {
      state = structuredClone(run.resume.state);
    } else {
      // --- the budget, as a number of optimizer steps
      let totalSteps: number;
      if (given.budgetTokens !== undefined) {
        totalSteps = Math.max(1, Math.ceil(given.budgetTokens / (B * given.accum * given.maxLength)));
      } else {
        const perStep = await secondsPerStep(objective, microBatch(0), given.accum);
        totalSteps = Math.max(1, Math.floor((given.budgetMinutes! * 60) / perStep));
        deadline = started + given.budgetMinutes! * 60_000;
      }
      const options: PretrainOptions = { ...given, warmupSteps: given.warmupSteps ?? Math.round(totalSteps * 0.05) };
      state = {
        schema: 1, objective: kind, step: 0, totalSteps, epoch: startRow / rowsInEpoch, segment: 0, options, corpus: corpus.source,
        subTokensRead: 0, sentencesRead: 0, maskedPredicted: 0, seconds: 0, history: [], init: run.init ?? null,
        started: new Date().toISOString(),
      };
    }
  } catch (err) {
    await objective.release();
    throw err;
  }
  const o = state.options;
  const optimizer = new AdamW(pretrainSpecs(config), { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: o.weightDecay });
  if (run.resume) optimizer.restore(run.resume.optimizer);
  const progress = run.progress ?? createProgress(state.totalSteps, state.step, run.stream);
  progress.log(
    `pretraining steps ${state.step + 1}..${state.totalSteps}: ` +
      `${B} rows x ${o.maxLength} sub-tokens x ${o.accum} per step (${state.totalSteps * B * o.accum * o.maxLength} sub-tokens), ` +
      `${rowsInEpoch} rows per epoch${startRow ? `, starting at row ${startRow} (epoch ${(startRow / rowsInEpoch).toFixed(2)})` : ''}, warm-up ${o.warmupSteps} steps, lr ${o.lr}`,
  );
  const secondsBefore = state.seconds;
  const clock = () => secondsBefore + (performance.now() - started) / 1000;
  let tokensHere = 0;
  const rateFrom = performance.now(); // tokens/s leaves out a --budget-minutes calibration
  // the pace is measured from the end of this process's first step (which pays one-time costs)
  let paceFrom: { at: number; step: number } | undefined;

  await runLoop<MaskedMicroBatch, PretrainState>({
    objective, optimizer, state, options: o, progress, stopAfterSteps: run.stopAfterSteps,
    async afterStep({ record, batches }) {
      for (const { batch } of batches) {
        const { read, sentences } = countRead(batch, vocab.sep);
        state.subTokensRead += read;
        state.sentencesRead += sentences;
        state.maskedPredicted += batch.maskedPositions.length;
        tokensHere += read;
      }
      state.epoch = (startRow + state.step * o.accum * B) / rowsInEpoch;
      const detail = objective.detail?.(record);
      progress.update(state.step, { loss: record.loss, lr: record.lr, tokensPerSec: tokensHere / ((performance.now() - rateFrom) / 1000), ...(detail ? { detail } : {}) });

      // --- --budget-minutes: keep the step count (and the decay) fitted to the time left
      if (deadline !== Infinity && state.step < state.totalSteps) {
        const now = performance.now();
        paceFrom ??= { at: now, step: state.step };
        const stepsHere = state.step - paceFrom.step;
        const fitted = stepsHere === 0 ? state.totalSteps
          : fitTotalSteps({ step: state.step, stepsHere, msHere: now - paceFrom.at, msLeft: deadline - now });
        if (fitted !== state.totalSteps) {
          state.totalSteps = fitted;
          progress.setTotal(fitted);
        }
      }
      // at the deadline the fitted decay is all but done: the run ends here, complete
      if (performance.now() >= deadline && state.step < state.totalSteps) {
        progress.log(`--budget-minutes ${o.budgetMinutes} spent at step ${state.step} of the ${state.totalSteps} fitted; the run ends here`);
        state.totalSteps = state.step;
      }
    },
    // the checkpoint, and the encoder beside it
    async checkpoint() {
      state.seconds = clock();
      const dir = await savePretrainCheckpoint(run.outDir, { config, params, optimizer, state, others: objective.others?.() });
      await writeEncoder(join(run.outDir, ENCODER), { config, params, vocabPath: run.vocabPath, record: pretrainingRecord(config, state, objective.record?.(state)) });
      return dir;
    },
  });
  return { params, state };
}

/** Real sub-tokens of a batch and the sentence ends ([SEP]) among them. */
function countRead(batch: MaskedLmBatch, sep: number): { read: number; sentences: number } {
  let read = 0;
  let sentences = 0;
  const sepId = BigInt(sep);
  for (let i = 0; i < batch.attentionMask.length; i++) {
    if (batch.attentionMask[i] === 0n) continue;
    read++;
    if (batch.inputIds[i] === sepId) sentences++;
  }
  return { read, sentences };
}
