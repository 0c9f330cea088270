/**
 * `lab calibrate` and `lab average` on a tiny model trained here in seconds
 * (training/test/pipeline's, with its number-shape vocabulary): the copies they
 * write are model folders that `finer evaluate` and `finer export` take, and
 * what a calibration folds into the bias tags as the offsets did.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOneLineError, finerInProcess, runFinerInProcess } from '@finer-lens/training/test/cli-run.ts';
import { synthetic, VOCAB, writeDatasetFolder } from '@finer-lens/training/test/train/fixtures.ts';
import { writeNumberShapeTokenizer } from '@finer-lens/training/test/tokenizer/fixtures.ts';
import { readSafetensors } from '@finer-lens/training/train/safetensors.ts';
import { openModelFolder } from '@finer-lens/training/infer/model-folder.ts';
import { checkpointRunner } from '@finer-lens/training/infer/runners.ts';
import { readEvalSet } from '@finer-lens/training/eval/data.ts';
import { predictSet } from '@finer-lens/training/eval/evaluate.ts';
import { FinerError } from '@finer-lens/training/util/errors.ts';
import { labelOffsets, LogitsRecording } from '../src/calibrate/calibrate.ts';
import { biasedWeights, registerCalibrate } from '../src/calibrate/command.ts';
import { calibrationParagraph } from '../src/calibrate/card.ts';
import { runLab, runLabInProcess } from './cli-run.ts';

let tmp: string;
let data: string;

const readJson = (p: string) => JSON.parse(readFileSync(p, 'utf8'));

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'lab-copies-'));
  data = join(tmp, 'data');
  await writeDatasetFolder(data, synthetic(320, 1), synthetic(32, 2));
  await writeFile(join(data, 'test.jsonl'), synthetic(40, 3).map((s) => JSON.stringify(s)).join('\n') + '\n');
  await writeNumberShapeTokenizer(join(tmp, 'tok'), { tokens: [...VOCAB, '[MASK]'], modelMaxLength: 64 });
  const train = await runFinerInProcess([
    'train', '--data', data, '--vocab-file', join(tmp, 'tok', 'vocab.txt'), '--out', join(tmp, 'run'),
    '--layers', '2', '--dim', '32', '--heads', '2', '--hidden', '64', '--max-positions', '64',
    '--epochs', '20', '--batch-size', '16', '--lr', '3e-3', '--warmup', '20', '--max-length', '16', '--stride', '4',
    '--threads', '1', '--patience', '6',
  ]);
  expect(train.code, train.stderr).toBe(0);
}, 180_000);

describe('lab calibrate --batch-size 0', () => {
  it('is refused while commander reads the line', async () => {
    await expect(finerInProcess(registerCalibrate, ['calibrate', '--batch-size', '0'])).rejects.toThrow(new FinerError('--batch-size "0": expected a positive integer'));
  });
});

describe('lab calibrate', () => {
  it('fits per-type offsets on validation and folds them into classifier.bias: the copy scores what the fit scored', async () => {
    const out = join(tmp, 'calibrated');
    const r = await runLab(['calibrate', '--model', join(tmp, 'run'), '--data', data, '--out', out, '--range', '2', '--step', '0.5', '--threads', '1']);
    expect(r.code, r.stderr).toBe(0);
    const report = readJson(join(out, 'calibration.json'));
    expect(report).toMatchObject({ schema: 1, split: 'validation', grid: { range: 2, step: 0.5, rounds: 3 } });
    expect(Object.keys(report.offsets)).toEqual(['RATE', 'AMOUNT']);
    expect(report.after.micro).toBeGreaterThanOrEqual(report.before.micro);
    // the weights: classifier.bias moved by the offsets (O by none), every other tensor unchanged
    const before = await readSafetensors(join(tmp, 'run', 'model.safetensors'));
    const after = await readSafetensors(join(out, 'model.safetensors'));
    expect([...after.tensors.keys()].sort()).toEqual([...before.tensors.keys()].sort());
    const shift = [0, report.offsets.RATE, report.offsets.AMOUNT];
    after.get('classifier.bias').data.forEach((b, i) => expect(b).toBeCloseTo(before.get('classifier.bias').data[i]! + shift[i]!, 5));
    expect([...after.get('classifier.weight').data]).toEqual([...before.get('classifier.weight').data]);
    // the copy is a model folder: evaluated on the same split it gives the fitted F1, and it exports as a training run does
    const ev = await runFinerInProcess(['evaluate', '--model', out, '--data', data, '--split', 'validation', '--out', join(tmp, 'cal-eval.json'), '--threads', '1']);
    expect(ev.code, ev.stderr).toBe(0);
    expect(readJson(join(tmp, 'cal-eval.json')).datasets[0].metrics.micro.f1).toBeCloseTo(report.after.micro, 10);
    const exp = await runFinerInProcess(['export', '--model', out, '--out', join(tmp, 'finer-cal')]);
    expect(exp.code, exp.stderr).toBe(0);
    expect(existsSync(join(tmp, 'finer-cal', 'calibration.json'))).toBe(false); // finer export knows nothing of calibrate
    expect(readFileSync(join(tmp, 'finer-cal', 'README.md'), 'utf8')).toMatch(/optimizer steps/); // the trainer state came along
  });

  it('calibrate-card: copies calibration.json into the exported folder and puts its note right after the training facts, once', async () => {
    const exported = join(tmp, 'finer-cal');
    const plain = readFileSync(join(exported, 'README.md'), 'utf8');
    const report = readJson(join(tmp, 'calibrated', 'calibration.json'));
    const r = await runLab(['calibrate-card', '--model', join(tmp, 'calibrated'), '--export', exported]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(exported, 'calibration.json'), 'utf8')).toBe(readFileSync(join(tmp, 'calibrated', 'calibration.json'), 'utf8'));
    const card = readFileSync(join(exported, 'README.md'), 'utf8');
    const note = calibrationParagraph(report);
    expect(note).toMatch(/^Calibrated by `lab calibrate`: per-type logit offsets fitted on the validation split \(entity micro F1 \d+\.\d -> \d+\.\d\) are folded into `classifier\.bias` \(RATE [+-][\d.]+, AMOUNT [+-][\d.]+\)\.$/);
    // the card is the plain one with one paragraph more, after the training facts and before the thresholds or metrics
    const training = card.split('\n## Training\n\n')[1]!.split('\n');
    expect(training[0]).toMatch(/optimizer steps/);
    expect(training.slice(1, 3)).toEqual(['', note]);
    expect(card.replace(`\n\n${note}`, '')).toBe(plain);
    expectOneLineError(await runLabInProcess(['calibrate-card', '--model', join(tmp, 'calibrated'), '--export', exported]), /README\.md: already has a calibration note/);
    expectOneLineError(await runLabInProcess(['calibrate-card', '--model', join(tmp, 'run'), '--export', exported]), /run\/calibration\.json: missing; expected the calibration report \(lab calibrate\)/);
  });

  it('lab average: the mean of two models\' weights, as a model folder; refuses another vocabulary', async () => {
    const out = join(tmp, 'averaged');
    const shifted = join(tmp, 'shifted');
    await cp(join(tmp, 'run'), shifted, { recursive: true });
    await writeFile(join(shifted, 'model.safetensors'), await biasedWeights(join(tmp, 'run'), Float32Array.from([0, 1, -3])));
    const r = await runLab(['average', '--models', join(tmp, 'run'), shifted, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const a = await readSafetensors(join(tmp, 'run', 'model.safetensors'));
    const b = await readSafetensors(join(shifted, 'model.safetensors'));
    const avg = await readSafetensors(join(out, 'model.safetensors'));
    avg.get('classifier.bias').data.forEach((x, i) => expect(x).toBeCloseTo((a.get('classifier.bias').data[i]! + b.get('classifier.bias').data[i]!) / 2, 6));
    avg.get('classifier.bias').data.forEach((x, i) => expect(x - a.get('classifier.bias').data[i]!).toBeCloseTo([0, 0.5, -1.5][i]!, 5));
    expect([...avg.get('classifier.weight').data]).toEqual([...a.get('classifier.weight').data]);
    expect(readJson(join(out, 'average.json')).models).toEqual([join(tmp, 'run'), shifted]);
    const ev = await runFinerInProcess(['evaluate', '--model', out, '--data', data, '--out', join(tmp, 'avg-eval.json'), '--threads', '1']);
    expect(ev.code, ev.stderr).toBe(0);
    const other = join(tmp, 'other-vocab');
    await cp(join(tmp, 'run'), other, { recursive: true });
    await writeFile(join(other, 'vocab.txt'), (await readFile(join(other, 'vocab.txt'), 'utf8')).replace('rate\n', 'rated\n'));
    await rm(join(other, 'tokenizer.json')); // else the folder check finds tokenizer.json and vocab.txt disagree first
    expectOneLineError(await runLabInProcess(['average', '--models', join(tmp, 'run'), other, '--out', join(tmp, 'avg2')]), /other-vocab\/vocab\.txt: differs from .*run\/vocab\.txt; expected one vocabulary/);
    expect(existsSync(join(tmp, 'avg2'))).toBe(false);
  });

  it('a folded offset tags exactly as the same offset added to the logits', async () => {
    const folder = await openModelFolder(join(tmp, 'run'), { needWeights: true });
    const set = await readEvalSet(data, 'validation', folder.labels);
    const offsets = labelOffsets(folder.labels, { RATE: 1.5, AMOUNT: -2 });
    const copy = join(tmp, 'folded');
    await cp(join(tmp, 'run'), copy, { recursive: true });
    await writeFile(join(copy, 'model.safetensors'), await biasedWeights(join(tmp, 'run'), offsets));
    const plain = await checkpointRunner(folder, 1);
    const folded = await checkpointRunner(await openModelFolder(copy, { needWeights: true }), 1);
    try {
      const rec = new LogitsRecording(plain.run);
      const base = await predictSet(folder, set, rec.record, 8);
      const shifted = await predictSet(folder, set, rec.replay(offsets), 8);
      const viaBias = await predictSet(folder, set, folded.run, 8);
      expect(viaBias.map((s) => s.map((w) => w.label))).toEqual(shifted.map((s) => s.map((w) => w.label)));
      expect(shifted.flat().filter((w, i) => w.label !== base.flat()[i]!.label).length).toBeGreaterThan(0); // the offsets changed some labels
    } finally {
      await plain.release();
      await folded.release();
    }
  });

  it('refuses sparse gold and a step of 0, with one line', async () => {
    const sparse = join(tmp, 'sparse-cal.jsonl');
    await writeFile(sparse, JSON.stringify({ tokens: ['rate', '5'], gold: { 1: 'RATE' } }) + '\n');
    expectOneLineError(await runLabInProcess(['calibrate', '--model', join(tmp, 'run'), '--data', sparse, '--out', join(tmp, 'c1')]), /sparse gold; expected a dataset folder or fully labelled JSONL/);
    expectOneLineError(await runLabInProcess(['calibrate', '--model', join(tmp, 'run'), '--data', data, '--out', join(tmp, 'c2'), '--step', '0']), /--step 0: expected a number above 0/);
    expect(existsSync(join(tmp, 'c1')) || existsSync(join(tmp, 'c2'))).toBe(false);
  });
});
