import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initParams, paramSpecs } from '../../src/model/params.ts';
import { AdamW } from '../../src/engine/adamw.ts';
import {
  classifierConfig, HEAD, initFromPretrained, loadCheckpoint, saveCheckpoint,
  type TrainerState, type TrainOptions,
} from '../../src/train/checkpoint.ts';
import { writeSafetensors, type Tensor } from '../../src/train/safetensors.ts';
import { FinerError } from '../../src/util/errors.ts';
import { LABELS, tinyConfig } from './fixtures.ts';

const OPTIONS: TrainOptions = {
  epochs: 1, batchSize: 2, accum: 1, lr: 1e-3, warmupSteps: 0, weightDecay: 0.01, clip: 1, maxLength: 32,
  seed: 1, saveEvery: 1, evalEvery: 0, keep: 2, bucketBatches: 1,
};

/** A Hugging Face DistilBertForMaskedLM-style folder with random weights; `prefix` '' mimics DistilBertModel. */
async function pretrainedFolder(prefix: 'distilbert.' | '', tweak?: (tensors: Map<string, Tensor>) => void) {
  const dir = await mkdtemp(join(tmpdir(), 'hf-'));
  const config = { ...tinyConfig(), architectures: ['DistilBertForMaskedLM'] };
  const specs = paramSpecs(config, HEAD, 2).filter((s) => !s.name.startsWith('classifier.'));
  const values = initParams(specs, config, 123);
  const tensors = new Map<string, Tensor>(specs.map((s) => [s.name.replace(/^distilbert\./, prefix), { shape: s.shape, data: values.get(s.name)! }]));
  tensors.set('vocab_transform.weight', { shape: [config.dim, config.dim], data: new Float32Array(config.dim * config.dim) });
  tensors.set('vocab_projector.bias', { shape: [config.vocab_size], data: new Float32Array(config.vocab_size) });
  tweak?.(tensors);
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  await writeSafetensors(join(dir, 'model.safetensors'), tensors);
  return { dir, values };
}

