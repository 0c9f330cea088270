/** `finer export --model RUN --out public/models/<name>`: the Hugging Face model folder. */
import type { Command } from 'commander';
import { parseEvalReport } from '../../../src/reports/parse.ts';
import { readReportFile } from '../infer/model-folder.ts';
import { action } from '../util/cli.ts';
import { exportModel } from './export.ts';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export a training run as a Hugging Face model folder: config, tokenizer, safetensors, ONNX fp32 + int8, model card')
    .requiredOption('--model <dir>', 'training run folder (config.json, model.safetensors, vocab.txt)')
    .requiredOption('--out <dir>', 'model folder to write, e.g. public/models/finer-lens-small')
    .option('--eval <file>', "eval.json of the run, for the card's metrics table")
    .option('--data-note <text>', "one paragraph on the training data, for the card")
    .option('--origin-note <text>', 'one paragraph on where the weights come from (pretraining, training stages), for the card; default: trained from scratch')
    .option('--force', 'replace an existing --out folder that is not a finer export output')
    .action(
      action(async (o: { model: string; out: string; eval?: string; dataNote?: string; originNote?: string; force?: boolean }) => {
        const evaluation = o.eval ? await readReportFile(o.eval, 'evaluation report (eval.json of finer evaluate)', parseEvalReport) : undefined;
        const r = await exportModel(o.model, o.out, { evaluation, data: o.dataNote, origin: o.originNote }, o.force);
        process.stdout.write(JSON.stringify(r) + '\n');
      }),
    );
}
