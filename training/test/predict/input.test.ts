/** `finer predict --input`: a folder, or an input that cannot be read, is one line naming it. */
import { createReadStream } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { predictStream } from '../../src/predict/predict.ts';
import { registerPredict } from '../../src/predict/command.ts';
import { FinerError } from '../../src/util/errors.ts';
import { finerInProcess } from '../cli-run.ts';
import { tempDir } from '../data/fixtures.ts';

describe('finer predict --input', () => {
  it('a folder: one line naming it, before the model loads', async () => {
    const dir = tempDir();
    const r = await finerInProcess(registerPredict, ['predict', '--model', 'no/such/model', '--input', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`finer: --input ${dir}: is a folder; expected a JSONL file\n`);
  });

  it('a stream that fails while read: the error names the input', async () => {
    const dir = tempDir();
    const run = predictStream(createReadStream(dir, 'utf8'), async () => {}, async () => ({ predictions: [], stats: { windows: 0, subTokens: 0, batches: 0 } }), {
      chunk: 8, where: dir, onBad: () => {},
    });
    await expect(run).rejects.toThrow(new FinerError(`${dir}: cannot read the JSONL input (EISDIR)`));
  });
});
