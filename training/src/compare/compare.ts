/**
 * `finer compare`: the trained checkpoint vs the exported model, on a whole
 * split. Every path tags the same sentences with the same windows and
 * length-sorted batches:
 *
 *   checkpoint        model.safetensors in the inference graph finer export writes (weights as initialisers)
 *   onnx-fp32         onnx/model.onnx on onnxruntime-node
 *   onnx-int8         onnx/model_quantized.onnx on onnxruntime-node
 *   transformers.js   the `token-classification` pipeline on the folder, offline
 *
 * Checks: fp32 logits within 1e-4 of the checkpoint's; identical word
 * predictions and metrics for checkpoint, fp32 and transformers.js; int8
 * within 0.5 F1 points of fp32. Speed in sentences/s and sub-tokens/s, and
 * the fastest path, reported and not checked: the checkpoint runs the graph
 * the export writes, so which of the two is faster is noise.
 *
 * int8 is not identical to itself across batches: DynamicQuantizeLinear
 * scales each activation matrix by its range over the whole batch, so a
 * word's label can depend on the sentences that share its batch. The split
 * is tagged again by int8 one window per model call, and the labels that
 * change are counted (`batchDependence`).
 */
import { join } from 'node:path';
import { scoreSequences } from '@finer-lens/core/ner/metrics.ts';
import { predictWords, predictWordsWithPipeline, type LogitsRunner, type TagStats, type WordPrediction } from '@finer-lens/core/ner/tagger.ts';
import { COMPARE_SCHEMA, type CompareReport, type PathResult } from '@finer-lens/core/reports/compare.ts';
import type { DenseSet } from '../eval/data.ts';
import { entityTypes } from '@finer-lens/core/ner/labels.ts';
import { hfClassifier } from '../infer/hf.ts';
import type { ModelFolder } from '../infer/model-folder.ts';
import { checkpointRunner, onnxRunner } from '../infer/runners.ts';

type Predicted = { predictions: WordPrediction[][]; stats: TagStats };

/** Keeps every batch's logits, in order, so two paths can be compared sub-token by sub-token. */
function recording(run: LogitsRunner): { run: LogitsRunner; logits: Float32Array[] } {
  const logits: Float32Array[] = [];
  return { logits, run: async (b) => { const out = await run(b); logits.push(out.slice()); return out; } };
}

function maxAbsDiff(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    if (x.length !== y.length) max = Infinity;
    else for (let k = 0; k < x.length; k++) max = Math.max(max, Math.abs(x[k]! - y[k]!));
  });
  return max;
}

/** Words of `predictions` whose label differs from `reference`'s, and the sentences holding one. */
export function labelDifferences(predictions: readonly (readonly WordPrediction[])[], reference: readonly (readonly WordPrediction[])[]): { different: number; sentencesDifferent: number } {
  let different = 0;
  let sentencesDifferent = 0;
  predictions.forEach((sent, i) => {
    const d = sent.filter((p, w) => p.label !== reference[i]![w]!.label).length;
    different += d;
    if (d > 0) sentencesDifferent++;
  });
  return { different, sentencesDifferent };
}

export interface CompareOptions {
  batchSize: number; threads: number; split: string; /** timing rounds; speed is each path's best */ rounds?: number; now?: Date; log?: (line: string) => void;
  /** The training run the folder was exported from: its F32 weights as a path of their own, the reference of the folder's F16 weights. */
  trained?: ModelFolder;
}

