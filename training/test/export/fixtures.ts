/** Model folders for the export tests. */
import { classifierConfig, HEAD, writeModelFiles } from '../../src/train/checkpoint.ts';
import type { DistilBertConfig } from '../../src/model/config.ts';
import { initParams, paramSpecs } from '../../src/model/params.ts';
import { writeTokenizerFiles } from '../../src/tokenizer/train-vocab.ts';
import { LABELS } from '../train/fixtures.ts';

/** A training run's final files (F32 weights, config, vocabulary) with seeded random weights. */
export async function writeRun(dir: string, config: DistilBertConfig, tokens: string[], seed: number): Promise<void> {
  const withLabels = classifierConfig(config, LABELS);
  const specs = paramSpecs(withLabels, HEAD, LABELS.length);
  await writeTokenizerFiles(dir, { tokens, modelMaxLength: config.max_position_embeddings });
  await writeModelFiles(dir, withLabels, specs, initParams(specs, withLabels, seed));
}
