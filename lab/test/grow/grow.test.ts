/**
 * `lab grow`: the map, the copied layers, and a grown tiny encoder that
 * `finer pretrain --init` continues (totals and growth carried in
 * pretraining.json); flag errors are one line.
 */
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkMap, growLayers, stackingMap } from '../../src/grow/grow.ts';
import type { Tensor } from '@finer-lens/training/train/safetensors.ts';
import { readSafetensors } from '@finer-lens/training/train/safetensors.ts';
import type { PretrainingRecord } from '@finer-lens/training/pretrain/checkpoint.ts';
import { expectOneLineError, runFinerInProcess } from '@finer-lens/training/test/cli-run.ts';
import { runLab, runLabInProcess } from '../cli-run.ts';
import { prose, writeCorpusFolder } from '@finer-lens/training/test/pretrain/fixtures.ts';

const t = (v: number): Tensor => ({ shape: [2], data: Float32Array.from([v, v + 0.5]) });

describe('stackingMap / checkMap', () => {
  it('keeps the layers in order, then repeats the top ones; twice the depth is the whole stack again', () => {
    expect(stackingMap(4, 6)).toEqual([0, 1, 2, 3, 2, 3]);
    expect(stackingMap(4, 8)).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    expect(stackingMap(4, 4)).toEqual([0, 1, 2, 3]);
    expect(() => stackingMap(4, 9)).toThrow(/--layers 9: expected a depth from 4 \(the encoder's\) to 8/);
    expect(() => stackingMap(4, 3)).toThrow(/--layers 3/);
  });

  it('refuses a map of the wrong length or with a layer the encoder lacks', () => {
    expect(() => checkMap([0, 1, 2], 2, 4)).toThrow(/3 entries; expected one per layer of the grown model \(4\)/);
    expect(() => checkMap([0, 1, 2, 1], 2, 4)).toThrow(/2 is not a layer of the encoder; expected 0\.\.1/);
  });
});

describe('growLayers', () => {
  it('copies each new layer from its old one and keeps every other tensor', () => {
    const old = new Map<string, Tensor>([
      ['distilbert.embeddings.word_embeddings.weight', t(9)],
      ['distilbert.transformer.layer.0.ffn.lin1.bias', t(0)],
      ['distilbert.transformer.layer.0.attention.q_lin.weight', t(10)],
      ['distilbert.transformer.layer.1.ffn.lin1.bias', t(1)],
      ['distilbert.transformer.layer.1.attention.q_lin.weight', t(11)],
      ['vocab_projector.bias', t(7)],
    ]);
    const grown = growLayers(old, 2, [0, 1, 1]);
    expect([...grown.keys()].sort()).toEqual([
      'distilbert.embeddings.word_embeddings.weight',
      ...[0, 1, 2].flatMap((k) => [`distilbert.transformer.layer.${k}.attention.q_lin.weight`, `distilbert.transformer.layer.${k}.ffn.lin1.bias`]),
      'vocab_projector.bias',
    ].sort());
    expect([...grown.get('distilbert.transformer.layer.2.attention.q_lin.weight')!.data]).toEqual([11, 11.5]);
    expect([...grown.get('distilbert.transformer.layer.2.ffn.lin1.bias')!.data]).toEqual([1, 1.5]);
    expect([...grown.get('distilbert.transformer.layer.0.ffn.lin1.bias')!.data]).toEqual([0, 0.5]);
    // copies, not shared buffers: training one layer must not move its twin
    expect(grown.get('distilbert.transformer.layer.1.ffn.lin1.bias')!.data).not.toBe(grown.get('distilbert.transformer.layer.2.ffn.lin1.bias')!.data);
  });

  it('names a layer beyond the config and a missing layer', () => {
    expect(() => growLayers(new Map([['transformer.layer.3.x', t(0)]]), 2, [0, 1])).toThrow(/tensor "transformer\.layer\.3\.x": layer 3, but config\.json says 2 layers/);
    expect(() => growLayers(new Map([['transformer.layer.0.x', t(0)]]), 2, [0, 1])).toThrow(/no tensors of layer 1/);
  });
});

describe('lab grow', () => {
  it('grows a pretrained tiny encoder that pretrain --init continues, with the totals and the growth carried', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'grow-'));
    const data = join(tmp, 'data');
    await writeCorpusFolder(data, prose(30, 2));
    const base = [
      '--data', data, '--max-length', '32', '--batch-size', '4', '--lr', '3e-3', '--warmup', '2', '--budget-tokens', '1024', '--save-every', '4', '--threads', '1',
    ];
    const first = await runFinerInProcess(['pretrain', ...base, '--vocab-file', join(data, 'vocab.txt'), '--layers', '2', '--dim', '32', '--heads', '2', '--hidden', '64', '--max-positions', '64', '--out', join(tmp, 'mlm')]);
    expect(first.code, first.stderr).toBe(0);
    const enc = join(tmp, 'mlm/encoder');
    const grown = join(tmp, 'grown');
    // grow once as a real process; the other runs in this process, faster
    const g = await runLab(['grow', '--encoder', enc, '--layers', '3', '--out', grown]);
    expect(g.code, g.stderr).toBe(0);
    expect(g.stdout).toMatch(/grew .* to 3 layers \(new layer k = old layer 0, 1, 1\)/);
    expect(JSON.parse(await readFile(join(grown, 'config.json'), 'utf8'))).toMatchObject({ n_layers: 3, dim: 32, architectures: ['DistilBertForMaskedLM'] });
    const before = await readSafetensors(join(enc, 'model.safetensors'));
    const after = await readSafetensors(join(grown, 'model.safetensors'));
    expect(new Set([...after.tensors.values()].map((x) => x.dtype))).toEqual(new Set(['F16']));
    expect([...after.get('distilbert.transformer.layer.2.ffn.lin2.weight').data]).toEqual([...before.get('distilbert.transformer.layer.1.ffn.lin2.weight').data]);
    const record = JSON.parse(await readFile(join(grown, 'pretraining.json'), 'utf8')) as PretrainingRecord;
    expect(record.model.n_layers).toBe(3);
    expect(record.grown).toEqual([expect.objectContaining({ after_runs: 1, from_layers: 2, to_layers: 3, map: [0, 1, 1] })]);

    const more = await runFinerInProcess(['pretrain', ...base, '--init', grown, '--out', join(tmp, 'mlm2')]);
    expect(more.code, more.stderr).toBe(0);
    const continued = JSON.parse(await readFile(join(tmp, 'mlm2/encoder/pretraining.json'), 'utf8')) as PretrainingRecord;
    expect(continued.runs).toHaveLength(2);
    expect(continued.sub_tokens_read).toBe(record.sub_tokens_read + continued.runs[1]!.sub_tokens_read);
    expect(continued.model.n_layers).toBe(3);
    expect(continued.grown).toEqual(record.grown);

    expectOneLineError(await runLabInProcess(['grow', '--encoder', enc, '--layers', '5', '--out', join(tmp, 'x')]), /--layers 5: expected a depth from 2 \(the encoder's\) to 4/);
    expectOneLineError(await runLabInProcess(['grow', '--encoder', enc, '--layers', '3', '--map', '0,1,x', '--out', join(tmp, 'x')]), /--map "0,1,x": expected comma-separated layer indices/);
    expectOneLineError(await runLabInProcess(['grow', '--encoder', tmp, '--layers', '3', '--out', join(tmp, 'x')]), /no config\.json; expected a pretrained encoder folder/);
  }, 120_000);
});
