/**
 * The exported folder's layout (src/export/layout.ts): F16 weights and the
 * int8 ONNX kept, the fp32 ONNX derived from the weights by `finer derive`
 * exactly as `finer export` wrote it, with the parity `finer compare` checks,
 * and the kept files of a model of the shipped size under the history limit.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictWords } from '@finer-lens/core/ner/tagger.ts';
import { exportModel } from '../../src/export/export.ts';
import { compareModel } from '../../src/compare/compare.ts';
import { deriveModels } from '../../src/export/command.ts';
import { DERIVED_FILES, DERIVED_FROM, deriveFolder, FP32_ONNX, KEPT_BYTES_LIMIT, weightsStamp } from '../../src/export/layout.ts';
import { openModelFolder } from '../../src/infer/model-folder.ts';
import { checkpointRunner, onnxRunner, type Runner } from '../../src/infer/runners.ts';
import { defaultConfig, type DistilBertConfig } from '../../src/model/config.ts';
import { decodeModel, encodeModel } from '../../src/onnx/proto.ts';
import { readSafetensors } from '../../src/train/safetensors.ts';
import { tempDir } from '../data/fixtures.ts';
import { writeRun } from './fixtures.ts';
import { LABELS, synthetic, tinyConfig, VOCAB } from '../train/fixtures.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

/** The largest |a - b| over every logit of the model calls of `a` and `b` on the same batches. */
function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  expect(a.map((x) => x.length)).toEqual(b.map((x) => x.length));
  return Math.max(...a.map((x, i) => x.reduce((m, v, k) => Math.max(m, Math.abs(v - b[i]![k]!)), 0)));
}

/** The word labels and every batch's logits of `runner` on `sentences`, as `finer compare` tags a split. */
async function tag(folderDir: string, runner: Runner, sentences: string[][]): Promise<{ labels: string[][]; logits: Float32Array[] }> {
  const folder = await openModelFolder(folderDir);
  const logits: Float32Array[] = [];
  const run = async (b: Parameters<Runner['run']>[0]) => { const out = await runner.run(b); logits.push(out.slice()); return out; };
  const { predictions } = await predictWords(sentences, folder.encoder, folder.labels, run, { ...folder.window, batchSize: 8 });
  await runner.release();
  return { labels: predictions.map((s) => s.map((p) => p.label)), logits };
}

describe('finer export: the kept files and the derived fp32 ONNX', () => {
  it('writes F16 weights with torch_dtype float16, and an fp32 ONNX stamped with the weights it came from', async () => {
    const dir = tempDir('layout-');
    await writeRun(join(dir, 'run'), tinyConfig(), VOCAB, 5);
    await exportModel(join(dir, 'run'), join(dir, 'model'));
    const model = join(dir, 'model');
    expect(JSON.parse(readFileSync(join(model, 'config.json'), 'utf8')).torch_dtype).toBe('float16');
    const weights = await readSafetensors(join(model, 'model.safetensors'));
    expect(new Set([...weights.tensors.values()].map((t) => t.dtype))).toEqual(new Set(['F16']));
    const run = await readSafetensors(join(dir, 'run', 'model.safetensors'));
    expect([...weights.tensors.keys()].sort()).toEqual([...run.tensors.keys()].sort());
    const stamp = decodeModel(readFileSync(join(model, FP32_ONNX))).metadataProps;
    expect(stamp).toEqual([{ key: DERIVED_FROM, value: weightsStamp(readFileSync(join(model, 'model.safetensors'))) }]);
  });

  it('finer derive writes again, byte for byte, the fp32 ONNX that export wrote; leaves it when fresh; rewrites it when the weights change', async () => {
    const dir = tempDir('layout-');
    await writeRun(join(dir, 'run'), tinyConfig(), VOCAB, 5);
    const model = join(dir, 'models', 'tiny');
    await exportModel(join(dir, 'run'), model);
    const exported = readFileSync(join(model, FP32_ONNX));
    rmSync(join(model, FP32_ONNX));
    const lines: string[] = [];
    await deriveModels([join(dir, 'models')], (l) => lines.push(l));
    expect(lines).toEqual([`${model}: wrote onnx/model.onnx from model.safetensors`]);
    expect(Buffer.compare(readFileSync(join(model, FP32_ONNX)), exported)).toBe(0);
    expect(await deriveFolder(model)).toBe('fresh');

    // other weights (as a checkout of another model would bring): the stamp no longer matches
    await writeRun(join(dir, 'run2'), tinyConfig(), VOCAB, 6);
    await exportModel(join(dir, 'run2'), join(dir, 'model2'));
    for (const f of ['model.safetensors', 'onnx/model_quantized.onnx']) copyFileSync(join(dir, 'model2', f), join(model, f));
    expect(await deriveFolder(model)).toBe('written');
    expect(Buffer.compare(readFileSync(join(model, FP32_ONNX)), readFileSync(join(dir, 'model2', FP32_ONNX)))).toBe(0);
  });

  it('leaves alone a model.onnx without the stamp (an older export kept it in git)', async () => {
    const dir = tempDir('layout-');
    await writeRun(join(dir, 'run'), tinyConfig(), VOCAB, 5);
    await exportModel(join(dir, 'run'), join(dir, 'model'));
    const legacy = encodeModel({ ...decodeModel(readFileSync(join(dir, 'model', FP32_ONNX))), metadataProps: [] });
    writeFileSync(join(dir, 'model', FP32_ONNX), legacy);
    expect(await deriveFolder(join(dir, 'model'))).toBe('kept');
    expect(Buffer.compare(readFileSync(join(dir, 'model', FP32_ONNX)), legacy)).toBe(0);
  });

  it("the derived fp32 ONNX passes finer compare's checks against the folder's weights, and stays close to the trained F32 weights", async () => {
    const dir = tempDir('layout-');
    // initializer_range 0.2: logits far enough apart that the labels say something
    await writeRun(join(dir, 'run'), tinyConfig({ initializer_range: 0.2 }), VOCAB, 9);
    const model = join(dir, 'model');
    await exportModel(join(dir, 'run'), model);
    rmSync(join(model, FP32_ONNX));
    expect(await deriveFolder(model)).toBe('written');
    const sentences = synthetic(40, 3).map((s) => s.tokens);
    const folder = await openModelFolder(model);
    const derived = await tag(model, await onnxRunner(join(model, FP32_ONNX), LABELS.length, 1), sentences);
    const weights = await tag(model, await checkpointRunner(folder, 1), sentences);
    const trained = await tag(join(dir, 'run'), await checkpointRunner(await openModelFolder(join(dir, 'run')), 1), sentences);
    // finer compare: fp32 logits within 1e-4 of the checkpoint (the folder's weights), identical word predictions
    expect(maxAbsDiff(derived.logits, weights.logits)).toBeLessThan(1e-4);
    expect(derived.labels).toEqual(weights.labels);
    expect(new Set(derived.labels.flat()).size).toBeGreaterThan(1);
    // F16 rounding of the trained weights: a relative error of at most 2^-11 per weight
    const toTrained = maxAbsDiff(derived.logits, trained.logits);
    expect(toTrained).toBeGreaterThan(0);
    expect(toTrained).toBeLessThan(0.05);
  });
});