export async function compareModel(folder: ModelFolder, set: DenseSet, opts: CompareOptions): Promise<CompareReport> {
  const log = opts.log ?? (() => {});
  const sentences = set.sentences.map((s) => s.tokens);
  const head = sentences.slice(0, Math.min(64, sentences.length));
  const tag = { ...folder.window, batchSize: opts.batchSize };
  const types = entityTypes(folder.labels);
  const gold = set.sentences.map((s) => s.labels);
  // Every path stays open; round 1 records predictions (and logits), and the
  // speed of a path is its best round: rounds alternate the paths, so load
  // from other processes falls on all of them alike.
  interface Path { path: string; description: string; tag: (s: readonly (readonly string[])[], batchSize?: number) => Promise<Predicted>; release(): Promise<void>; logits?: Float32Array[] }
  const paths0: Path[] = [];
  const viaLogits = async (path: string, description: string, open: () => Promise<{ run: LogitsRunner; release(): Promise<void> }>) => {
    const runner = await open();
    const rec = recording(runner.run);
    let record = false;
    const run: LogitsRunner = (b) => (record ? rec.run(b) : runner.run(b));
    const p: Path = {
      path, description, logits: rec.logits, release: () => runner.release(),
      tag: (s, batchSize = opts.batchSize) => predictWords(s, folder.encoder, folder.labels, run, { ...tag, batchSize }),
    };
    paths0.push(p);
    return (on: boolean) => { record = on; };
  };
  const recordSwitches = [
    await viaLogits('checkpoint', 'model.safetensors in the inference graph finer export writes (weights as initialisers), on onnxruntime-node', () => checkpointRunner(folder, opts.threads)),
    ...(opts.trained ? [await viaLogits('trained', `${opts.trained.dir}/model.safetensors: the trained F32 weights, in the same graph`, () => checkpointRunner(opts.trained!, opts.threads))] : []),
    await viaLogits('onnx-fp32', 'onnx/model.onnx on onnxruntime-node', () => onnxRunner(join(folder.dir, 'onnx', 'model.onnx'), folder.labels.length, opts.threads)),
    await viaLogits('onnx-int8', 'onnx/model_quantized.onnx on onnxruntime-node', () => onnxRunner(join(folder.dir, 'onnx', 'model_quantized.onnx'), folder.labels.length, opts.threads)),
  ];
  const hf = await hfClassifier(folder.dir, 'fp32', opts.threads);
  paths0.push({
    path: 'transformers.js', description: "transformers.js pipeline('token-classification') on the folder (fp32, offline), labels mapped to words by its own tokenizer",
    tag: (s) => predictWordsWithPipeline(s, folder.encoder, hf.classify, tag), release: () => hf.release(),
  });
  const results: Array<{ path: string; description: string; r: Predicted & { seconds: number }; logits?: Float32Array[]; rounds: number[] }> = [];
  let alone: WordPrediction[][] = []; // int8, one window per model call
  try {
    for (const p of paths0) await p.tag(head); // warm-up
    for (let round = 0; round < Math.max(1, opts.rounds ?? 1); round++) {
      for (const [k, p] of paths0.entries()) {
        recordSwitches[k]?.(round === 0);
        const t0 = performance.now();
        const r = await p.tag(sentences);
        const seconds = (performance.now() - t0) / 1000;
        if (round === 0) results.push({ path: p.path, description: p.description, r: { ...r, seconds }, logits: p.logits, rounds: [seconds] });
        else {
          results[k]!.rounds.push(seconds);
          results[k]!.r.seconds = Math.min(results[k]!.r.seconds, seconds);
        }
        recordSwitches[k]?.(false);
        log(`round ${round + 1} ${p.path}: ${seconds.toFixed(1)} s`);
      }
    }
    const int8 = paths0.findIndex((p) => p.path === 'onnx-int8');
    alone = (await paths0[int8]!.tag(sentences, 1)).predictions;
    log('onnx-int8 one window per call: done');
  } finally {
    for (const p of paths0) await p.release();
  }

  const reference = results[0]!;
  const words = sentences.reduce((n, s) => n + s.length, 0);
  const paths: PathResult[] = results.map(({ path, description, r, logits, rounds }) => {
    const { different, sentencesDifferent } = labelDifferences(r.predictions, reference.r.predictions);
    const m = scoreSequences(gold, r.predictions.map((s) => s.map((p) => p.label)), types);
    return {
      path, description,
      agreement: { words, same: words - different, different, sentencesDifferent },
      ...(logits && path !== 'checkpoint' ? { maxAbsLogitDiff: maxAbsDiff(logits, reference.logits!) } : {}),
      ...(path === 'onnx-int8' ? { batchDependence: labelDifferences(alone, r.predictions) } : {}),
      metrics: {
        microF1: m.micro.f1, precision: m.micro.precision, recall: m.micro.recall,
        perTypeF1: Object.fromEntries(Object.entries(m.perType).map(([t, s]) => [t, s.f1])),
      },
      speed: {
        seconds: r.seconds,
        rounds,
        sentencesPerSecond: sentences.length / r.seconds,
        subTokensPerSecond: r.stats.subTokens / r.seconds,
      },
    };
  });
  const by = (p: string) => paths.find((x) => x.path === p)!;
  const fp32 = by('onnx-fp32');
  const int8 = by('onnx-int8');
  const js = by('transformers.js');
  const ck = by('checkpoint');
  const f1Points = 100 * (fp32.metrics.microF1 - int8.metrics.microF1);
  const checks = [
    { name: 'fp32 ONNX logits within 1e-4 of the checkpoint', ok: fp32.maxAbsLogitDiff! < 1e-4, detail: `max |diff| ${fp32.maxAbsLogitDiff!.toExponential(2)}` },
    { name: 'fp32 ONNX: identical word predictions', ok: fp32.agreement.different === 0, detail: `${fp32.agreement.different} of ${words} words differ` },
    { name: 'transformers.js: identical word predictions', ok: js.agreement.different === 0, detail: `${js.agreement.different} of ${words} words differ` },
    { name: 'identical metrics (checkpoint, fp32, transformers.js)', ok: fp32.metrics.microF1 === ck.metrics.microF1 && js.metrics.microF1 === ck.metrics.microF1, detail: `micro F1 ${[ck, fp32, js].map((p) => p.metrics.microF1.toFixed(4)).join(' / ')}` },
    { name: 'int8 within 0.5 F1 points of fp32', ok: Math.abs(f1Points) <= 0.5, detail: `${f1Points >= 0 ? '-' : '+'}${Math.abs(f1Points).toFixed(2)} points; ${int8.agreement.different} words (${int8.agreement.sentencesDifferent} sentences) differ` },
  ];
  const trained = paths.find((p) => p.path === 'trained');
  if (trained) {
    const points = 100 * (ck.metrics.microF1 - trained.metrics.microF1);
    checks.push({ name: 'model.safetensors within 0.1 F1 points of the trained weights', ok: Math.abs(points) <= 0.1, detail: `${points >= 0 ? '+' : '-'}${Math.abs(points).toFixed(2)} points; ${trained.agreement.different} of ${words} words (${trained.agreement.sentencesDifferent} sentences) differ; max |logit diff| ${trained.maxAbsLogitDiff!.toExponential(2)}` });
  }
  const fastest = [...paths].sort((a, b) => b.speed.subTokensPerSecond - a.speed.subTokensPerSecond)[0]!;
  const first = results[0]!.r.stats;
  return {
    schema: COMPARE_SCHEMA, model: folder.name, date: (opts.now ?? new Date()).toISOString(),
    data: { source: set.source, split: opts.split, sentences: sentences.length, words, windows: first.windows, subTokens: first.subTokens },
    settings: { batchSize: opts.batchSize, threads: opts.threads, rounds: Math.max(1, opts.rounds ?? 1), window: folder.window, lengthSorted: true },
    paths, checks,
    fastest: {
      path: fastest.path,
      speedup: Object.fromEntries(paths.filter((p) => p !== fastest).map((p) => [p.path, fastest.speed.subTokensPerSecond / p.speed.subTokensPerSecond])),
    },
  };
}
