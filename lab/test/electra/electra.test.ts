/**
 * `lab electra` end to end on a tiny discriminator
 * (2 layers, dim 32) and generator (1 layer, dim 16): a run stopped after a
 * checkpoint and resumed ends with the same discriminator, generator and
 * both AdamW states, byte for byte, as an uninterrupted one; the encoder is
 * the discriminator in F16, which `finer train --init` loads; pretraining.json
 * says "electra" and the generator's size. Every run gets `--threads 1`.
 */
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLab, runLabInProcess } from '../cli-run.ts';
import { expectOneLineError, runFinerInProcess, type Run } from '@finer-lens/training/test/cli-run.ts';
import { initFromPretrained } from '@finer-lens/training/train/checkpoint.ts';
import { readSafetensors } from '@finer-lens/training/train/safetensors.ts';
import type { PretrainingRecord } from '@finer-lens/training/pretrain/checkpoint.ts';
import { prose, VOCAB, writeCorpusFolder } from '@finer-lens/training/test/pretrain/fixtures.ts';

// in this process, faster; one run of the file is a real process (runLab)
const lab = (args: string[]) => runLabInProcess(['electra', ...args]);
const stepsRun = (r: Run, total: number): number[] => [...r.stderr.matchAll(new RegExp(`^step (\\d+)/${total} \\|`, 'gm'))].map((m) => Number(m[1]));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('lab electra', () => {
  it('resumes exactly and writes a discriminator encoder that finer train --init loads', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'electra-'));
    const data = join(tmp, 'data');
    await writeCorpusFolder(data, prose(30, 7));
    const threads = ['--threads', '1'];
    const common = [
      '--generator-layers', '1', '--generator-dim', '16',
      '--data', data, '--vocab-file', join(data, 'vocab.txt'),
      '--layers', '2', '--dim', '32', '--heads', '2', '--hidden', '64', '--max-positions', '64',
      '--max-length', '32', '--batch-size', '4', '--accum', '2', '--lr', '3e-3', '--warmup', '2',
      '--budget-tokens', '2048', '--save-every', '3', '--seed', '5', ...threads,
    ]; // 2048 / (4 rows x 32 x 2) = 8 steps

    const whole = await runLab(['electra', ...common, '--out', join(tmp, 'whole')]);
    expect(whole.code, whole.stderr).toBe(0);
    expect(whole.stderr).toMatch(/electra: generator 1 layers, dim 16, 1 heads, hidden 64; discriminator 2 layers, dim 32/);
    expect(stepsRun(whole, 8)).toEqual(range(1, 8));
    expect(whole.stderr).toMatch(/^step 8\/8 \| gen \d+\.\d{4} \| disc \d+\.\d{4} \| replaced \d+\.\d% \| lr/m);
    expect(whole.stderr).toMatch(/pretrained 8\/8 steps, .*discriminator loss \d+\.\d+, generator loss \d+\.\d+/);

    // stopped after step 4: the last checkpoint is step 3; the resumed run does steps 4..8 only
    const stopped = await lab([...common, '--out', join(tmp, 'stopped'), '--stop-after', '4']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(existsSync(join(tmp, 'stopped/checkpoint-3/generator/optimizer.safetensors'))).toBe(true);
    const resumed = await lab(['--resume', join(tmp, 'stopped'), ...threads]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(stepsRun(resumed, 8)).toEqual(range(4, 8));
    for (const f of [
      'encoder/model.safetensors', 'checkpoint-8/model.safetensors', 'checkpoint-8/optimizer.safetensors',
      'checkpoint-8/generator/model.safetensors', 'checkpoint-8/generator/optimizer.safetensors',
    ]) {
      expect((await readFile(join(tmp, 'stopped', f))).equals(await readFile(join(tmp, 'whole', f))), f).toBe(true);
    }

    // the encoder: the discriminator (original/replaced head), F16, with pretraining.json
    const encoder = join(tmp, 'whole/encoder');
    const config = JSON.parse(await readFile(join(encoder, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ architectures: ['DistilBertForTokenClassification'], n_layers: 2, dim: 32, vocab_size: VOCAB.length, id2label: { 0: 'original', 1: 'replaced' } });
    const file = await readSafetensors(join(encoder, 'model.safetensors'));
    expect(new Set([...file.tensors.values()].map((t) => t.dtype))).toEqual(new Set(['F16']));
    expect(file.tensors.get('classifier.weight')!.shape).toEqual([2, 32]);
    const record = JSON.parse(await readFile(join(encoder, 'pretraining.json'), 'utf8')) as PretrainingRecord;
    expect(record).toMatchObject({
      schema: 1, objective: 'electra', steps: 8,
      options: { generator: { n_layers: 1, dim: 16, n_heads: 1, hidden_dim: 64 } },
      generator: { n_layers: 1, dim: 16, n_heads: 1, hidden_dim: 64 },
      model: { n_layers: 2, dim: 32 },
    });
    expect(record.generator!.parameters).toBeGreaterThan(0);
    expect(record.generator!.loss.final).toBeGreaterThan(0);
    expect(record.loss.final).toBeGreaterThan(0);
    expect(record.runs.map((r) => r.objective)).toEqual(['electra']);

    // finer train --init: the discriminator's body, the RTD head left out for a fresh classifier
    const init = await initFromPretrained(encoder, ['O', 'B-X', 'I-X'], 1);
    expect(init.unused.sort()).toEqual(['classifier.bias', 'classifier.weight']);
    expect(init.params.get('classifier.weight')!.length).toBe(3 * 32);

    // --init from an MLM-free encoder: an ELECTRA run from the ELECTRA encoder carries the totals forward
    const more = await lab(['--generator-layers', '1', '--generator-dim', '16', '--data', data, '--init', encoder,
      '--out', join(tmp, 'more'), '--budget-tokens', '512', '--batch-size', '4', '--max-length', '32', '--seed', '5', ...threads]);
    expect(more.code, more.stderr).toBe(0);
    const after = JSON.parse(await readFile(join(tmp, 'more/encoder/pretraining.json'), 'utf8')) as PretrainingRecord;
    expect(after.runs.map((r) => r.objective)).toEqual(['electra', 'electra']);
    expect(after.steps).toBe(8 + 4);

    // finer pretrain is masked LM only: an ELECTRA run is refused in one line that names the command that continues it
    const refused = await runFinerInProcess(['pretrain', '--resume', join(tmp, 'stopped'), ...threads]);
    expectOneLineError(refused, /stopped: a "electra" pretraining run; this command continues "mlm" runs \(npm run lab -- electra --resume\)/);
  }, 240_000);
});
