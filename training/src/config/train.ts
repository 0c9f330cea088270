/** The fine-tuning run's options, the type the trainer, its checkpoints and train.json share. */

/** Hyper-parameters that decide the result; a resumed run takes them from here. */
export interface TrainOptions {
  epochs: number;
  batchSize: number;
  accum: number;
  lr: number;
  warmupSteps: number;
  weightDecay: number;
  clip: number;
  maxLength: number;
  /** Sub-tokens shared by consecutive windows of a long sentence (absent in older runs: maxLength / 4). */
  stride?: number;
  seed: number;
  saveEvery: number;
  evalEvery: number; // 0: evaluate at the end of each epoch only
  keep: number;
  bucketBatches: number;
  /** Stop after this many evaluations without a better model (0 or absent: never). */
  patience?: number;
  /** Probability of replacing each entity number of a training window by a random one of its shape (augment.ts; 0 or absent: off). */
  augmentNumbers?: number;
}