describe('finer compare --trained: the F16 weights held to the trained F32 weights', () => {
  it('runs the trained weights as a path of their own; its check passes for the run the folder came from and fails for other weights', async () => {
    const dir = tempDir('layout-');
    await writeRun(join(dir, 'run'), tinyConfig({ initializer_range: 0.2 }), VOCAB, 9);
    await writeRun(join(dir, 'other'), tinyConfig({ initializer_range: 0.2 }), VOCAB, 10);
    const model = join(dir, 'model');
    await exportModel(join(dir, 'run'), model);
    const folder = await openModelFolder(model);
    // gold: the folder's own labels, so that F1 says how far another path is from it
    const tokens = synthetic(40, 3).map((s) => s.tokens);
    const own = await tag(model, await checkpointRunner(folder, 1), tokens);
    const set = { kind: 'dense' as const, name: 'test', source: 'own labels', sentences: tokens.map((t, i) => ({ id: String(i), tokens: t, labels: own.labels[i]! })) };
    const compare = async (trained: string) => compareModel(folder, set, { batchSize: 8, threads: 1, split: 'test', trained: await openModelFolder(trained) });
    const check = (r: Awaited<ReturnType<typeof compare>>) => r.checks.find((c) => c.name === 'model.safetensors within 0.1 F1 points of the trained weights')!;

    const same = await compare(join(dir, 'run'));
    expect(same.paths.map((p) => p.path)).toEqual(['checkpoint', 'trained', 'onnx-fp32', 'onnx-int8', 'transformers.js']);
    const trained = same.paths.find((p) => p.path === 'trained')!;
    expect(trained.maxAbsLogitDiff).toBeGreaterThan(0);
    expect(trained.maxAbsLogitDiff).toBeLessThan(0.05);
    expect(check(same)).toMatchObject({ ok: true, detail: expect.stringMatching(/^\+0\.00 points; 0 of \d+ words \(0 sentences\) differ; max \|logit diff\| /) });

    const other = await compare(join(dir, 'other'));
    expect(check(other).ok).toBe(false);
  }, 60_000);
});

describe('the history limit of a shipped model', () => {
  it("an exported model of the shipped size keeps under the limit; the derived fp32 ONNX is what would break it, and git ignores it", async () => {
    const dir = tempDir('layout-');
    const shipped = JSON.parse(readFileSync(join(ROOT, 'public/models/finer-lens-small/config.json'), 'utf8')) as DistilBertConfig;
    const config = defaultConfig({ vocab_size: shipped.vocab_size, max_position_embeddings: shipped.max_position_embeddings, n_layers: shipped.n_layers, n_heads: shipped.n_heads, dim: shipped.dim, hidden_dim: shipped.hidden_dim });
    const tokens = [...VOCAB, ...Array.from({ length: config.vocab_size - VOCAB.length }, (_, i) => `t${i}`)];
    await writeRun(join(dir, 'run'), config, tokens, 11);
    const model = join(dir, 'model');
    await exportModel(join(dir, 'run'), model);
    const files = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : [join(d, e.name)]));
    const sizes = new Map(files(model).map((f) => [relative(model, f), statSync(f).size]));
    const kept = [...sizes].filter(([f]) => !DERIVED_FILES.includes(f));
    const keptBytes = kept.reduce((n, [, b]) => n + b, 0);
    expect(keptBytes).toBeLessThan(KEPT_BYTES_LIMIT);
    expect(keptBytes + sizes.get(FP32_ONNX)!).toBeGreaterThan(KEPT_BYTES_LIMIT);
    // .gitignore: the derived files of a folder under public/models, and none of the kept ones
    const ignored = (f: string) => {
      try {
        execFileSync('git', ['check-ignore', '-q', '--no-index', `public/models/finer-lens-next/${f}`], { cwd: ROOT });
        return true;
      } catch {
        return false;
      }
    };
    for (const f of DERIVED_FILES) expect(ignored(f), f).toBe(true);
    for (const [f] of kept) expect(ignored(f), f).toBe(false);
  }, 120_000);
});
