/** `finer predict --model DIR [--backend onnx|int8|hf|checkpoint] [--input F] [--output F]` */
import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { predictWords, predictWordsWithPipeline } from '@finer-lens/core/ner/tagger.ts';
import { openRunner, type Backend } from '../eval/command.ts';
import { hfClassifier } from '../infer/hf.ts';
import { openModelFolder } from '../infer/model-folder.ts';
import { readThresholds } from '../eval/thresholds.ts';
import { keptPredictions } from '@finer-lens/core/ner/verifier.ts';
import { readVerifier } from '../verifier/read.ts';
import { action } from '../util/cli.ts';
import { FileOutput } from '../util/atomic.ts';
import { FinerError } from '../util/errors.ts';
import { int, positiveInt } from '../util/flags.ts';
import { checkOutFile } from '../util/output.ts';
import { openInput, predictStream, writeStdout, type WordsPredictor } from './predict.ts';

interface Flags { model: string; backend: string; input?: string; output?: string; thresholds: boolean; verifier: boolean; batchSize: number; threads?: number }

export function registerPredict(program: Command): void {
  program
    .command('predict')
    .description('tag JSONL lines ({"text"} or {"tokens"}): adds "labels" (one per word) and "entities" (offsets, type, score, value, unit, sentence)')
    .requiredOption('--model <dir>', 'an exported model folder (or a training run, with --backend checkpoint)')
    .option('--backend <name>', 'onnx (fp32 on onnxruntime-node), int8, hf (transformers.js pipeline) or checkpoint', 'onnx')
    .option('--input <file>', 'JSONL input (default: stdin)')
    .option('--output <file>', 'JSONL output (default: stdout); written to a temporary file, then renamed')
    .option('--no-thresholds', "keep every entity, without the model folder's per-type score thresholds (thresholds.json)")
    .option('--no-verifier', "without the model folder's context check (verifier.json)")
    .option('--batch-size <n>', 'windows per model call', positiveInt('--batch-size'), 32)
    .option('--threads <n>', 'onnxruntime intra-op threads', int('--threads'))
    .action(
      action(async (o: Flags) => {
        if (!['onnx', 'int8', 'hf', 'checkpoint'].includes(o.backend)) throw new FinerError(`--backend ${o.backend}: expected onnx, int8, hf or checkpoint`);
        if (o.input && !existsSync(o.input)) throw new FinerError(`--input ${o.input}: no such file`);
        if (o.input && statSync(o.input).isDirectory()) throw new FinerError(`--input ${o.input}: is a folder; expected a JSONL file`);
        if (o.output) await checkOutFile(o.output, [o.input], '--output'); // before the model loads
        const folder = await openModelFolder(o.model, { needOnnx: o.backend !== 'checkpoint', needWeights: o.backend === 'checkpoint' });
        const opts = { ...folder.window, batchSize: o.batchSize };
        const thresholds = o.thresholds ? await readThresholds(folder) : undefined;
        const verifier = o.verifier ? await readVerifier(folder) : undefined;
        let raw: WordsPredictor;
        let release: () => Promise<void>;
        if (o.backend === 'hf') {
          const hf = await hfClassifier(o.model, 'fp32', o.threads);
          raw = (s) => predictWordsWithPipeline(s, folder.encoder, hf.classify, opts);
          release = hf.release;
        } else {
          const runner = await openRunner(o.model, o.backend as Backend, folder.labels.length, o.threads);
          raw = (s) => predictWords(s, folder.encoder, folder.labels, runner.run, opts);
          release = runner.release;
        }
        const predict: WordsPredictor = async (s) => {
          const r = await raw(s);
          return { ...r, predictions: r.predictions.map((p, i) => keptPredictions(s[i]!, p, thresholds, verifier)) };
        };
        const file = o.output ? await FileOutput.open(o.output) : undefined;
        try {
          const summary = await predictStream(openInput(o.input), file ? (s) => file.write(s) : writeStdout, predict, {
            chunk: 256, where: o.input ?? 'stdin', onBad: (m) => process.stderr.write(`finer: ${m}\n`),
          });
          await file?.commit();
          const rate = (n: number) => Math.round(n / Math.max(summary.seconds, 1e-9));
          process.stderr.write(
            `tagged ${summary.tagged} of ${summary.lines} lines (${summary.bad} bad) in ${summary.seconds.toFixed(1)} s: ` +
              `${rate(summary.tagged)} sentences/s, ${rate(summary.subTokens)} sub-tokens/s (${o.backend})\n`,
          );
          if (summary.bad > 0) process.exitCode = 1;
        } catch (err) {
          await file?.discard();
          throw err;
        } finally {
          await release();
        }
      }),
    );
}
