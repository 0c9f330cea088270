/**
 * Outputs are written one way, and an OS error while writing one (ENOTDIR,
 * EISDIR, ENOENT of a folder that cannot be made, ENOSPC, ...) is one line
 * naming the output and what failed: no stack trace, no "Unhandled 'error'
 * event", no half-written file; and the check comes before the long work.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlWriter } from '../../src/data/jsonl.ts';
import { registerEvaluate } from '../../src/eval/command.ts';
import { registerPredict } from '../../src/predict/command.ts';
import { FileOutput, writeDirAtomic, writeFileAtomic } from '../../src/util/atomic.ts';
import { FinerError } from '../../src/util/errors.ts';
import { finerInProcess as finer, ROOT } from '../cli-run.ts';
import { tempDir } from '../data/fixtures.ts';

async function failure(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(FinerError);
  return (err as Error).message;
}

/** A folder holding a plain file `file`: any path under the file cannot be made (ENOTDIR). */
async function fileAsFolder(): Promise<{ dir: string; file: string }> {
  const dir = tempDir();
  const file = join(dir, 'file');
  await writeFile(file, 'x');
  return { dir, file };
}

describe('writeFileAtomic, FileOutput, JsonlWriter, writeDirAtomic: OS errors as one line naming the output', () => {
  it('a folder that cannot be made (ENOTDIR), an output that is a folder (EISDIR)', async () => {
    const { dir, file } = await fileAsFolder();
    expect(await failure(writeFileAtomic(join(file, 'sub', 'x.json'), '{}'))).toBe(`${join(file, 'sub')}: cannot create the folder (ENOTDIR: not a directory)`);
    expect(await failure(FileOutput.open(join(file, 'o.jsonl')))).toBe(`${file}: is a file; expected a folder`);
    await mkdir(join(dir, 'folder'));
    expect(await failure(writeFileAtomic(join(dir, 'folder'), '{}'))).toMatch(new RegExp(`^${join(dir, 'folder')}: cannot write \\((EISDIR|ENOTEMPTY|EEXIST): [^,]+\\)$`));
    expect(readdirSync(dir).sort()).toEqual(['file', 'folder']); // no temporary left behind
  });

  it('a file system that takes no new files (/proc), without hanging in a recursive mkdir', { timeout: 5000 }, async () => {
    expect(await failure(writeFileAtomic('/proc/x.json', '{}'))).toBe('/proc/x.json: cannot write (ENOENT: no such file or directory)');
    expect(await failure(writeFileAtomic('/proc/no/such/x.json', '{}'))).toBe('/proc/no: cannot create the folder (ENOENT: no such file or directory)');
  });

  it('a full disk (ENOSPC, /dev/full) while writing a JSONL file', async () => {
    const out = await JsonlWriter.create('/dev/full');
    await out.write({ id: 'a' });
    expect(await failure(out.close())).toBe('/dev/full: cannot write (ENOSPC: no space left on device)');
    expect(await failure(JsonlWriter.create(join((await fileAsFolder()).file, 'a.jsonl')))).toMatch(/file\/a\.jsonl: cannot write \(ENOTDIR: not a directory\)$/);
  });

  it("an OS error of a folder's build names the place in the output, not the temporary", async () => {
    const out = join(tempDir(), 'out');
    const message = await failure(writeDirAtomic(out, (tmp) => mkdir(join(tmp, 'missing', 'sub'))));
    expect(message).toBe(`${join(out, 'missing', 'sub')}: cannot create the folder (ENOENT: no such file or directory)`);
    expect(existsSync(out)).toBe(false);
  });
});

describe('finer predict --output and finer evaluate --out that cannot be written: one line, before the model runs', () => {
  const model = join(ROOT, 'public/models/finer-lens-small');

  it('predict --output under a file (ENOTDIR) or onto a folder (EISDIR), not an unhandled error event', async () => {
    const { dir, file } = await fileAsFolder();
    const input = join(dir, 'in.jsonl');
    await writeFile(input, '{"text": "The notes bear interest at 5.25%."}\n');
    const notDir = await finer(registerPredict, ['predict', '--model', model, '--input', input, '--output', join(file, 'o.jsonl')]);
    expect(notDir).toEqual({ code: 1, stderr: `finer: ${file}: is a file; expected a folder\n` });
    const folder = tempDir();
    const isDir = await finer(registerPredict, ['predict', '--model', model, '--input', input, '--output', folder]);
    expect(isDir).toEqual({ code: 1, stderr: `finer: --output ${folder}: is a folder; expected a file\n` });
    const onInput = await finer(registerPredict, ['predict', '--model', model, '--input', input, '--output', input]);
    expect(onInput.stderr).toMatch(/^finer: --output .*in\.jsonl: is the input .*in\.jsonl; expected a new output apart from the inputs\n$/);
    expect(readFileSync(input, 'utf8')).toMatch(/^\{"text"/);
  });

  it('evaluate --out /proc/x.json fails before the model is even opened', async () => {
    const r = await finer(registerEvaluate, ['evaluate', '--model', join(tempDir(), 'no-model'), '--data', join(tempDir(), 'no-data'), '--out', '/proc/x.json']);
    expect(r).toEqual({ code: 1, stderr: 'finer: /proc/x.json: cannot write (ENOENT: no such file or directory)\n' });
  });
});
