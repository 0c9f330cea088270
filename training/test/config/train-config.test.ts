/**
 * The training config: `finer train` takes DEFAULT_TRAIN_CONFIG, then
 * --config-file, then the flags given on its command line; a file that
 * misspells or mistypes a field is one line naming the file and the field.
 * A run's recorded options (train.json) are a config file that repeats them.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TRAIN_CONFIG, parseTrainConfig, recordedOptions } from '../../src/config/train.ts';
import { expectOneLineError, runFinerInProcess } from '../cli-run.ts';
import { synthetic, writeDatasetFolder } from '../train/fixtures.ts';

async function tinyData(): Promise<{ tmp: string; data: string; model: string[] }> {
  const tmp = await mkdtemp(join(tmpdir(), 'train-config-'));
  const data = join(tmp, 'data');
  await writeDatasetFolder(data, synthetic(8, 1), synthetic(2, 2));
  const model = ['--data', data, '--vocab-file', join(data, 'vocab.txt'), '--layers', '1', '--dim', '8', '--heads', '2', '--hidden', '16', '--max-positions', '32', '--threads', '1'];
  return { tmp, data, model };
}

const optionsOf = async (report: string) => JSON.parse(await readFile(report, 'utf8')).options;

describe('finer train --config-file', () => {
  it('overrides the defaults, and a flag on the command line overrides the file', async () => {
    const { tmp, model } = await tinyData();
    const file = join(tmp, 'config.json');
    await writeFile(file, JSON.stringify({ epochs: 2, lr: 0.002, warmupSteps: 1, maxLength: 16, seed: 5 }));
    const report = join(tmp, 'train.json');
    const r = await runFinerInProcess(['train', ...model, '--out', join(tmp, 'run'), '--config-file', file, '--lr', '0.003', '--report', report]);
    expect(r.code, r.stderr).toBe(0);
    expect(await optionsOf(report)).toEqual({
      ...recordedOptions(DEFAULT_TRAIN_CONFIG),
      epochs: 2, warmupSteps: 1, maxLength: 16, stride: 4, seed: 5, // the file's
      lr: 0.003, // the flag's, over the file's 0.002
    });
  });

  it("takes a run's recorded options as a config file: the same options, in the same bytes", async () => {
    const { tmp, model } = await tinyData();
    const flags = ['--epochs', '1', '--batch-size', '4', '--lr', '0.001', '--warmup', '2', '--max-length', '20', '--stride', '3', '--seed', '9', '--bucket', '7', '--keep', '1'];
    const first = join(tmp, 'first.json');
    expect((await runFinerInProcess(['train', ...model, ...flags, '--out', join(tmp, 'first'), '--report', first])).code).toBe(0);
    const config = join(tmp, 'options.json');
    await writeFile(config, JSON.stringify(await optionsOf(first)));
    const again = join(tmp, 'again.json');
    const r = await runFinerInProcess(['train', ...model, '--config-file', config, '--out', join(tmp, 'again'), '--report', again]);
    expect(r.code, r.stderr).toBe(0);
    const options = (path: string) => readFile(path, 'utf8').then((text) => JSON.stringify(JSON.parse(text).options));
    expect(await options(again)).toBe(await options(first));
    expect(JSON.parse(await options(first))).toMatchObject({ batchSize: 4, warmupSteps: 2, stride: 3, bucketBatches: 7 });
  });

  it("takes the recorded options of a run before 2026-12-07 (augmentNumbers 0, off) as a config file; the new run records none", async () => {
    const { tmp, model } = await tinyData();
    const config = join(tmp, 'old-options.json');
    await writeFile(config, JSON.stringify({ ...recordedOptions({ ...DEFAULT_TRAIN_CONFIG, epochs: 1, maxLength: 16 }), augmentNumbers: 0 }));
    const report = join(tmp, 'train.json');
    const r = await runFinerInProcess(['train', ...model, '--config-file', config, '--out', join(tmp, 'run'), '--report', report]);
    expect(r.code, r.stderr).toBe(0);
    expect(await optionsOf(report)).toEqual(recordedOptions({ ...DEFAULT_TRAIN_CONFIG, epochs: 1, maxLength: 16 }));
    expect(await optionsOf(report)).not.toHaveProperty('augmentNumbers');
  });

  it('refuses a misspelled or mistyped field, or a file that is not a JSON object, in one line naming the file and the field', async () => {
    const { tmp, model } = await tinyData();
    const cases: Array<[unknown, RegExp]> = [
      [{ warmup: 300 }, /: field "warmup" is not a training option \(did you mean "warmupSteps"\?\); expected one of epochs, batchSize, .*threads\n$/],
      [{ lr: '5e-4' }, /: field "lr" is "5e-4"; expected a non-negative number\n$/],
      [{ batchSize: 0 }, /: field "batchSize" is 0; expected a positive integer\n$/],
      [{ epochs: 1.5 }, /: field "epochs" is 1.5; expected a non-negative integer\n$/],
      [{ initHead: 'copy' }, /: field "initHead" is "copy"; expected "fresh" \(a new classifier\) or "labels"/],
      [{ augmentNumbers: 0.5 }, /: field "augmentNumbers" is 0\.5; number augmentation left finer train on 2026-12-07, expected 0 or no such field/],
      [[1, 2], /: holds \[1,2\]; expected a JSON object of training options\n$/],
    ];
    for (const [i, [json, message]] of cases.entries()) {
      const file = join(tmp, `bad-${i}.json`);
      await writeFile(file, JSON.stringify(json));
      const out = join(tmp, `out-${i}`);
      const r = await runFinerInProcess(['train', ...model, '--out', out, '--config-file', file]);
      expectOneLineError(r, message);
      expect(r.stderr.startsWith(`finer: ${file}: `), r.stderr).toBe(true);
      expect(existsSync(out)).toBe(false);
    }
    const notJson = join(tmp, 'not.json');
    await writeFile(notJson, '{"epochs": 2,');
    expectOneLineError(await runFinerInProcess(['train', ...model, '--out', join(tmp, 'x'), '--config-file', notJson]), /not\.json: not valid JSON \(.*\); expected the JSON object of training options\n$/);
    expectOneLineError(await runFinerInProcess(['train', ...model, '--out', join(tmp, 'x'), '--config-file', join(tmp, 'none.json')]), /none\.json: missing; expected the JSON object of training options\n$/);
  });
});

describe('parseTrainConfig', () => {
  it('names a field of a larger file by its path', () => {
    expect(() => parseTrainConfig({ seed: -1 }, 'recipe.json', 'train')).toThrow('recipe.json: field "train.seed" is -1; expected a non-negative integer');
    expect(parseTrainConfig({ seed: 7, initHead: 'labels', threads: 2 }, 'recipe.json', 'train')).toEqual({ seed: 7, initHead: 'labels', threads: 2 });
  });
});
