/**
 * `finer pretrain` end to end on a tiny model (2 layers, dim 32, 59 tokens):
 * a run stopped after its checkpoint and resumed ends with the same weights,
 * byte for byte, as an uninterrupted one; the encoder folder is a Hugging
 * Face DistilBertForMaskedLM in F16 that `finer train --init` loads; --init
 * from it accumulates pretraining.json; bad input is one line naming the
 * file or flag. Every run gets `--threads 1`.
 */
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOneLineError, runFiner, runFinerInProcess, type Run } from '../cli-run.ts';
import { initFromPretrained } from '../../src/train/checkpoint.ts';
import { floatToHalf, readSafetensors } from '../../src/train/safetensors.ts';
import type { PretrainingRecord } from '../../src/pretrain/checkpoint.ts';
import { prose, VOCAB, writeCorpusFolder } from './fixtures.ts';

// in this process, faster; one run of the file is a real process (runFiner)
const finer = (args: string[]) => runFinerInProcess(['pretrain', ...args]);
const stepsRun = (r: Run, total: number): number[] => [...r.stderr.matchAll(new RegExp(`^step (\\d+)/${total} \\|`, 'gm'))].map((m) => Number(m[1]));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('finer pretrain', () => {
  it('resumes exactly, writes an F16 encoder that finer train --init loads, and --init carries the totals forward', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'pretrain-'));
    const data = join(tmp, 'data');
    await writeCorpusFolder(data, prose(40, 1));
    const threads = ['--threads', '1']; // the thread count is not in the checkpoint
    const common = [
      '--data', data, '--vocab-file', join(data, 'vocab.txt'),
      '--layers', '2', '--dim', '32', '--heads', '2', '--hidden', '64', '--max-positions', '64',
      '--max-length', '32', '--batch-size', '4', '--accum', '2', '--lr', '3e-3', '--warmup', '2',
      '--number-mask-rate', '0.4', '--budget-tokens', '4096', '--save-every', '4', '--seed', '5', ...threads,
    ]; // 4096 / (4 rows x 32 x 2) = 16 steps

    const whole = await runFiner(['pretrain', ...common, '--out', join(tmp, 'whole')]);
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stderr).toMatch(/corpus .*train\.jsonl: \d+ sentences, \d+ sub-tokens, 40 documents \(train\.jsonl only; the folder is split by company/);
    expect(stepsRun(whole, 16)).toEqual(range(1, 16));
    expect(whole.stderr).toMatch(/pretrained 16\/16 steps/);
    const encoder = join(tmp, 'whole/encoder');
    const wholeModel = await readFile(join(encoder, 'model.safetensors'));

    // stopped after step 6: the last checkpoint is step 4; the resumed run does steps 5..16 only
    const stopped = await finer([...common, '--out', join(tmp, 'stopped'), '--stop-after', '6']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(existsSync(join(tmp, 'stopped/checkpoint-4'))).toBe(true);
    const resumed = await finer(['--resume', join(tmp, 'stopped'), ...threads]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`resuming ${join(tmp, 'stopped')} at step 4/16;`);
    expect(stepsRun(resumed, 16)).toEqual(range(5, 16));
    for (const f of ['encoder/model.safetensors', 'checkpoint-16/model.safetensors', 'checkpoint-16/optimizer.safetensors']) {
      expect((await readFile(join(tmp, 'stopped', f))).equals(await readFile(join(tmp, 'whole', f))), f).toBe(true);
    }

    // the encoder: DistilBertForMaskedLM, F16, the projector tied (not stored), vocab.txt, pretraining.json
    const config = JSON.parse(await readFile(join(encoder, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ architectures: ['DistilBertForMaskedLM'], model_type: 'distilbert', n_layers: 2, dim: 32, vocab_size: VOCAB.length });
    expect(config.id2label).toBeUndefined();
    expect((await readFile(join(encoder, 'vocab.txt'), 'utf8')).split('\n')[4]).toBe('[MASK]');
    const file = await readSafetensors(join(encoder, 'model.safetensors'));
    expect(new Set([...file.tensors.values()].map((t) => t.dtype))).toEqual(new Set(['F16']));
    expect([...file.tensors.keys()]).toEqual(expect.arrayContaining(['distilbert.embeddings.word_embeddings.weight', 'vocab_transform.weight', 'vocab_projector.bias']));
    expect(file.tensors.has('vocab_projector.weight')).toBe(false);
    const record = JSON.parse(await readFile(join(encoder, 'pretraining.json'), 'utf8')) as PretrainingRecord;
    expect(record).toMatchObject({
      schema: 1, objective: 'mlm', steps: 16,
      corpus: { path: join(data, 'train.jsonl'), split: 'train', split_by: 'company' },
      options: { batchSize: 4, accum: 2, maxLength: 32, maskRate: 0.15, numberMaskRate: 0.4, warmupSteps: 2, budgetTokens: 4096, seed: 5 },
      model: { n_layers: 2, dim: 32, n_heads: 2, hidden_dim: 64, vocab_size: VOCAB.length },
    });
    expect(record.sub_tokens_read).toBeGreaterThan(3500); // 16 steps x 8 rows x 32, less the padding of an epoch's last row
    expect(record.sub_tokens_read).toBeLessThanOrEqual(4096);
    expect(record.sentences_read).toBeGreaterThan(100);
    expect(record.loss.final).toBeGreaterThan(0);
    expect(record.loss.final).toBeLessThan(record.loss.mean + 1); // finite, and not blowing up
    expect(record.runs).toHaveLength(1);

    // finer train --init reads it: the encoder weights as F16 rounded the F32 checkpoint, the MLM head left out
    const init = await initFromPretrained(encoder, ['O', 'B-X'], 1);
    const f32 = await readSafetensors(join(tmp, 'whole/checkpoint-16/model.safetensors'));
    const w = init.params.get('distilbert.transformer.layer.1.ffn.lin1.weight')!;
    const exact = f32.get('distilbert.transformer.layer.1.ffn.lin1.weight').data;
    expect(w.length).toBe(exact.length);
    const half = new Float32Array(1);
    for (let i = 0; i < w.length; i++) {
      half[0] = w[i]!;
      expect(floatToHalf(exact[i]!), `lin1.weight[${i}]`).toBe(floatToHalf(half[0])); // w is exact[i]'s nearest half
      expect(Math.abs(w[i]! - exact[i]!)).toBeLessThanOrEqual(Math.abs(exact[i]!) * 2 ** -11 + 2 ** -25);
    }
    expect(init.unused.sort()).toEqual(['vocab_layer_norm.bias', 'vocab_layer_norm.weight', 'vocab_projector.bias', 'vocab_transform.bias', 'vocab_transform.weight']);

    // --init: a new run from the encoder, its totals added to the encoder's, reading on from where the first run stopped
    const more = await finer(['--data', data, '--init', encoder, '--out', join(tmp, 'more'), '--budget-tokens', '1024', '--batch-size', '4', '--max-length', '32', '--seed', '5', ...threads]);
    expect(more.code, more.stderr).toBe(0);
    expect(more.stderr).toMatch(/init from .*encoder \(\d+ sub-tokens in 1 run\(s\)\)/);
    expect(more.stderr).toContain(`continuing the corpus at row ${16 * 2 * 4}, where the earlier runs of ${encoder} stopped`);
    const after = JSON.parse(await readFile(join(tmp, 'more/encoder/pretraining.json'), 'utf8')) as PretrainingRecord;
    expect(after.runs).toHaveLength(2);
    expect(after.runs.map((r) => [r.options.startRow ?? 0, r.rows_read])).toEqual([[0, 128], [128, 32]]);
    expect(after.steps).toBe(16 + 8);
    expect(after.sub_tokens_read).toBe(record.sub_tokens_read + after.runs[1]!.sub_tokens_read);
    expect(after.minutes).toBeCloseTo(record.minutes + after.runs[1]!.minutes, 10);
  }, 180_000);

  it('turns --budget-minutes into steps, spends them, and decays the learning rate by the deadline', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'pretrain-'));
    const data = join(tmp, 'data');
    await writeCorpusFolder(data, prose(20, 2));
    const budget = 0.05;
    const r = await finer([
      '--data', data, '--vocab-file', join(data, 'vocab.txt'), '--out', join(tmp, 'out'), '--threads', '1',
      '--layers', '2', '--dim', '32', '--heads', '2', '--hidden', '64', '--max-positions', '64', '--max-length', '32', '--batch-size', '2',
      '--budget-minutes', String(budget), '--save-every', '100000',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const record = JSON.parse(await readFile(join(tmp, 'out/encoder/pretraining.json'), 'utf8')) as PretrainingRecord;
    expect(record.steps).toBeGreaterThan(0);
    expect(record.minutes).toBeLessThan(budget * 1.5);
    // the step count is re-fitted to the pace: the run neither stops early nor is cut off at a high learning rate
    expect(record.minutes, r.stderr).toBeGreaterThan(budget * 0.6);
    const last = (await readFile(join(tmp, 'out/last'), 'utf8')).trim();
    const state = JSON.parse(await readFile(join(tmp, 'out', last, 'trainer_state.json'), 'utf8')) as { history: Array<{ lr: number }>; options: { lr: number } };
    expect(state.history.at(-1)!.lr).toBeLessThan(state.options.lr * 0.25);
    expect(record.options.budgetMinutes).toBe(budget);
  }, 120_000);

  it('stops on bad input with one line naming the file or flag', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'pretrain-'));
    const data = join(tmp, 'data');
    await writeCorpusFolder(data, prose(3, 3));
    const vocab = join(data, 'vocab.txt');
    const base = ['--layers', '2', '--dim', '32', '--heads', '2', '--hidden', '64', '--max-positions', '64', '--max-length', '32'];
    const noMask = join(tmp, 'vocab-no-mask.txt');
    await writeFile(noMask, VOCAB.filter((t) => t !== '[MASK]').join('\n') + '\n');
    const cases: Array<[string[], RegExp]> = [
      [['--data', tmp, '--vocab-file', vocab, '--budget-tokens', '100', ...base], new RegExp(`${join(tmp, 'train.jsonl')}: no such file; expected the train split of a dataset folder`)],
      [['--data', data, '--vocab-file', vocab, ...base], /expected one budget: --budget-tokens N \(sub-tokens\) or --budget-minutes M/],
      [['--data', data, '--vocab-file', vocab, '--budget-tokens', '100', '--budget-minutes', '1', ...base], /expected one budget/],
      [['--data', data, '--vocab-file', noMask, '--budget-tokens', '100', ...base], new RegExp(`${noMask}: no \\[MASK\\] token; expected one for masked-LM pretraining`)],
      [['--data', data, '--vocab-file', vocab, '--budget-tokens', '100', ...base, '--max-length', '65'], /--max-length 65 exceeds the model's max_position_embeddings 64/],
      [['--data', data, '--init', tmp, '--resume', tmp, '--budget-tokens', '100'], /--init and --resume: expected one of them/],
      [['--data', data, '--init', tmp, '--vocab-file', vocab, '--out', join(tmp, 'x'), '--budget-tokens', '100'], new RegExp(`${join(tmp, 'config.json')}: cannot read model config`)],
    ];
    // each run its own folder: two live runs on one run folder are refused (its lock)
    const runs = await Promise.all(cases.map(([args], i) => finer(args.includes('--out') ? args : [...args, '--out', join(tmp, `out${i}`)])));
    runs.forEach((r, i) => expectOneLineError(r, cases[i]![1]));
    for (let i = 0; i < cases.length; i++) expect(existsSync(join(tmp, `out${i}`))).toBe(false); // nothing written before the input is known to be good
  }, 120_000);
});
