/**
 * The configuration of a fine-tuning run, one shape for `finer train`,
 * `finer adapt` and `finer recipe`: DEFAULT_TRAIN_CONFIG, overridden by a
 * JSON object of some of its fields (`finer train --config-file`, a recipe's
 * `train`), overridden by the flags given on the command line.
 *
 * The field names are those of train.json's `options`, so the options a run
 * recorded are a config file that repeats its hyper-parameters.
 */
import { defaultStride } from '@finer-lens/core/text/windows.ts';
import { INIT_HEADS, type InitHead } from '../train/checkpoint.ts';
import { readJsonFile } from '../infer/model-folder.ts';
import { FinerError } from '../util/errors.ts';
import { NUMBER_KINDS, type NumberKind } from '../util/flags.ts';
import type { OptimizerOptions } from '../engine/loop.ts';

/**
 * Hyper-parameters that decide the result, as a run records them
 * (trainer_state.json, train.json); a resumed run takes them from there.
 * The fields older runs lack are optional.
 */
export interface TrainOptions extends OptimizerOptions {
  epochs: number;
  maxLength: number;
  /** Sub-tokens shared by consecutive windows of a long sentence (absent in older runs: defaultStride(maxLength)). */
  stride?: number;
  seed: number;
  saveEvery: number;
  evalEvery: number; // 0: evaluate at the end of each epoch only
  keep: number;
  bucketBatches: number;
  /** Stop after this many evaluations without a better model (0 or absent: never). */
  patience?: number;
  /**
   * Number augmentation, which runs recorded until it left `finer train` on 2026-12-07
   * (0 in most): read, never written; checkRecordedOptions refuses more than 0.
   */
  augmentNumbers?: number;
}

/** A fine-tuning run's configuration: the options it records, and two that it does not. */
export interface TrainConfig extends Required<Omit<TrainOptions, 'stride' | 'augmentNumbers'>> {
  /** Absent: defaultStride(maxLength). */
  stride?: number;
  /** The --init folder's classifier: a fresh one, or the rows of the labels its id2label shares with the data. */
  initHead: InitHead;
  /** onnxruntime's intra-op threads (absent: its default). */
  threads?: number;
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  epochs: 3, batchSize: 16, accum: 1, lr: 5e-5, warmupSteps: 0, weightDecay: 0.01, clip: 1.0, maxLength: 128,
  patience: 0, seed: 42, saveEvery: 500, evalEvery: 0, keep: 2, bucketBatches: 100, initHead: 'fresh',
};

/** What each field holds: a number of one of util/flags.ts's kinds, or an init head. */
export const TRAIN_CONFIG_FIELDS: { readonly [K in keyof TrainConfig]-?: NumberKind | 'initHead' } = {
  epochs: 'int', batchSize: 'positiveInt', accum: 'int', lr: 'num', warmupSteps: 'int', weightDecay: 'num', clip: 'num',
  maxLength: 'int', stride: 'int', patience: 'int', seed: 'int', saveEvery: 'int', evalEvery: 'int', keep: 'int',
  bucketBatches: 'int', initHead: 'initHead', threads: 'int',
};

export const INIT_HEAD_EXPECTED = 'expected "fresh" (a new classifier) or "labels" (keep the --init model\'s rows of the labels it shares with the data)';

/** The options a run records, in train.json's order, with the stride resolved. */
export function recordedOptions(c: TrainConfig): TrainOptions {
  return {
    epochs: c.epochs, batchSize: c.batchSize, accum: c.accum, lr: c.lr, warmupSteps: c.warmupSteps,
    weightDecay: c.weightDecay, clip: c.clip, maxLength: c.maxLength, stride: c.stride ?? defaultStride(c.maxLength), seed: c.seed,
    patience: c.patience,
    saveEvery: c.saveEvery, evalEvery: c.evalEvery, keep: c.keep, bucketBatches: c.bucketBatches,
  };
}

/**
 * Refuses recorded options this version no longer trains with: an older run's
 * number augmentation (augmentNumbers > 0), which continued without it would
 * silently become another run.
 */
export function checkRecordedOptions(o: TrainOptions, resuming: boolean): void {
  if (!o.augmentNumbers) return;
  throw new FinerError(
    `${resuming ? 'cannot resume: the checkpoint\'s' : 'the run\'s'} options have augmentNumbers ${o.augmentNumbers}, number augmentation, ` +
      'which left finer train on 2026-12-07; expected 0 or none (lab/RESULTS.md names the commit that still runs it)',
  );
}

const isField = (name: string): name is keyof TrainConfig => Object.hasOwn(TRAIN_CONFIG_FIELDS, name);

/**
 * The config fields of a JSON object; `where` names it in the one-line error
 * a misspelled field or a value of the wrong kind gets (`prefix` is the
 * object's own field name, when it is one field of a larger file).
 */
export function parseTrainConfig(json: unknown, where: string, prefix = ''): Partial<TrainConfig> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new FinerError(`${where}: ${prefix ? `field "${prefix}" is` : 'holds'} ${JSON.stringify(json)}; expected a JSON object of training options`);
  }
  const config: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(json)) {
    const field = `field "${prefix ? `${prefix}.` : ''}${name}"`;
    // an older run's recorded options (augmentNumbers 0: off) stay a config file that repeats them
    if (name === 'augmentNumbers' && value === 0) continue;
    if (name === 'augmentNumbers') {
      throw new FinerError(`${where}: ${field} is ${JSON.stringify(value)}; number augmentation left finer train on 2026-12-07, expected 0 or no such field (lab/RESULTS.md names the commit that still runs it)`);
    }
    if (!isField(name)) {
      const near = Object.keys(TRAIN_CONFIG_FIELDS).find((f) => f.toLowerCase().startsWith(name.toLowerCase()) || name.toLowerCase().startsWith(f.toLowerCase()));
      throw new FinerError(`${where}: ${field} is not a training option${near ? ` (did you mean "${near}"?)` : ''}; expected one of ${Object.keys(TRAIN_CONFIG_FIELDS).join(', ')}`);
    }
    const kind = TRAIN_CONFIG_FIELDS[name];
    if (kind === 'initHead') {
      if (!(INIT_HEADS as readonly unknown[]).includes(value)) throw new FinerError(`${where}: ${field} is ${JSON.stringify(value)}; ${INIT_HEAD_EXPECTED}`);
    } else if (typeof value !== 'number' || !NUMBER_KINDS[kind].test(value)) {
      throw new FinerError(`${where}: ${field} is ${JSON.stringify(value)}; expected ${NUMBER_KINDS[kind].expected}`);
    }
    config[name] = value;
  }
  return config as Partial<TrainConfig>;
}

/** `--config-file`: the config fields of a JSON file. */
export async function readTrainConfigFile(path: string): Promise<Partial<TrainConfig>> {
  return parseTrainConfig(await readJsonFile(path, 'JSON object of training options'), path);
}
