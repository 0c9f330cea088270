/** `finer export --eval FILE`: the report is checked by the dashboard's parser before anything is exported. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerExport } from '../../src/export/command.ts';
import { finerInProcess } from '../cli-run.ts';
import { tempDir } from '../data/fixtures.ts';

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
