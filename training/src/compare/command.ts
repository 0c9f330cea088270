/** `finer compare --model DIR --data DIR` -> compare.json and a table. */
import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { readEvalSet } from '../eval/data.ts';
import { openModelFolder } from '../infer/model-folder.ts';
import { writeFileAtomic } from '../util/atomic.ts';
import { action } from '../util/cli.ts';
import { checkOutFile } from '../util/output.ts';
import { FinerError } from '../util/errors.ts';
import { int, positiveInt } from '../util/flags.ts';
import type { SplitName } from '../data/sentence.ts';
import { compareModel } from './compare.ts';

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('checkpoint vs exported ONNX (fp32, int8) vs transformers.js on a whole split: logits, predictions, metrics, speed, and how int8 labels depend on the batch')
    .requiredOption('--model <dir>', 'exported model folder (finer export): model.safetensors, onnx/, tokenizer files')
    .requiredOption('--data <dir>', 'dataset folder (or a FiNER JSONL file)')
    .option('--split <name>', 'split of the dataset folder', 'test')
    .option('--out <file>', 'report file', 'public/reports/compare.json')
    .option('--batch-size <n>', 'windows per model call', positiveInt('--batch-size'), 32)
    .option('--threads <n>', 'onnxruntime intra-op threads (every path)', int('--threads'), availableParallelism())
    .option('--rounds <n>', 'timing rounds, the paths alternating; each path\'s speed is its best round', int('--rounds'), 3)
    .option('--trained <dir>', "the training run the folder was exported from: its F32 weights run as a path of their own, and a check holds the folder's F16 weights to them")
    .action(
      action(async (o: { model: string; data: string; split: string; out: string; batchSize: number; threads: number; rounds: number; trained?: string }) => {
        await checkOutFile(o.out, [o.data]); // before the runs, not after them
        const folder = await openModelFolder(o.model, { needWeights: true, needOnnx: true });
        const trained = o.trained === undefined ? undefined : await openModelFolder(o.trained, { needWeights: true });
        if (trained && trained.labels.join() !== folder.labels.join()) throw new FinerError(`--trained ${o.trained}: id2label [${trained.labels.join(', ')}] differs from the model's [${folder.labels.join(', ')}]; expected the run the model was exported from`);
        const set = await readEvalSet(o.data, o.split as SplitName, folder.labels);
        if (set.kind !== 'dense') throw new FinerError(`${o.data}: sparse gold; expected fully labelled sentences to compare metrics on`);
        const report = await compareModel(folder, set, { batchSize: o.batchSize, threads: o.threads, rounds: o.rounds, split: o.split, trained, log: (l) => process.stderr.write(l + '\n') });
        await writeFileAtomic(o.out, JSON.stringify(report, null, 1) + '\n');
        process.stdout.write(`${'path'.padEnd(16)} ${'agree'.padStart(8)} ${'max|dlogit|'.padStart(12)} ${'micro F1'.padStart(9)} ${'sent/s'.padStart(8)} ${'subtok/s'.padStart(9)}\n`);
        for (const p of report.paths) {
          process.stdout.write(
            `${p.path.padEnd(16)} ${(100 * p.agreement.same / p.agreement.words).toFixed(2).padStart(7)}% ${(p.maxAbsLogitDiff?.toExponential(1) ?? '-').padStart(12)} ` +
              `${(100 * p.metrics.microF1).toFixed(2).padStart(9)} ${p.speed.sentencesPerSecond.toFixed(0).padStart(8)} ${p.speed.subTokensPerSecond.toFixed(0).padStart(9)}\n`,
          );
        }
        for (const p of report.paths) {
          if (p.batchDependence) {
            const b = p.batchDependence;
            process.stdout.write(`${p.path} depends on the batch: ${b.different} of ${p.agreement.words} words (${b.sentencesDifferent} sentences) change when each window is tagged alone instead of in batches of ${o.batchSize}\n`);
          }
        }
        for (const c of report.checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}\n`);
        process.stdout.write(`wrote ${o.out}\n`);
        if (report.checks.some((c) => !c.ok)) process.exitCode = 1;
      }),
    );
}
