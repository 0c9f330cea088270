/**
 * `--out` never destroys input: a target that is or holds an input, a file,
 * or a folder that is not the command's own earlier output is refused with
 * one line before any work, and left as it was; `--force` replaces such a
 * folder; folders written before the check (recognised by what they hold)
 * are still replaced.
 */
import { existsSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINER139_LABELS } from '@finer-lens/core/ner/labels.ts';
import { buildIxbrlDataset } from '../../src/data/ixbrl/build.ts';
import { writeSubset } from '../../src/data/subset.ts';
import { exportModel } from '../../src/export/export.ts';
import { runTrain } from '../../src/train/command.ts';
import { DEFAULT_TRAIN_CONFIG } from '../../src/config/train.ts';
import { FinerError } from '../../src/util/errors.ts';
import { checkOutDir, type OutputKind } from '../../src/util/output.ts';
import { sentence, tempDir, writeJsonlDataset, writeTree } from '../data/fixtures.ts';

/** The error of a promise that must fail with one line. */
async function oneLine(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(FinerError);
  const message = (err as Error).message;
  expect(message.split('\n')).toHaveLength(1);
  return message;
}

const FILINGS = { 'a.htm': '<html>filing a</html>', 'sub/b.htm': '<html>filing b</html>' };
const OPTIONS = { seed: 1, split: [80, 10, 10] as [number, number, number], allSentences: false };

async function dataset(dir: string): Promise<void> {
  await writeJsonlDataset(dir, { train: [sentence('t', [41, 0])], test: [sentence('u', [0, 87])] }, { label_names: FINER139_LABELS });
}

describe('--out that is or holds an input', () => {
  it('finer ixbrl F/ --out F/ and --out of the folder above F refuse, and the filings stay', async () => {
    const parent = tempDir();
    const filings = join(parent, 'filings');
    await writeTree(filings, FILINGS);
    expect(await oneLine(buildIxbrlDataset([filings], { ...OPTIONS, out: filings }))).toMatch(/^--out .*filings: is the input .*filings; expected a new output apart from the inputs$/);
    expect(await oneLine(buildIxbrlDataset([`${filings}/`], { ...OPTIONS, out: parent, force: true }))).toMatch(/^--out .*: holds the input .*filings\/; expected/);
    expect(await oneLine(buildIxbrlDataset([join(filings, 'sub', 'b.htm')], { ...OPTIONS, out: join(filings, 'sub') }))).toMatch(/holds the input .*b\.htm/);
    expect(readFileSync(join(filings, 'a.htm'), 'utf8')).toBe(FILINGS['a.htm']);
    expect(readFileSync(join(filings, 'sub', 'b.htm'), 'utf8')).toBe(FILINGS['sub/b.htm']);
    expect(readdirSync(parent)).toEqual(['filings']);
  });

  it('finer subset data/x --out data/x refuses, also through a symlink or a path with ..', async () => {
    const parent = tempDir();
    const data = join(parent, 'x');
    await dataset(data);
    const before = readFileSync(join(data, 'train.jsonl'), 'utf8');
    expect(await oneLine(writeSubset(data, data))).toMatch(/^--out .*x: is the input .*x;/);
    expect(await oneLine(writeSubset(data, join(data, '..', 'x', '.'), { force: true }))).toMatch(/is the input/);
    symlinkSync(data, join(parent, 'link'));
    expect(await oneLine(writeSubset(data, join(parent, 'link')))).toMatch(/link: is the input/);
    expect(await oneLine(writeSubset(join(parent, 'link'), data))).toMatch(/x: is the input .*link/);
    expect(readFileSync(join(data, 'train.jsonl'), 'utf8')).toBe(before);
  });

  it('finer export --model runs/r --out runs/r refuses before reading the run, and its checkpoints stay', async () => {
    const run = tempDir();
    await writeTree(run, { 'last': 'checkpoint-4\n', 'checkpoint-4/trainer_state.json': '{}', 'config.json': '{}' });
    expect(await oneLine(exportModel(run, run))).toMatch(/is the input/);
    expect(await oneLine(exportModel(run, join(run, '..'), {}, true))).toMatch(/holds the input/);
    expect(existsSync(join(run, 'checkpoint-4', 'trainer_state.json'))).toBe(true);
  });

  it('finer train --data D --out D refuses before writing into D', async () => {
    const data = tempDir();
    await dataset(data);
    await writeFile(join(data, 'vocab.txt'), '[PAD]\n[UNK]\n[CLS]\n[SEP]\n');
    const names = readdirSync(data).sort();
    expect(await oneLine(runTrain({ data, out: data, vocabFile: join(data, 'vocab.txt') }, DEFAULT_TRAIN_CONFIG))).toMatch(/^--out .*: is the input/);
    expect(readdirSync(data).sort()).toEqual(names);
  });
});

