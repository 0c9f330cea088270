/**
 * `finer export --model RUN --out public/models/<name>`: the Hugging Face model folder.
 * `finer derive DIR...`: its files that git does not keep (onnx/model.onnx), from the ones it keeps.
 */
import type { Command } from 'commander';
import { parseEvalReport } from '@finer-lens/core/reports/parse.ts';
import { readReportFile } from '../infer/model-folder.ts';
import { action } from '../util/cli.ts';
import { FinerError } from '../util/errors.ts';
import { exportModel } from './export.ts';
import { deriveFolder, modelFolders } from './layout.ts';

/** Derives the files of every model folder in `dirs`; a line on stdout for each file written. */
export async function deriveModels(dirs: readonly string[], print: (line: string) => void): Promise<void> {
  for (const dir of dirs) {
    for (const folder of await modelFolders(dir)) {
      if ((await deriveFolder(folder)) === 'written') print(`${folder}: wrote onnx/model.onnx from model.safetensors`);
    }
  }
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export a training run as a Hugging Face model folder: config, tokenizer, safetensors, ONNX fp32 + int8, model card')
    .requiredOption('--model <dir>', 'training run folder (config.json, model.safetensors, vocab.txt)')
    .requiredOption('--out <dir>', 'model folder to write, e.g. public/models/finer-lens-small')
    .option('--eval <file>', "eval.json of the run, for the card's metrics table")
    .option('--data-note <text>', "one paragraph on the training data, for the card")
    .option('--origin-note <text>', 'one paragraph on where the weights come from (pretraining, training stages), for the card; default: trained from scratch')
    .option('--train-data <dir>', 'the finer ixbrl dataset the model learned from (or a finer subset of it): writes train-companies.json, its train-split companies, for the app\'s "seen in training"')
    .option('--filings <dir>', 'the filings --train-data was built from (for the companies\' names)')
    .option('--force', 'replace an existing --out folder that is not a finer export output')
    .action(
      action(async (o: { model: string; out: string; eval?: string; dataNote?: string; originNote?: string; trainData?: string; filings?: string; force?: boolean }) => {
        if ((o.trainData === undefined) !== (o.filings === undefined)) throw new FinerError('--train-data and --filings go together: the dataset folder and the filings it was built from');
        const evaluation = o.eval ? await readReportFile(o.eval, 'evaluation report (eval.json of finer evaluate)', parseEvalReport) : undefined;
        const trainData = o.trainData !== undefined && o.filings !== undefined ? { data: o.trainData, filings: o.filings } : undefined;
        const r = await exportModel(o.model, o.out, { evaluation, data: o.dataNote, origin: o.originNote }, o.force, trainData);
        process.stdout.write(JSON.stringify(r) + '\n');
      }),
    );
  program
    .command('derive')
    .description("write the files of exported model folders that git does not keep (onnx/model.onnx, fp32, from model.safetensors) where they are missing or were derived from other weights")
    .argument('<dir...>', 'a model folder, or a folder of model folders such as public/models')
    .action(
      action(async (dirs: string[]) => {
        await deriveModels(dirs, (line) => process.stdout.write(line + '\n'));
      }),
    );
}
