/**
 * A model folder derived from another (calibrated, averaged): the source's
 * config, vocabulary and tokenizer, its trainer state (so that `finer
 * export` still writes the training facts into the card), new weights and a
 * report of how they were derived. Written atomically.
 */
import { copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { trainerStatePath } from '@finer-lens/training/train/checkpoint.ts';
import { writeDirAtomic, writeFileAtomic } from '@finer-lens/training/util/atomic.ts';
import type { OutputGuard } from '@finer-lens/training/util/output.ts';

/** `guard` is the command's, which checks it before its work too. */
export async function writeModelCopy(src: string, out: string, weights: Uint8Array, report: { file: string; value: unknown }, guard: OutputGuard): Promise<void> {
  const state = await trainerStatePath(src);
  await writeDirAtomic(out, async (tmp) => {
    for (const f of ['config.json', 'vocab.txt', 'tokenizer.json']) if (existsSync(join(src, f))) await copyFile(join(src, f), join(tmp, f));
    if (state) await copyFile(state, join(tmp, 'trainer_state.json'));
    await writeFileAtomic(join(tmp, 'model.safetensors'), weights);
    await writeFileAtomic(join(tmp, report.file), JSON.stringify(report.value, null, 1) + '\n');
  }, guard);
}
