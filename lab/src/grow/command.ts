/**
 * `lab grow --encoder DIR --layers N --out DIR`: a deeper copy of a
 * pretrained encoder folder, its layers stacked (`grow.ts`); its
 * pretraining.json keeps the history and records the growth, so that
 * `finer pretrain --init` continues the totals on the grown model.
 */
import type { Command } from 'commander';
import { copyFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { validateConfig } from '@finer-lens/training/model/config.ts';
import { readJson } from '@finer-lens/training/train/checkpoint.ts';
import { readSafetensors, serializeSafetensors, type Tensor } from '@finer-lens/training/train/safetensors.ts';
import { writeDirAtomic, writeFileAtomic } from '@finer-lens/training/util/atomic.ts';
import { action } from '@finer-lens/training/util/cli.ts';
import { checkOutDir, type OutputGuard } from '@finer-lens/training/util/output.ts';
import { FinerError } from '@finer-lens/training/util/errors.ts';
import { int } from '@finer-lens/training/util/flags.ts';
import { parameterCount, pretrainSpecs, PRETRAINING_JSON, TOKENIZER_FILES, type PretrainingRecord } from '@finer-lens/training/pretrain/checkpoint.ts';
import { checkMap, growLayers, stackingMap } from './grow.ts';
import { LAB_OUTPUTS } from '../outputs.ts';

/** `map`: old layer of each new layer (default: stacking); `force`: replace a folder that is not a lab grow output. */
export async function growEncoder(dir: string, out: string, layers: number, opts: { map?: number[]; now?: Date; force?: boolean } = {}): Promise<number[]> {
  const guard: OutputGuard = { kind: LAB_OUTPUTS.grow, inputs: [dir], force: opts.force };
  await checkOutDir(out, guard);
  const configPath = join(dir, 'config.json');
  const config = validateConfig(await readJson(configPath, 'model config'), configPath);
  const from = config.n_layers;
  const map = opts.map ?? stackingMap(from, layers);
  checkMap(map, from, layers);
  const file = await readSafetensors(join(dir, 'model.safetensors'));
  const tensors = new Map<string, Tensor>([...file.tensors.keys()].map((n) => [n, file.get(n)]));
  const grown = growLayers(tensors, from, map);
  const dtype = [...file.tensors.values()].every((t) => t.dtype === 'F16') ? 'F16' : 'F32';
  const newConfig = { ...config, n_layers: layers };
  const recordPath = join(dir, PRETRAINING_JSON);
  const record = existsSync(recordPath) ? (await readJson(recordPath, 'pretraining record')) as PretrainingRecord : undefined;
  await writeDirAtomic(out, async (tmp) => {
    await writeFileAtomic(join(tmp, 'config.json'), JSON.stringify(newConfig, null, 2) + '\n');
    await writeFileAtomic(join(tmp, 'model.safetensors'), serializeSafetensors(grown, file.metadata, { dtype }));
    for (const f of ['vocab.txt', ...TOKENIZER_FILES]) if (existsSync(join(dir, f))) await copyFile(join(dir, f), join(tmp, f));
    if (record) {
      const step = { date: (opts.now ?? new Date()).toISOString(), after_runs: record.runs?.length ?? 0, from_layers: from, to_layers: layers, map };
      const model = { ...record.model, n_layers: layers, parameters: parameterCount(pretrainSpecs(validateConfig(newConfig, configPath))) };
      await writeFileAtomic(join(tmp, PRETRAINING_JSON), JSON.stringify({ ...record, model, grown: [...(record.grown ?? []), step] }, null, 1) + '\n');
    }
  }, guard);
  return map;
}

const layerList = (v: string): number[] => {
  const map = v.split(',').map((x) => Number(x.trim()));
  if (map.some((m) => !Number.isInteger(m))) throw new FinerError(`--map ${JSON.stringify(v)}: expected comma-separated layer indices, e.g. 0,1,2,3,2,3`);
  return map;
};

export function registerGrow(program: Command): void {
  program
    .command('grow')
    .description('make a pretrained encoder deeper by copying its layers (progressive stacking); continue with finer pretrain --init')
    .requiredOption('--encoder <dir>', 'a pretrained encoder folder (config.json, model.safetensors, vocab.txt, pretraining.json)')
    .requiredOption('--layers <n>', 'layers of the grown encoder (up to twice the encoder\'s)', int('--layers'))
    .requiredOption('--out <dir>', 'the grown encoder folder')
    .option('--map <list>', 'old layer of each new layer, e.g. 0,1,2,3,2,3 (default: the layers in order, then the top ones again)', layerList)
    .option('--force', 'replace an existing --out folder that is not a lab grow output')
    .action(
      action(async (o: { encoder: string; layers: number; out: string; map?: number[]; force?: boolean }) => {
        if (!existsSync(join(o.encoder, 'config.json'))) throw new FinerError(`${o.encoder}: no config.json; expected a pretrained encoder folder`);
        const map = await growEncoder(o.encoder, o.out, o.layers, { map: o.map, force: o.force });
        process.stdout.write(`grew ${o.encoder} to ${o.layers} layers (new layer k = old layer ${map.join(', ')}) in ${o.out}\n`);
      }),
    );
}