describe('--out that exists', () => {
  it('a file (--out notes.txt) is refused and kept', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    await dataset(data);
    const notes = join(dir, 'notes.txt');
    await writeFile(notes, 'my notes');
    expect(await oneLine(writeSubset(data, notes, { force: true }))).toBe(`--out ${notes}: is a file; expected a folder (a file is never replaced)`);
    expect(readFileSync(notes, 'utf8')).toBe('my notes');
  });

  it("a folder that is not the command's output is refused and kept; --force replaces it", async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    await dataset(data);
    const other = join(dir, 'other');
    await writeTree(other, { 'thesis.tex': 'x', 'train.jsonl': 'mine' });
    expect(await oneLine(writeSubset(data, other))).toBe(
      `--out ${other}: an existing folder that is not the output of finer subset (it holds thesis.tex, train.jsonl); expected a new or empty folder, or --force to replace it`,
    );
    expect(readFileSync(join(other, 'thesis.tex'), 'utf8')).toBe('x');
    await writeSubset(data, other, { force: true });
    expect(readdirSync(other).sort()).toEqual(['dataset_info.json', 'test.jsonl', 'train.jsonl']);
  });

  it("its own earlier output is replaced without --force, but not another command's dataset", async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    await dataset(data);
    const out = join(dir, 'subset');
    await writeSubset(data, out);
    await writeSubset(data, out, { negatives: 1 });
    expect(JSON.parse(readFileSync(join(out, 'dataset_info.json'), 'utf8')).subset.negatives).toBe(1);
    // a finer ixbrl dataset (data/ixbrl139) has the same file names: its dataset_info.json tells them apart
    const ixbrl = join(dir, 'ixbrl139');
    await dataset(ixbrl);
    await writeFile(join(ixbrl, 'dataset_info.json'), JSON.stringify({ schema: 1, builder: 'finer ixbrl', label_names: FINER139_LABELS }));
    expect(await oneLine(writeSubset(data, ixbrl))).toMatch(/not the output of finer subset/);
    await expect(checkOutDir(ixbrl, { kind: 'ixbrl' })).resolves.toBeUndefined();
  });
});

describe('own earlier output, recognised by what the folder holds (folders made before the check included)', () => {
  const MODEL = { 'config.json': '{"architectures":["DistilBertForTokenClassification"]}', 'model.safetensors': 'w', 'vocab.txt': 'v' };
  const TOKENIZER = { 'tokenizer.json': '{}', 'tokenizer_config.json': '{}', 'special_tokens_map.json': '{}' };
  const ENCODER = { ...MODEL, ...TOKENIZER, 'config.json': '{"architectures":["DistilBertForMaskedLM"]}', 'pretraining.json': '{}' };
  const cases: { name: string; files: Record<string, string>; own: OutputKind[]; notOwn: OutputKind[] }[] = [
    { name: 'empty', files: {}, own: ['ixbrl', 'subset', 'export', 'train', 'pretrain'], notOwn: [] },
    {
      name: 'public/models/finer-lens-small', files: { ...MODEL, ...TOKENIZER, 'onnx/model.onnx': 'o', 'onnx/model_quantized.onnx': 'q', 'README.md': '#' },
      own: ['export'], notOwn: ['vocab', 'train', 'subset'],
    },
    { name: 'models/pretrained/finer-mlm-4x256', files: ENCODER, own: [], notOwn: ['export', 'train', 'vocab'] },
    { name: 'a tokenizer folder', files: { 'vocab.txt': 'v', ...TOKENIZER }, own: ['vocab'], notOwn: ['export', 'subset'] },
    { name: 'a finished training run', files: { ...MODEL, 'last': 'checkpoint-9', 'best': 'checkpoint-6', 'checkpoint-9/': '', '.finer.lock': '{}' }, own: ['train'], notOwn: ['export', 'pretrain'] },
    { name: 'a training run killed before its first checkpoint', files: { 'vocab.txt': 'v', '.checkpoint-4.123.tmp/': '' }, own: ['train', 'pretrain'], notOwn: ['vocab'] },
    { name: 'a plain model folder (no run)', files: MODEL, own: [], notOwn: ['train', 'pretrain', 'export'] },
    { name: 'a pretraining run', files: { 'vocab.txt': 'v', 'encoder/': '', 'checkpoint-500/': '', 'last': 'checkpoint-500' }, own: ['pretrain'], notOwn: ['train'] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = join(tempDir(), 'out');
      await mkdir(dir);
      await writeTree(dir, c.files);
      for (const kind of c.own) await expect(checkOutDir(dir, { kind }), kind).resolves.toBeUndefined();
      for (const kind of c.notOwn) await expect(checkOutDir(dir, { kind }), kind).rejects.toThrow(new RegExp(`not the output of finer ${kind} `));
    });
  }

  it('--force replaces a folder of a command that replaces its folder, never a run folder', async () => {
    const dir = join(tempDir(), 'out');
    await writeTree(dir, { 'notes.txt': 'x' });
    await expect(checkOutDir(dir, { kind: 'export', force: true })).resolves.toBeUndefined();
    await expect(checkOutDir(dir, { kind: 'train', force: true })).rejects.toThrow(/not the output of finer train \(it holds notes\.txt\); expected a new or empty folder$/);
  });
});
