/**
 * The app's build step for model folders (vite.config.ts: modelFiles): a
 * folder of F16 weights gets its fp32 ONNX from `finer derive` before the app
 * is built or served (and before vitest runs, which calls the same hook).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportModel } from '../../src/export/export.ts';
import { FP32_ONNX } from '../../src/export/layout.ts';
import { tempDir } from '../data/fixtures.ts';
import { tinyConfig, VOCAB } from '../train/fixtures.ts';
import { writeRun } from './fixtures.ts';
import { modelFiles, needsDerive } from '../../../vite.config.ts';

describe("the app's build derives what a model folder lacks (vite.config.ts: modelFiles)", () => {
  it('runs finer derive for a folder of F16 weights before the build, and not for a folder of the older layout', async () => {
    const dir = tempDir('layout-');
    await writeRun(join(dir, 'run'), tinyConfig(), VOCAB, 5);
    const publicDir = join(dir, 'public');
    const model = join(publicDir, 'models', 'tiny');
    await exportModel(join(dir, 'run'), model);
    const exported = readFileSync(join(model, FP32_ONNX));
    // F16 weights: derive checks the stamp even when the file is there
    expect(needsDerive(join(publicDir, 'models'))).toBe(true);
    rmSync(join(model, FP32_ONNX));
    const plugin = modelFiles();
    const errors: string[] = [];
    (plugin.configResolved as (c: { publicDir: string }) => void)({ publicDir });
    (plugin.buildStart as (this: { error(m: string): never }) => void).call({ error: (m: string): never => { errors.push(m); throw new Error(m); } });
    expect(errors).toEqual([]);
    expect(Buffer.compare(readFileSync(join(model, FP32_ONNX)), exported)).toBe(0);

    // the older layout: F32 weights and a model.onnx kept in git, nothing to do
    const config = JSON.parse(readFileSync(join(model, 'config.json'), 'utf8'));
    delete config.torch_dtype;
    writeFileSync(join(model, 'config.json'), JSON.stringify(config));
    expect(needsDerive(join(publicDir, 'models'))).toBe(false);
    rmSync(join(model, FP32_ONNX));
    expect(needsDerive(join(publicDir, 'models'))).toBe(true);
  }, 60_000);
});
