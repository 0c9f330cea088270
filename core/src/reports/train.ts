/**
 * The schema of `train.json`, as the dashboard reads it: written by
 * `finer train --report` (training/src/train/report.ts, with its
 * TrainOptions as `options`), read by src/app/reports.ts. Only what the app
 * shows is checked; `options` is kept as written.
 */
import * as v from 'valibot';
import { absentOrNull, count, list, num, object, recordOf, strings } from './schema.ts';

export const TRAIN_SCHEMA = 1;

/** One optimizer step of the loss curve. */
const trainStep = object({ step: count, loss: num, lr: num, gradNorm: num }, '{step, loss, lr, gradNorm}');

/** One evaluation on the validation set. */
const trainEval = object(
  {
    step: count,
    epoch: num,
    loss: num,
    // word label accuracy
    accuracy: num,
    tokens: count,
    // entity micro F1 (seqeval), when the run computed it
    f1: absentOrNull(num),
  },
  '{step, epoch, loss, accuracy, tokens, f1?}',
);

export const trainReportSchema = object(
  {
    schema: v.literal(TRAIN_SCHEMA),
    model: object(
      { n_layers: count, dim: count, n_heads: count, hidden_dim: count, vocab_size: count, parameters: count },
      'the model shape',
    ),
    labels: strings,
    // the run's hyper-parameters (TrainOptions): epochs, batchSize, lr, maxLength, ...; {} when not an object
    options: v.fallback(recordOf(v.unknown(), 'an object'), {}),
    steps: count,
    totalSteps: count,
    epochs: num,
    tokensSeen: count,
    wallSeconds: num,
    tokensPerSecond: num,
    // at most ~500 points, evenly spaced
    history: list(trainStep, 'steps'),
    evals: list(trainEval, 'evaluations'),
    // a metric other than eval_f1 reads as eval_loss; absent reads as null
    best: v.nullish(
      object(
        { metric: v.fallback(v.picklist(['eval_loss', 'eval_f1']), 'eval_loss'), value: num, step: count },
        '{metric, value, step} or null',
      ),
      null,
    ),
  },
  'a JSON object',
);

export type TrainStep = v.InferOutput<typeof trainStep>;
export type TrainEval = v.InferOutput<typeof trainEval>;

/** `O`: the run's options; the writer fills in its TrainOptions. */
export type TrainReport<O = Record<string, unknown>> = Omit<v.InferOutput<typeof trainReportSchema>, 'options'> & { options: O };
