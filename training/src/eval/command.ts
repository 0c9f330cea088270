/** `finer evaluate --model DIR --data DIR|FILE ...` -> eval.json and a table on stdout. */
import type { Command } from 'commander';
import { join } from 'node:path';
import type { EvalReport } from '@finer-lens/core/reports/eval.ts';
import { openModelFolder } from '../infer/model-folder.ts';
import { existsSync } from 'node:fs';
import { checkpointRunner, onnxRunner, quantizedRunner, type Runner } from '../infer/runners.ts';
import { SPLITS, type SplitName } from '../data/sentence.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { checkOutFile } from '../util/output.ts';
import { action } from '../util/cli.ts';
import { FinerError } from '../util/errors.ts';
import { int, positiveInt } from '../util/flags.ts';
import { readEvalSet } from './data.ts';
import { evaluateModel } from './evaluate.ts';
import { readThresholds } from './thresholds.ts';
import { readVerifier } from '../verifier/read.ts';

export type Backend = 'checkpoint' | 'onnx' | 'int8';

/**
 * The runner for a backend of a model folder. A training run has only the
 * checkpoint: its int8 is quantised in memory as `finer export` would write it.
 */
export async function openRunner(dir: string, backend: Backend, numLabels: number, threads?: number): Promise<Runner> {
  const int8File = join(dir, 'onnx', 'model_quantized.onnx');
  if (backend === 'int8' && !existsSync(int8File) && existsSync(join(dir, 'model.safetensors'))) {
    return quantizedRunner(await openModelFolder(dir, { needWeights: true }), threads);
  }
  const folder = await openModelFolder(dir, { needWeights: backend === 'checkpoint', needOnnx: backend !== 'checkpoint' });
  if (backend === 'checkpoint') return checkpointRunner(folder, threads);
  return onnxRunner(join(dir, 'onnx', backend === 'int8' ? 'model_quantized.onnx' : 'model.onnx'), numLabels, threads);
}

const pct = (x: number) => (100 * x).toFixed(1).padStart(5);

export function printEval(report: EvalReport): void {
  for (const d of report.datasets) {
    const m = d.metrics;
    process.stdout.write(`\n${d.name} (${d.kind === 'dense' ? 'entities' : 'labelled tokens'}, ${d.sentences} sentences)\n`);
    process.stdout.write(`${'type'.padEnd(52)}  prec   rec    f1  support\n`);
    for (const [t, s] of Object.entries(m.perType)) process.stdout.write(`${t.padEnd(52)} ${pct(s.precision)} ${pct(s.recall)} ${pct(s.f1)} ${String(s.support).padStart(8)}\n`);
    process.stdout.write(`${'micro'.padEnd(52)} ${pct(m.micro.precision)} ${pct(m.micro.recall)} ${pct(m.micro.f1)} ${String(m.micro.support).padStart(8)}\n`);
    process.stdout.write(`${'macro'.padEnd(52)} ${pct(m.macro.precision)} ${pct(m.macro.recall)} ${pct(m.macro.f1)}\n`);
    if (d.kind === 'dense') process.stdout.write(`token accuracy ${pct(d.metrics.tokenAccuracy)}\n`);
  }
  const w = report.wholeDocument;
  if (w) {
    const t = w.tagged.micro;
    process.stdout.write(`\nwhole documents: ${w.source} (${w.split}), ${w.filings} filings, ${w.sentences.tagged} tagged + ${w.sentences.untagged} untagged sentences with a digit\n`);
    process.stdout.write(`tagged sentences: micro P ${pct(t.precision)} R ${pct(t.recall)} F1 ${pct(t.f1)}\n`);
    const u = w.untagged;
    process.stdout.write(`untagged sentences, per filing: repeats ${w.perFiling.repeats.toFixed(2)}, others ${w.perFiling.others.toFixed(2)}, others without debt words ${w.perFiling.othersNoDebt.toFixed(2)}\n`);
    for (const type of Object.keys(u.others.perType)) process.stdout.write(`  ${type.padEnd(50)} repeats ${u.repeats.perType[type]} others ${u.others.perType[type]} (no debt words ${u.othersNoDebt.perType[type]})\n`);
  }
  if (report.thresholds) process.stdout.write(`\nthresholds (thresholds.json): ${Object.entries(report.thresholds).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
  if (report.verifier) process.stdout.write(`context check (verifier.json): cut ${report.verifier.cut}, confident ${report.verifier.confident}, rules ${report.verifier.rules?.join(', ') || 'none'}\n`);
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description('score a model on labelled data: seqeval entity P/R/F1, token accuracy, confusion matrix; sparse-gold files by labelled tokens')
    .requiredOption('--model <dir>', 'a training run or an exported model folder')
    .requiredOption('--data <paths...>', 'dataset folders (their --split is used) and/or JSONL files (FiNER lines or sparse "gold" lines)')
    .option('--split <name>', `split of dataset folders (${SPLITS.join(', ')})`, 'test')
    .option('--backend <name>', 'checkpoint (model.safetensors in the inference graph export writes), onnx (fp32) or int8', 'checkpoint')
    .option('--out <file>', 'report file', 'public/reports/eval.json')
    .option('--whole-doc <dir>', 'also measure whole documents: every prose sentence with a digit of this finer ixbrl --all-sentences folder\'s --split')
    .option('--no-thresholds', "score the model's raw predictions, without the model folder's thresholds.json")
    .option('--no-verifier', "without the model folder's context check (verifier.json)")
    .option('--batch-size <n>', 'windows per model call', positiveInt('--batch-size'), 32)
    .option('--threads <n>', 'onnxruntime intra-op threads', int('--threads'))
    .action(
      action(async (o: { model: string; data: string[]; split: string; backend: string; out: string; wholeDoc?: string; thresholds: boolean; verifier: boolean; batchSize: number; threads?: number }) => {
        if (!(SPLITS as readonly string[]).includes(o.split)) throw new FinerError(`--split ${o.split}: expected one of ${SPLITS.join(', ')}`);
        if (!['checkpoint', 'onnx', 'int8'].includes(o.backend)) throw new FinerError(`--backend ${o.backend}: expected checkpoint, onnx or int8`);
        await checkOutFile(o.out, o.data); // before the evaluation, not after it
        const folder = await openModelFolder(o.model);
        const sets = [];
        for (const p of o.data) sets.push(await readEvalSet(p, o.split as SplitName, folder.labels));
        const thresholds = o.thresholds ? await readThresholds(folder) : undefined;
        const verifier = o.verifier ? await readVerifier(folder) : undefined;
        const runner = await openRunner(o.model, o.backend as Backend, folder.labels.length, o.threads);
        try {
          const wholeDoc = o.wholeDoc === undefined ? undefined : { dir: o.wholeDoc, split: o.split as SplitName };
          const report = await evaluateModel(folder, sets, runner.run, { backend: o.backend, batchSize: o.batchSize, thresholds, verifier, wholeDoc });
          await writeFileAtomic(o.out, JSON.stringify(report, null, 1) + '\n');
          printEval(report);
          process.stdout.write(`\nwrote ${o.out}\n`);
        } finally {
          await runner.release();
        }
      }),
    );
}
