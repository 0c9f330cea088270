/**
 * The model pipeline end to end on a tiny model trained here in seconds:
 * train -> export (HF folder, ONNX fp32 + int8) -> evaluate -> compare ->
 * predict, through the CLI as a user runs it, plus the bad inputs each
 * command must refuse with one clear line. The vocabulary comes with a
 * number-shape tokenizer.json (every digit 0), which every step must follow.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModel } from '../../src/onnx/proto.ts';
import { expectOneLineError, runFiner, runFinerInProcess } from '../cli-run.ts';
import { writeNumberShapeTokenizer } from '../tokenizer/fixtures.ts';
import { LABELS, synthetic, VOCAB, writeDatasetFolder } from '../train/fixtures.ts';
import { parseCompareReport, parseEvalReport, parseTrainReport } from '@finer-lens/core/reports/parse.ts';

let tmp: string;
let data: string;
let model: string;

const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pipeline-'));
  data = join(tmp, 'data');
  await writeDatasetFolder(data, synthetic(320, 1), synthetic(32, 2));
  await writeFile(join(data, 'test.jsonl'), synthetic(40, 3).map((s) => JSON.stringify(s)).join('\n') + '\n');
  await writeNumberShapeTokenizer(join(tmp, 'tok'), { tokens: [...VOCAB, '[MASK]'], modelMaxLength: 64 });
  // runFiner: each command once as a real process (predict: the stdin test); its other runs in this process, faster
  const train = await runFiner([
    'train', '--data', data, '--vocab-file', join(tmp, 'tok', 'vocab.txt'), '--out', join(tmp, 'run'),
    '--layers', '2', '--dim', '32', '--heads', '2', '--hidden', '64', '--max-positions', '64',
    '--epochs', '20', '--batch-size', '16', '--lr', '3e-3', '--warmup', '20', '--max-length', '16', '--stride', '4',
    '--threads', '1', '--patience', '6', '--report', join(tmp, 'train.json'),
  ]);
  expect(train.code, train.stderr).toBe(0);
  model = join(tmp, 'finer-tiny');
  const exp = await runFiner(['export', '--model', join(tmp, 'run'), '--out', model]);
  expect(exp.code, exp.stderr).toBe(0);
}, 180_000);

describe('finer train', () => {
  it("writes a --report the dashboard's parser reads: its losses and its evaluations", () => {
    const file = join(tmp, 'train.json');
    const report = parseTrainReport(readJson(file), file);
    expect(report.history.length).toBeGreaterThan(0);
    expect(report.labels).toEqual(LABELS);
    expect(report.evals.length).toBeGreaterThan(0);
  });
});

describe('finer export', () => {
  it('writes the Hugging Face folder: config with labels, tokenizer files, safetensors, ONNX fp32 and int8, card', () => {
    for (const f of ['config.json', 'tokenizer.json', 'vocab.txt', 'tokenizer_config.json', 'special_tokens_map.json', 'model.safetensors', 'onnx/model.onnx', 'onnx/model_quantized.onnx', 'README.md']) {
      expect(existsSync(join(model, f)), f).toBe(true);
    }
    const config = readJson(join(model, 'config.json'));
    expect(config.architectures).toEqual(['DistilBertForTokenClassification']);
    expect(config.id2label).toEqual({ 0: 'O', 1: 'B-RATE', 2: 'B-AMOUNT' });
    expect(config.label2id).toEqual({ O: 0, 'B-RATE': 1, 'B-AMOUNT': 2 });
    expect(config.finer_lens).toEqual({ max_length: 16, stride: 4 });
    const onnx = decodeModel(readFileSync(join(model, 'onnx/model.onnx')));
    const dims = (v: { type: { tensorType: { shape: { dim: Array<{ dimValue?: number; dimParam?: string }> } } } }) => v.type.tensorType.shape.dim.map((d) => d.dimParam ?? d.dimValue);
    expect(onnx.graph.input.map((i) => i.name)).toEqual(['input_ids', 'attention_mask']);
    expect(onnx.graph.input.map(dims)).toEqual([['batch', 'seq'], ['batch', 'seq']]);
    expect(onnx.graph.output.map((o) => [o.name, dims(o)])).toEqual([['logits', ['batch', 'seq', 3]]]);
    const int8 = decodeModel(readFileSync(join(model, 'onnx/model_quantized.onnx')));
    expect(int8.graph.node.some((n) => n.opType === 'MatMulInteger')).toBe(true);
    expect(readFileSync(join(model, 'README.md'), 'utf8')).toMatch(/pipeline\('token-classification', 'finer-tiny'/);
  });

  it('keeps the vocabulary\'s own tokenizer.json (number shapes) in the run and the exported folder', () => {
    const shaped = readFileSync(join(tmp, 'tok', 'tokenizer.json'), 'utf8');
    expect(readJson(join(tmp, 'tok', 'tokenizer.json')).normalizer.normalizers[1]).toEqual({ type: 'Replace', pattern: { Regex: '[0-9]' }, content: '0' });
    expect(readFileSync(join(tmp, 'run', 'tokenizer.json'), 'utf8')).toBe(shaped);
    expect(readFileSync(join(model, 'tokenizer.json'), 'utf8')).toBe(shaped);
  });
});

describe('finer evaluate', () => {
  it('scores the test split (seqeval) and a sparse-gold file into one report', async () => {
    const sparse = join(tmp, 'sparse.jsonl');
    const test = synthetic(10, 3);
    await writeFile(sparse, test.map((s) => JSON.stringify({ id: s.id, tokens: s.tokens, gold: { 0: s.ner_tags[0] ? LABELS[s.ner_tags[0]]!.slice(2) : 'SomeOtherTag' } })).join('\n') + '\n');
    const out = join(tmp, 'eval.json');
    const r = await runFiner(['evaluate', '--model', model, '--backend', 'onnx', '--data', data, sparse, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const report = readJson(out);
    expect(report).toMatchObject({ schema: 1, model: 'finer-tiny', backend: 'onnx', labels: LABELS });
    // the dashboard reads what the CLI writes
    expect(parseEvalReport(report, out).datasets).toHaveLength(2);
    const [dense, sp] = report.datasets;
    expect(dense).toMatchObject({ kind: 'dense', name: 'test', sentences: 40 });
    expect(Object.keys(dense.metrics.perType)).toEqual(['RATE', 'AMOUNT']);
    expect(dense.metrics.confusion.labels).toEqual(['O', 'RATE', 'AMOUNT']);
    // every word of the split is counted once in the confusion matrix
    const words = readFileSync(join(data, 'test.jsonl'), 'utf8').trim().split('\n').reduce((n, l) => n + JSON.parse(l).tokens.length, 0);
    expect(dense.metrics.confusion.matrix.flat().reduce((a: number, b: number) => a + b, 0)).toBe(words);
    expect(dense.metrics.micro.f1).toBeGreaterThan(0.5); // the tiny model learned the task
    expect(sp).toMatchObject({ kind: 'sparse', sentences: 10, metrics: { labelledTokens: 10 } });
    expect(r.stdout).toMatch(/micro/);
  });

  it("gives the exported model's validation split the F1 and word accuracy its training run reported for it (one model, one F1)", async () => {
    const train = parseTrainReport(readJson(join(tmp, 'train.json')), 'train.json');
    const best = train.evals.find((e) => e.step === train.best!.step)!;
    const out = join(tmp, 'eval-validation.json');
    const r = await runFinerInProcess(['evaluate', '--model', model, '--backend', 'onnx', '--data', data, '--split', 'validation', '--batch-size', '16', '--out', out, '--threads', '1']);
    expect(r.code, r.stderr).toBe(0);
    const [validation] = readJson(out).datasets;
    expect(validation).toMatchObject({ kind: 'dense', name: 'validation', sentences: 32 });
    expect(validation.metrics.micro.f1).toBe(best.f1);
    expect(validation.metrics.tokenAccuracy).toBe(best.accuracy);
    expect(validation.metrics.tokens).toBe(best.tokens);
  });

  it("scores a training run's int8, quantised in memory, exactly as its exported int8 file", async () => {
    const evaluate = async (dir: string, out: string) => {
      const r = await runFinerInProcess(['evaluate', '--model', dir, '--backend', 'int8', '--data', data, '--split', 'validation', '--out', out, '--threads', '1']);
      expect(r.code, r.stderr).toBe(0);
      return readJson(out).datasets[0].metrics;
    };
    const exported = await evaluate(model, join(tmp, 'eval-int8-exported.json'));
    expect(existsSync(join(tmp, 'run', 'onnx'))).toBe(false);
    expect(await evaluate(join(tmp, 'run'), join(tmp, 'eval-int8-run.json'))).toEqual(exported);
  });

  it('refuses a dataset whose label names differ from the model\'s', async () => {
    const other = join(tmp, 'other-labels');
    await cp(data, other, { recursive: true });
    await writeFile(join(other, 'dataset_info.json'), JSON.stringify({ label_names: ['O', 'B-AMOUNT', 'B-RATE'] }));
    expectOneLineError(await runFinerInProcess(['evaluate', '--model', model, '--data', other, '--out', join(tmp, 'x.json')]), /label names \[O, B-AMOUNT, B-RATE\] differ from the model's id2label \[O, B-RATE, B-AMOUNT\]/);
    expect(existsSync(join(tmp, 'x.json'))).toBe(false);
  });
});

describe('finer compare', () => {
  it('finds checkpoint, fp32 ONNX and transformers.js identical and int8 close, with speeds', async () => {
    const out = join(tmp, 'compare.json');
    const r = await runFiner(['compare', '--model', model, '--data', data, '--out', out, '--threads', '1']);
    const report = readJson(out);
    expect(report.paths.map((p: { path: string }) => p.path)).toEqual(['checkpoint', 'onnx-fp32', 'onnx-int8', 'transformers.js']);
    expect(parseCompareReport(report, out).paths).toHaveLength(4); // the dashboard reads what the CLI writes
    const by = (name: string) => report.paths.find((p: { path: string }) => p.path === name);
    expect(by('onnx-fp32').maxAbsLogitDiff).toBeLessThan(1e-4);
    expect(by('onnx-fp32').agreement.different).toBe(0);
    expect(by('transformers.js').agreement.different).toBe(0);
    expect(by('transformers.js').metrics.microF1).toBe(by('checkpoint').metrics.microF1);
    for (const p of report.paths) expect(p.speed.subTokensPerSecond).toBeGreaterThan(0);
    const failed = report.checks.filter((c: { ok: boolean; name: string }) => !c.ok).map((c: { name: string }) => c.name);
    // every check is a correctness check (speed is reported, never checked: the checkpoint runs the exported graph)
    expect(failed).toEqual([]);
    expect(r.stdout).toMatch(/ok {3}fp32 ONNX logits within 1e-4/);
    // int8 tagged again one window per call: how many labels its batches change, said, never assumed 0
    const words = by('onnx-int8').agreement.words;
    expect(by('onnx-int8').batchDependence).toEqual({ different: expect.any(Number), sentencesDifferent: expect.any(Number) });
    expect(by('onnx-int8').batchDependence.different).toBeLessThanOrEqual(words);
    for (const p of ['checkpoint', 'onnx-fp32', 'transformers.js']) expect(by(p).batchDependence).toBeUndefined();
    expect(r.stdout).toMatch(new RegExp(`onnx-int8 depends on the batch: \\d+ of ${words} words \\(\\d+ sentences\\) change when each window is tagged alone instead of in batches of 32`));
  });
});

describe('finer predict', () => {
  it('tags text and pre-tokenised lines, keeps every field, and names a bad line while doing the others', async () => {
    const input = join(tmp, 'in.jsonl');
    const output = join(tmp, 'out.jsonl');
    await writeFile(input, [
      JSON.stringify({ id: 'a', text: 'the rate is 5 and  w1 w2 amount 7 .' }),
      '{"broken": ',
      JSON.stringify({ id: 'b', tokens: ['amount', '3', 'w4'], keep: { x: 1 } }),
      JSON.stringify({ id: 'c' }),
    ].join('\n') + '\n');
    for (const backend of ['onnx', 'hf', 'int8']) {
      const r = await runFinerInProcess(['predict', '--model', model, '--backend', backend, '--input', input, '--output', output]);
      expect(r.code).toBe(1); // two bad lines
      expect(r.stderr).toMatch(new RegExp(`${input.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: not valid JSON`));
      expect(r.stderr).toMatch(/:4: no "tokens" \(array of words\) or "text" \(string\) field/);
      const lines = readFileSync(output, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.map((l) => l.id)).toEqual(['a', 'b']);
      const [a, b] = lines;
      expect(a.labels).toHaveLength(10);
      expect(b.keep).toEqual({ x: 1 });
      expect(b.labels).toHaveLength(3);
      for (const e of a.entities) expect(a.text.slice(e.start, e.end)).toBe(e.text);
      for (const e of [...a.entities, ...b.entities]) expect(LABELS).toContain(`B-${e.label}`);
    }
  });

  it('drops entities below the thresholds.json of the model folder, which finer export carries; --no-thresholds keeps them', async () => {
    const run = join(tmp, 'thr-run');
    cpSync(join(tmp, 'run'), run, { recursive: true });
    const report = { schema: 1, thresholds: { RATE: 1, AMOUNT: 0 }, fittedOn: 'dev.jsonl', backend: 'checkpoint', sentences: 2, before: { micro: { f1: 0.5 }, perType: {} }, after: { micro: { f1: 0.75 }, perType: {} } };
    await writeFile(join(run, 'thresholds.json'), JSON.stringify(report));
    const exported = join(tmp, 'thr-model');
    const exp = await runFinerInProcess(['export', '--model', run, '--out', exported]);
    expect(exp.code, exp.stderr).toBe(0);
    expect(readJson(join(exported, 'thresholds.json'))).toEqual(report);
    expect(readFileSync(join(exported, 'README.md'), 'utf8')).toMatch(/Score thresholds per type .* \(RATE 1, AMOUNT 0\)/);
    const input = join(tmp, 'thr-in.jsonl');
    await writeFile(input, Array.from({ length: 6 }, (_, i) => JSON.stringify({ tokens: ['w1', 'rate', `${i}`, 'w2', 'amount', `${i + 1}`] })).join('\n') + '\n');
    const types = async (...flags: string[]) => {
      const r = await runFinerInProcess(['predict', '--model', exported, '--input', input, '--output', join(tmp, 'thr-out.jsonl'), ...flags]);
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(join(tmp, 'thr-out.jsonl'), 'utf8').trim().split('\n').flatMap((l) => JSON.parse(l).entities.map((e: { label: string }) => e.label));
    };
    const raw = await types('--no-thresholds');
    expect(raw.length).toBeGreaterThan(0);
    const type = raw[0] as string;
    await writeFile(join(exported, 'thresholds.json'), JSON.stringify({ ...report, thresholds: { [type]: 1 } }));
    const kept = await types();
    expect(kept).toEqual(raw.filter((t: string) => t !== type));
  });

  it('drops the entities the verifier.json of the model folder refuses, which finer export carries; --no-verifier keeps them', async () => {
    const run = join(tmp, 'ver-run');
    cpSync(join(tmp, 'run'), run, { recursive: true });
    const m = { micro: { precision: 0.5, recall: 0.5, f1: 0.5, tp: 1, fp: 1, fn: 1, support: 2 }, perType: {} };
    // a check that refuses every AMOUNT (bias -30) and knows nothing of RATE
    const report = {
      schema: 1, types: ['AMOUNT'], weights: { b: -30 }, cut: 0.5, confident: 1.01, fittedOn: 'dev.jsonl', before: m, after: m,
      trainedOn: { source: 'data/x', split: 'train', filings: 2, sentences: 10, examples: 4, positives: 2, backend: 'int8', seed: 1 },
    };
    await writeFile(join(run, 'verifier.json'), JSON.stringify(report));
    const exported = join(tmp, 'ver-model');
    const exp = await runFinerInProcess(['export', '--model', run, '--out', exported]);
    expect(exp.code, exp.stderr).toBe(0);
    expect(readJson(join(exported, 'verifier.json'))).toEqual(report);
    expect(readFileSync(join(exported, 'README.md'), 'utf8')).toContain('drops an entity whose probability is below 0.5, unless its score is at least 1.01');
    const input = join(tmp, 'ver-in.jsonl');
    await writeFile(input, Array.from({ length: 6 }, (_, i) => JSON.stringify({ tokens: ['w1', 'rate', `${i}`, 'w2', 'amount', `${i + 1}`] })).join('\n') + '\n');
    const types = async (...flags: string[]) => {
      const r = await runFinerInProcess(['predict', '--model', exported, '--input', input, '--output', join(tmp, 'ver-out.jsonl'), '--no-thresholds', ...flags]);
      expect(r.code, r.stderr).toBe(0);
      return readFileSync(join(tmp, 'ver-out.jsonl'), 'utf8').trim().split('\n').flatMap((l) => JSON.parse(l).entities.map((e: { label: string }) => e.label));
    };
    const raw = await types('--no-verifier');
    expect(raw).toContain('AMOUNT');
    expect(await types()).toEqual(raw.filter((t: string) => t !== 'AMOUNT'));
    // eval.json names the check it applied, with its rules
    await writeFile(join(exported, 'verifier.json'), JSON.stringify({ ...report, rules: ['ratio'] }));
    const ev = await runFinerInProcess(['evaluate', '--model', exported, '--data', data, '--split', 'validation', '--out', join(tmp, 'ver-eval.json'), '--threads', '1']);
    expect(ev.code, ev.stderr).toBe(0);
    expect(readJson(join(tmp, 'ver-eval.json')).verifier).toEqual({ cut: 0.5, confident: 1.01, rules: ['ratio'] });
    await writeFile(join(exported, 'verifier.json'), JSON.stringify({ ...report, types: ['Goodwill'] }));
    const bad = await runFinerInProcess(['predict', '--model', exported, '--input', input, '--output', join(tmp, 'ver-out.jsonl')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe(`finer: ${join(exported, 'verifier.json')}: "types" names Goodwill, not an entity type of the model (RATE, AMOUNT)`);
  });

  it('reads stdin and writes stdout by default', async () => {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'training/src/cli.ts', 'predict', '--model', model], {
      input: JSON.stringify({ tokens: ['rate', '5'] }) + '\n', cwd: join(import.meta.dirname, '../../..'), encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).labels).toHaveLength(2);
  });
});

describe('bad model folders', () => {
  async function broken(change: (dir: string) => Promise<void>): Promise<string> {
    const dir = join(tmp, `broken-${Math.random().toString(36).slice(2)}`);
    await cp(model, dir, { recursive: true });
    await change(dir);
    return dir;
  }
  const tag = (dir: string, backend = 'onnx') => runFinerInProcess(['predict', '--model', dir, '--backend', backend, '--input', join(tmp, 'one.jsonl')]);

  beforeAll(async () => writeFile(join(tmp, 'one.jsonl'), JSON.stringify({ tokens: ['rate', '5'] }) + '\n'));

  it('a missing ONNX file', async () => {
    expectOneLineError(await tag(await broken((d) => rm(join(d, 'onnx/model.onnx')))), /onnx\/model\.onnx: missing; expected the exported ONNX model/);
  });

  it('a config.json whose labels do not match the logits', async () => {
    const dir = await broken(async (d) => {
      const c = readJson(join(d, 'config.json'));
      c.id2label = { 0: 'O', 1: 'B-RATE' };
      c.label2id = { O: 0, 'B-RATE': 1 };
      await writeFile(join(d, 'config.json'), JSON.stringify(c));
    });
    expectOneLineError(await tag(dir), /gives 3 logits per sub-token; config\.json's id2label has 2 labels/);
    expectOneLineError(await tag(dir, 'checkpoint'), /model\.safetensors: tensor "classifier\.weight" has shape \[3,32\]; expected \[2,32\]/);
  });

  it('a vocabulary without [UNK]', async () => {
    const dir = await broken(async (d) => {
      const v = (await readFile(join(d, 'vocab.txt'), 'utf8')).replace('[UNK]\n', '[NOPE]\n');
      await writeFile(join(d, 'vocab.txt'), v);
    });
    expectOneLineError(await tag(dir), /vocab\.txt: missing special token \[UNK\]/);
  });

  it('a config.json that is not JSON', async () => {
    const dir = await broken((d) => writeFile(join(d, 'config.json'), '{ nope'));
    expectOneLineError(await tag(dir), /config\.json: not valid JSON .*expected the model config/);
  });
});
