import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, writeTree } from '@finer-lens/training/test/data/fixtures.ts';
import { checkOutDir, type OutputKind } from '@finer-lens/training/util/output.ts';
import { LAB_OUTPUTS } from '../src/outputs.ts';

type Kind = OutputKind | keyof typeof LAB_OUTPUTS;
const guardOf = (kind: Kind) => ({ kind: kind in LAB_OUTPUTS ? LAB_OUTPUTS[kind as keyof typeof LAB_OUTPUTS] : (kind as OutputKind) });
const commandOf = (kind: Kind) => (kind in LAB_OUTPUTS ? `lab ${kind}` : `finer ${kind}`);

describe("the lab's outputs, recognised by what the folder holds, apart from the finer commands' folders", () => {
  const MODEL = { 'config.json': '{"architectures":["DistilBertForTokenClassification"]}', 'model.safetensors': 'w', 'vocab.txt': 'v' };
  const TOKENIZER = { 'tokenizer.json': '{}', 'tokenizer_config.json': '{}', 'special_tokens_map.json': '{}' };
  const ENCODER = { ...MODEL, ...TOKENIZER, 'config.json': '{"architectures":["DistilBertForMaskedLM"]}', 'pretraining.json': '{}' };
  const DATASET = { 'train.jsonl': '', 'validation.jsonl': '', 'test.jsonl': '' };
  const cases: { name: string; files: Record<string, string>; own: Kind[]; notOwn: Kind[] }[] = [
    { name: 'empty', files: {}, own: ['calibrate', 'average', 'grow', 'concepts'], notOwn: [] },
    {
      name: 'an exported model folder', files: { ...MODEL, ...TOKENIZER, 'onnx/model.onnx': 'o', 'README.md': '#' },
      own: ['export'], notOwn: ['calibrate', 'average', 'grow'],
    },
    { name: 'a pretrained encoder', files: ENCODER, own: ['grow'], notOwn: ['export', 'calibrate', 'train'] },
    { name: 'a lab calibrate copy', files: { ...MODEL, 'trainer_state.json': '{}', 'calibration.json': '{}' }, own: ['calibrate'], notOwn: ['average', 'export', 'grow'] },
    { name: 'a lab average copy', files: { ...MODEL, 'trainer_state.json': '{}', 'average.json': '{}' }, own: ['average'], notOwn: ['calibrate', 'export'] },
    { name: 'a lab concepts dataset', files: { ...DATASET, 'dataset_info.json': '{"concepts":{}}' }, own: ['concepts'], notOwn: ['subset', 'ixbrl'] },
    { name: 'a finer subset dataset', files: { ...DATASET, 'dataset_info.json': '{"subset":{}}' }, own: ['subset'], notOwn: ['concepts'] },
    { name: 'a finished training run', files: { ...MODEL, 'last': 'checkpoint-9', 'checkpoint-9/': '' }, own: ['train'], notOwn: ['grow', 'calibrate'] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const dir = join(tempDir(), 'out');
      await mkdir(dir);
      await writeTree(dir, c.files);
      for (const kind of c.own) await expect(checkOutDir(dir, guardOf(kind)), kind).resolves.toBeUndefined();
      for (const kind of c.notOwn) await expect(checkOutDir(dir, guardOf(kind)), kind).rejects.toThrow(new RegExp(`not the output of ${commandOf(kind)} `));
    });
  }
});
