/**
 * The model folder through transformers.js's `token-classification`
 * pipeline in Node, offline: exactly what a transformers.js user gets.
 */
import { basename, dirname, resolve } from 'node:path';
import { env, pipeline } from '@huggingface/transformers';
import type { PipelineToken, TokenClassifier } from '@finer-lens/core/ner/tagger.ts';
import { FinerError } from '../util/errors.ts';

export interface HfClassifier { classify: TokenClassifier; release(): Promise<void> }

export async function hfClassifier(dir: string, dtype: 'fp32' | 'q8' = 'fp32', threads?: number): Promise<HfClassifier> {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = dirname(resolve(dir)) + '/';
  let pipe: Awaited<ReturnType<typeof pipeline<'token-classification'>>>;
  try {
    pipe = await pipeline('token-classification', basename(resolve(dir)), {
      dtype, device: 'cpu',
      session_options: { ...(threads !== undefined ? { intraOpNumThreads: threads } : {}), interOpNumThreads: 1, graphOptimizationLevel: 'all' },
    });
  } catch (err) {
    throw new FinerError(`${dir}: transformers.js cannot load it (${(err as Error).message.split('\n')[0]}); expected a Hugging Face model folder (finer export)`);
  }
  return {
    classify: Object.assign(async (texts: string[], options: { ignore_labels: string[] }) => (await pipe(texts, options)) as unknown as PipelineToken[][], {
      countSubTokens: (word: string) => pipe.tokenizer.encode(word, { add_special_tokens: false }).length,
    }),
    release: () => pipe.dispose(),
  };
}
