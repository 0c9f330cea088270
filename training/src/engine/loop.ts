/**
 * The training loop of fine-tuning (train/trainer.ts) and pretraining
 * (pretrain/pretrainer.ts), top to bottom: schedule, the objective's
 * forward/backward over `accum` micro-batches, accumulate, clip, update,
 * log, the caller's bookkeeping (evaluation, budget), checkpoint.
 *
 * Determinism (a resumed run equals an uninterrupted one bit for bit):
 * - micro-batch k is a pure function of k (`Objective.batch`);
 * - the steps between two checkpoints form a segment; each segment gets
 *   fresh onnxruntime steps (`Objective.startSegment`) whose dropout seeds
 *   derive from (seed, segment), in both runs;
 * - the learning rate is a function of the step and the state's totalSteps;
 * - AdamW state and parameters are saved as exact f32 (engine/checkpoint.ts).
 */
import { clipScale, globalNorm, GradAccumulator, type AdamW } from './adamw.ts';
import type { Progress } from './progress.ts';
import { learningRate } from './schedule.ts';

/** One logged optimizer step. */
/** The optimisation settings every run of the loop records (fine-tuning and pretraining alike). */
export interface OptimizerOptions {
  /** Rows per micro-batch. */
  batchSize: number;
  /** Micro-batches per optimizer step. */
  accum: number;
  /** Peak learning rate, reached after `warmupSteps` of linear warm-up, then linear decay to 0. */
  lr: number;
  warmupSteps: number;
  /** AdamW's decoupled weight decay (not on biases and LayerNorm). */
  weightDecay: number;
  /** Max global gradient norm (0: off). */
  clip: number;
}

export interface StepRecord { step: number; loss: number; lr: number; gradNorm: number }

/** One micro-batch's forward/backward: the mean loss and its gradients (arrays the next `run` may reuse). */
export interface MicroResult { loss: number; grads: Map<string, Float32Array> }

/** What a loop trains: one model's parameters, and how micro-batch k becomes a loss and gradients. */
export interface Objective<B> {
  /** Updated in place by the loop's AdamW. */
  params: Map<string, Float32Array>;
  /** Micro-batch k of the run (k = step x accum + a). */
  batch(k: number): B;
  /** `micro`: the batch's index in its optimizer step (0 starts a step). */
  run(batch: B, micro: number): Promise<MicroResult>;
  /** Fresh onnxruntime steps for checkpoint segment `segment`, dropout seeded from (seed, segment). */
  startSegment(segment: number): Promise<void>;
  /**
   * After the loop's update of `params`: whatever else the objective trains
   * (lab/src/electra: its generator, with its own AdamW), at the same learning
   * rate and clip; returns more fields for the step's record.
   */
  afterUpdate?(lr: number, clip: number): Record<string, number>;
  release(): Promise<void>;
}

/** The part of a run's state (TrainerState, PretrainState) the loop advances. */
export interface LoopState { step: number; totalSteps: number; segment: number; history: StepRecord[]; stopped?: unknown }

export interface Loop<B, S extends LoopState> {
  /** Its first segment already started (`startSegment(state.segment)`); released when the loop ends. */
  objective: Objective<B>;
  optimizer: AdamW;
  state: S;
  options: Pick<OptimizerOptions, 'lr' | 'warmupSteps' | 'accum' | 'clip'> & { saveEvery: number };
  progress: Progress;
  /** Return after this many optimizer steps without a final checkpoint, as a killed run would (tests). */
  stopAfterSteps?: number;
  /** The step's bookkeeping, after its record is logged: counters, progress, evaluation; may set `state.stopped` or change `state.totalSteps`. */
  afterStep(step: { record: StepRecord; batches: readonly B[] }): Promise<void>;
  /** Save the run as it stands; returns the checkpoint folder. */
  checkpoint(): Promise<string>;
}

/** Train until the state's totalSteps or `stopped`: true; false when `stopAfterSteps` ended it first. */
export async function runLoop<B, S extends LoopState>(loop: Loop<B, S>): Promise<boolean> {
  const { objective, optimizer, state, options: o, progress } = loop;
  const accumulator = new GradAccumulator();
  try {
    while (state.step < state.totalSteps && !state.stopped) {
      if (loop.stopAfterSteps !== undefined && state.step >= loop.stopAfterSteps) return false;

      // --- forward/backward over `accum` micro-batches, then one AdamW update
      const lr = learningRate({ peakLr: o.lr, warmupSteps: o.warmupSteps, totalSteps: state.totalSteps }, state.step);
      let lossSum = 0;
      let grads: Map<string, Float32Array> | undefined;
      const batches: B[] = [];
      for (let a = 0; a < o.accum; a++) {
        const batch = objective.batch(state.step * o.accum + a);
        const result = await objective.run(batch, a);
        if (!Number.isFinite(result.loss)) throw new Error(`loss is ${result.loss} at step ${state.step + 1}`);
        lossSum += result.loss;
        batches.push(batch);
        if (o.accum === 1) grads = result.grads;
        else accumulator.add(result.grads);
      }
      grads ??= accumulator.take();
      // clipping is folded into the update: one pass over the gradients fewer
      const gradNorm = globalNorm(grads);
      optimizer.update(objective.params, grads, lr, clipScale(gradNorm, o.clip));
      const more = objective.afterUpdate?.(lr, o.clip);

      // --- log, then the caller's bookkeeping
      state.step += 1;
      const record: StepRecord = { step: state.step, loss: lossSum / o.accum, lr, gradNorm, ...more };
      state.history.push(record);
      await loop.afterStep({ record, batches });

      // --- checkpoint; the next segment gets fresh steps with their own dropout seeds
      if (state.stopped) {
        await loop.checkpoint();
        break;
      }
      const last = state.step === state.totalSteps;
      if (state.step % o.saveEvery === 0 || last) {
        if (!last) state.segment = Math.floor(state.step / o.saveEvery);
        progress.log(`saved ${await loop.checkpoint()}`);
        if (!last) await objective.startSegment(state.segment);
      }
    }
    return true;
  } finally {
    progress.stop();
    await objective.release();
  }
}