describe('initFromPretrained', () => {
  it.each(['distilbert.', ''] as const)('maps "%s"-prefixed names, drops the MLM head, adds a fresh classifier', async (prefix) => {
    const { dir, values } = await pretrainedFolder(prefix);
    const init = await initFromPretrained(dir, LABELS, 5);
    expect(init.config.architectures).toEqual(['DistilBertForTokenClassification']);
    expect(init.config.id2label).toEqual({ 0: 'O', 1: 'B-RATE', 2: 'B-AMOUNT' });
    expect(init.config.label2id).toEqual({ O: 0, 'B-RATE': 1, 'B-AMOUNT': 2 });
    for (const [name, v] of values) expect(init.params.get(name), name).toEqual(v);
    expect(init.fresh).toEqual(['classifier.weight', 'classifier.bias']);
    expect(init.params.get('classifier.weight')!.length).toBe(3 * 32);
    expect(init.params.get('classifier.weight')!.some((x) => x !== 0)).toBe(true);
    expect(init.unused.sort()).toEqual(['vocab_projector.bias', 'vocab_transform.weight']);
  });

  /** A token-classification folder (a fine-tuned model) whose id2label is `old`. */
  async function classifierFolder(old: string[], tweak?: (tensors: Map<string, Tensor>) => void) {
    const dir = await mkdtemp(join(tmpdir(), 'tc-'));
    const config = classifierConfig(tinyConfig(), old);
    const specs = paramSpecs(config, HEAD, old.length);
    const values = initParams(specs, config, 77);
    const bias = values.get('classifier.bias')!;
    bias.forEach((_, j) => { bias[j] = 10 + j; }); // recognisable: row j's bias is 10 + j
    const tensors = new Map<string, Tensor>(specs.map((s) => [s.name, { shape: s.shape, data: values.get(s.name)! }]));
    tweak?.(tensors);
    await writeFile(join(dir, 'config.json'), JSON.stringify(config));
    await writeSafetensors(join(dir, 'model.safetensors'), tensors);
    return { dir, values };
  }

  it('--init-head labels keeps the classifier rows of the labels the folder shares, by name, whatever their order', async () => {
    const { dir, values } = await classifierFolder(['O', 'B-AMOUNT', 'B-OTHER', 'B-RATE']);
    const init = await initFromPretrained(dir, LABELS, 5, 'labels'); // O, B-RATE, B-AMOUNT
    expect(init.transferred).toEqual(['O', 'B-RATE', 'B-AMOUNT']);
    expect(init.fresh).toEqual([]);
    expect(init.unused).toEqual([]);
    expect(init.config.id2label).toEqual({ 0: 'O', 1: 'B-RATE', 2: 'B-AMOUNT' });
    const D = 32;
    const w = values.get('classifier.weight')!;
    const got = init.params.get('classifier.weight')!;
    for (const [i, j] of [[0, 0], [1, 3], [2, 1]] as const) {
      expect(Array.from(got.subarray(i * D, (i + 1) * D)), `row ${i} <- ${j}`).toEqual(Array.from(w.subarray(j * D, (j + 1) * D)));
    }
    expect(Array.from(init.params.get('classifier.bias')!)).toEqual([10, 13, 11]);
  });

  it('--init-head labels leaves the rows of labels the folder lacks fresh, and says so', async () => {
    const { dir } = await classifierFolder(['O', 'B-RATE']);
    const init = await initFromPretrained(dir, LABELS, 5, 'labels');
    expect(init.transferred).toEqual(['O', 'B-RATE']);
    expect(init.fresh).toEqual(['classifier.weight', 'classifier.bias']);
    const b = init.params.get('classifier.bias')!;
    expect([b[0], b[1]]).toEqual([10, 11]);
    expect(b[2]).toBe(0); // a fresh bias
  });

  it('the default head is fresh even from a token classifier', async () => {
    const { dir } = await classifierFolder(['O', 'B-RATE', 'B-AMOUNT']);
    const init = await initFromPretrained(dir, LABELS, 5);
    expect(init.transferred).toEqual([]);
    expect(init.fresh).toEqual(['classifier.weight', 'classifier.bias']);
    expect(init.unused.sort()).toEqual(['classifier.bias', 'classifier.weight']);
    expect(Array.from(init.params.get('classifier.bias')!)).toEqual([0, 0, 0]);
  });

  it('--init-head labels from a folder without a classifier, or with no shared label, is a clear error', async () => {
    const { dir: mlm } = await pretrainedFolder('distilbert.');
    await expect(initFromPretrained(mlm, LABELS, 5, 'labels')).rejects.toThrow(
      /config\.json: field "id2label" missing; --init-head labels expects a token-classification model/,
    );
    const { dir: other } = await classifierFolder(['B-X', 'I-X']);
    await expect(initFromPretrained(other, LABELS, 5, 'labels')).rejects.toThrow(/id2label \(B-X, I-X\) names none of the data's labels \(O, B-RATE, B-AMOUNT, \.\.\.\)/);
    const { dir: bad } = await classifierFolder(['O', 'B-RATE', 'B-AMOUNT'], (t) => t.set('classifier.bias', { shape: [2], data: new Float32Array(2) }));
    await expect(initFromPretrained(bad, LABELS, 5, 'labels')).rejects.toThrow(/tensor "classifier\.bias" has shape \[2\]; expected \[3\]/);
  });

  it('names the tensor and both shapes when a checkpoint does not match its config', async () => {
    const name = 'distilbert.transformer.layer.1.ffn.lin1.weight';
    const { dir } = await pretrainedFolder('distilbert.', (t) => t.set(name, { shape: [48, 32], data: new Float32Array(48 * 32) }));
    const err = await initFromPretrained(dir, LABELS, 5).catch((e) => e);
    expect(err).toBeInstanceOf(FinerError);
    expect(err.message).toBe(`${join(dir, 'model.safetensors')}: tensor "${name}" has shape [48,32]; expected [64,32] from the config`);
  });

  it('names a missing tensor under both names it may have', async () => {
    const { dir } = await pretrainedFolder('', (t) => t.delete('embeddings.LayerNorm.bias'));
    await expect(initFromPretrained(dir, LABELS, 5)).rejects.toThrow(
      /missing tensor "distilbert\.embeddings\.LayerNorm\.bias" or "embeddings\.LayerNorm\.bias"/,
    );
  });

  it('rejects a corrupt safetensors header', async () => {
    const { dir } = await pretrainedFolder('');
    const bytes = await readFile(join(dir, 'model.safetensors'));
    bytes[10] = 0x00; // inside the JSON header
    await writeFile(join(dir, 'model.safetensors'), bytes);
    await expect(initFromPretrained(dir, LABELS, 5)).rejects.toThrow(/model\.safetensors: corrupt safetensors/);
  });

  it('says that only safetensors is supported', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hf-'));
    await writeFile(join(dir, 'config.json'), JSON.stringify(tinyConfig()));
    await writeFile(join(dir, 'pytorch_model.bin'), 'x');
    await expect(initFromPretrained(dir, LABELS, 5)).rejects.toThrow(/only model\.safetensors is supported/);
  });
});

