/**
 * `lab average --models A B ... --out DIR`: the weight average of model
 * folders of one shape and label set (e.g. one fine-tune with several
 * seeds), written as a model folder that `finer evaluate`, `lab calibrate`,
 * `export` and `compare` take; `average.json` names the ingredients.
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import { openModelFolder } from '@finer-lens/training/infer/model-folder.ts';
import { writeModelCopy } from '../model-copy.ts';
import { readSafetensors, serializeSafetensors, type Tensor } from '@finer-lens/training/train/safetensors.ts';
import { action } from '@finer-lens/training/util/cli.ts';
import { checkOutDir, type OutputGuard } from '@finer-lens/training/util/output.ts';
import { FinerError } from '@finer-lens/training/util/errors.ts';
import { averageTensors } from './average.ts';
import { LAB_OUTPUTS } from '../outputs.ts';

export const AVERAGE_FILE = 'average.json';

/** Refuse models whose labels or vocabularies differ: their weights do not mean the same thing. */
async function checkSameModel(dirs: readonly string[]): Promise<void> {
  const [first, ...rest] = await Promise.all(dirs.map((d) => openModelFolder(d, { needWeights: true })));
  const vocab = first!.encoder.tokens().join('\n');
  for (const f of rest) {
    if (f.labels.join('\n') !== first!.labels.join('\n')) throw new FinerError(`${f.dir}: labels [${f.labels.join(', ')}]; expected those of ${first!.dir} [${first!.labels.join(', ')}]`);
    if (f.encoder.tokens().join('\n') !== vocab) throw new FinerError(`${join(f.dir, 'vocab.txt')}: differs from ${join(first!.dir, 'vocab.txt')}; expected one vocabulary`);
  }
}

export function registerAverage(program: Command): void {
  program
    .command('average')
    .description('average the weights of fine-tunes of one model (a "model soup"), into a model folder')
    .requiredOption('--models <dirs...>', 'two or more training runs or model folders with the same labels, vocabulary and shape')
    .requiredOption('--out <dir>', 'the averaged model folder (files of the first model, averaged weights, average.json)')
    .option('--force', 'replace an existing --out folder that is not a lab average output')
    .action(
      action(async (o: { models: string[]; out: string; force?: boolean }) => {
        const guard: OutputGuard = { kind: LAB_OUTPUTS.average, inputs: o.models, force: o.force };
        await checkOutDir(o.out, guard);
        await checkSameModel(o.models);
        const files = await Promise.all(o.models.map((d) => readSafetensors(join(d, 'model.safetensors'))));
        const tensors: Map<string, Tensor> = averageTensors(files.map((f) => ({ where: f.where, tensors: new Map([...f.tensors.keys()].map((n) => [n, f.get(n)])) })));
        await writeModelCopy(o.models[0]!, o.out, serializeSafetensors(tensors, files[0]!.metadata), { file: AVERAGE_FILE, value: { schema: 1, models: o.models } }, guard);
        process.stdout.write(`averaged ${tensors.size} tensors of ${o.models.length} models into ${o.out}\n`);
      }),
    );
}
