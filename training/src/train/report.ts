/**
 * `train.json`: what the dashboard shows about a run (loss and learning-rate
 * curves, evaluations, model shape, speed). Written by `finer train --report`.
 */
import { writeFileAtomic } from '../util/atomic.ts';
import type { DistilBertConfig } from '../model/config.ts';
import type { TrainerState, TrainOptions } from './checkpoint.ts';
import { TRAIN_SCHEMA, type TrainReport as SharedTrainReport } from '@finer-lens/core/reports/train.ts';
import { labelsOf } from './checkpoint.ts';

/** The dashboard's schema (core/src/reports/train.ts) with this run's TrainOptions. */
export type TrainReport = SharedTrainReport<TrainOptions>;

function thin<T>(xs: readonly T[], max: number): T[] {
  if (xs.length <= max) return [...xs];
  const every = Math.ceil(xs.length / max);
  return xs.filter((_, i) => i % every === 0 || i === xs.length - 1);
}

export async function writeTrainReport(
  path: string,
  run: { config: DistilBertConfig; parameters: number; state: TrainerState; wallSeconds: number; tokensThisRun: number },
): Promise<void> {
  const { config: c, state } = run;
  const report: TrainReport = {
    schema: TRAIN_SCHEMA,
    model: { n_layers: c.n_layers, dim: c.dim, n_heads: c.n_heads, hidden_dim: c.hidden_dim, vocab_size: c.vocab_size, parameters: run.parameters },
    labels: labelsOf(c, 'model config'),
    options: state.options,
    steps: state.step,
    totalSteps: state.totalSteps,
    epochs: state.epoch,
    tokensSeen: state.tokensSeen,
    wallSeconds: run.wallSeconds,
    tokensPerSecond: run.wallSeconds > 0 ? run.tokensThisRun / run.wallSeconds : 0,
    history: thin(state.history, 500),
    evals: state.evals,
    best: state.best,
  };
  await writeFileAtomic(path, JSON.stringify(report, null, 1) + '\n');
}