describe('saveCheckpoint / loadCheckpoint', () => {
  async function saved() {
    const out = await mkdtemp(join(tmpdir(), 'ck-'));
    const config = classifierConfig(tinyConfig(), LABELS);
    const specs = paramSpecs(config, HEAD, LABELS.length);
    const params = initParams(specs, config, 9);
    const optimizer = new AdamW(specs);
    optimizer.update(params, new Map(specs.map((s) => [s.name, params.get(s.name)!.map((x) => x + 0.5)])), 1e-3);
    const state: TrainerState = {
      schema: 1, step: 4, totalSteps: 10, epoch: 0.4, segment: 4, options: OPTIONS, data: { sentences: 3, fingerprint: 'abc' },
      tokensSeen: 100, history: [{ step: 4, loss: 1.5, lr: 1e-3, gradNorm: 2 }], evals: [], best: null,
    };
    await saveCheckpoint(out, { config, specs, params, optimizer, state });
    return { out, config, params, optimizer, state };
  }

  it('round-trips parameters, AdamW moments and trainer state exactly', async () => {
    const { out, config, params, optimizer, state } = await saved();
    const ck = await loadCheckpoint(out);
    expect(ck.config).toEqual(config);
    expect(ck.state).toEqual(state);
    expect(ck.optimizer.t).toBe(1);
    for (const [name, v] of params) {
      expect(ck.params.get(name), name).toEqual(v);
      expect(ck.optimizer.m.get(name), name).toEqual(optimizer.m.get(name));
      expect(ck.optimizer.v.get(name), name).toEqual(optimizer.v.get(name));
    }
  });

  it('rejects a checkpoint whose tensors do not match its config.json', async () => {
    const { out } = await saved();
    const configPath = join(out, 'checkpoint-4', 'config.json');
    const config = JSON.parse(await readFile(configPath, 'utf8'));
    await writeFile(configPath, JSON.stringify({ ...config, hidden_dim: 128 }));
    await expect(loadCheckpoint(out)).rejects.toThrow(
      /model\.safetensors: tensor "distilbert\.transformer\.layer\.0\.ffn\.lin1\.weight" has shape \[64,32\]; expected \[128,32\]/,
    );
  });

  it("removes a killed run's temporary checkpoint folders when the next run resumes or saves, not those of live runs", async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid; // a process that has exited
    const live = process.ppid;
    const killedRun = async (out: string) => {
      for (const name of [`.checkpoint-8.${dead}.tmp`, `.best.${dead}.tmp`]) {
        await mkdir(join(out, name));
        await writeFile(join(out, name, 'model.safetensors'), 'half');
      }
      await writeFile(join(out, `.last.${dead}.tmp`), 'checkpoint-8');
    };
    const hidden = async (out: string) => (await readdir(out)).filter((f) => f.startsWith('.')).sort();

    const { out, config, params, optimizer, state } = await saved();
    await mkdir(join(out, `.checkpoint-9.${live}.tmp`));
    await killedRun(out);
    await loadCheckpoint(out); // the start of a resumed run
    expect(await hidden(out)).toEqual([`.checkpoint-9.${live}.tmp`]);
    await killedRun(out);
    await loadCheckpoint(join(out, 'checkpoint-4')); // --resume naming a checkpoint folder cleans its run folder
    expect(await hidden(out)).toEqual([`.checkpoint-9.${live}.tmp`]);
    await killedRun(out);
    await saveCheckpoint(out, { config, specs: paramSpecs(config, HEAD, LABELS.length), params, optimizer, state: { ...state, step: 5 } });
    expect(await hidden(out)).toEqual([`.checkpoint-9.${live}.tmp`]);
    expect(await readFile(join(out, 'last'), 'utf8')).toBe('checkpoint-5\n');

    // killed between writeDirAtomic's two renames: the folder it replaced is put back
    await mkdir(join(out, `.best.${dead}.old`));
    await writeFile(join(out, `.best.${dead}.old`, 'model.safetensors'), 'old best');
    await loadCheckpoint(out);
    expect(await readFile(join(out, 'best', 'model.safetensors'), 'utf8')).toBe('old best');
    expect(await hidden(out)).toEqual([`.checkpoint-9.${live}.tmp`]);
  });

  it('says what is missing when a folder holds no checkpoint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ck-'));
    await mkdir(join(dir, 'x'));
    await expect(loadCheckpoint(dir)).rejects.toThrow(/no checkpoint here; expected a "last" file/);
  });
});
