/** `finer export --eval FILE`: the report is checked by the dashboard's parser before anything is exported; `finer derive`'s bad inputs. */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerExport } from '../../src/export/command.ts';
import { exportModel } from '../../src/export/export.ts';
import { finerInProcess } from '../cli-run.ts';
import { tempDir } from '../data/fixtures.ts';
import { tinyConfig, VOCAB } from '../train/fixtures.ts';
import { writeRun } from './fixtures.ts';

describe('finer export --eval', () => {
  it('valid JSON of another shape: one line naming the file and the field', async () => {
    const dir = tempDir();
    const evalJson = join(dir, 'e.json');
    await writeFile(evalJson, JSON.stringify({ schema: 1, model: 'm', date: '2026-12-01', backend: 'onnx', labels: ['O'], window: { maxLength: 128, stride: 32 }, datasets: [{ name: 'test' }] }));
    const r = await finerInProcess(registerExport, ['export', '--model', join(dir, 'run'), '--out', join(dir, 'out'), '--eval', evalJson]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^finer: ${evalJson}: datasets\\[0\\]\\.\\w+: expected .* \\(expected the evaluation report \\(eval\\.json of finer evaluate\\)\\)\\n$`));
  });
});

describe('finer derive', () => {
  it('a missing folder, or an fp32 ONNX that is not ONNX: one line naming it, nothing written', async () => {
    const dir = tempDir();
    const missing = await finerInProcess(registerExport, ['derive', join(dir, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`finer: ${join(dir, 'nope')}: no such folder; expected a model folder or a folder of model folders (public/models)\n`);

    const model = join(dir, 'model');
    await writeRun(join(dir, 'run'), tinyConfig(), VOCAB, 5);
    await exportModel(join(dir, 'run'), model);
    await writeFile(join(model, 'onnx', 'model.onnx'), 'not a model');
    const broken = await finerInProcess(registerExport, ['derive', model]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(new RegExp(`^finer: ${join(model, 'onnx', 'model.onnx')}: not a readable ONNX model \\(.*\\); delete it and run finer derive again\\n$`));
    expect(readFileSync(join(model, 'onnx', 'model.onnx'), 'utf8')).toBe('not a model');
  });
});
