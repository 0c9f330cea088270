/**
 * `finer train` stopped after a known checkpoint (`--stop-after`), or killed
 * with SIGKILL after its first checkpoint, then `finer train --resume`:
 * the resumed run starts at the step of the checkpoint it found (N > 0: it
 * says so and runs only steps N+1..), and ends with the same weights, byte
 * for byte, as an uninterrupted run. Every run gets the same `--threads`.
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOneLineError, runFinerInProcess, spawnFiner, type Run } from '../cli-run.ts';
import { LABELS, synthetic, writeDatasetFolder } from './fixtures.ts';

const finer = (args: string[]) => spawnFiner(['train', ...args]);
/** `finer train` in this process, faster; only the run that is killed is a real process. */
const train = (args: string[]) => runFinerInProcess(['train', ...args]);

/** The steps a run went through, from its progress lines on stderr (one per step: 24 steps < 50). */
const stepsRun = (r: Run): number[] => [...r.stderr.matchAll(/^step (\d+)\/24 \|/gm)].map((m) => Number(m[1]));
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('finer train --resume', () => {
  it('continues a stopped or killed run from its checkpoint to the same weights as an uninterrupted run', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'cli-resume-'));
    const data = join(tmp, 'data');
    await writeDatasetFolder(data, synthetic(64, 1), synthetic(8, 2));
    const threads = ['--threads', '1']; // given to every run: the thread count is not in the checkpoint
    const common = [
      '--data', data, '--vocab-file', join(data, 'vocab.txt'),
      '--layers', '2', '--dim', '32', '--heads', '2', '--hidden', '64', '--max-positions', '64',
      '--epochs', '6', '--batch-size', '8', '--accum', '2', '--lr', '3e-3', '--warmup', '3',
      '--max-length', '32', '--save-every', '4', '--seed', '11', ...threads,
    ];

    const whole = await train([...common, '--out', join(tmp, 'whole'), '--report', join(tmp, 'train.json')]);
    expect(whole.stderr).toMatch(/trained 24\/24 steps/);
    expect(whole.code).toBe(0);
    expect(stepsRun(whole)).toEqual(range(1, 24));
    const report = JSON.parse(await readFile(join(tmp, 'train.json'), 'utf8'));
    expect(report).toMatchObject({ schema: 1, steps: 24, totalSteps: 24, epochs: 6, model: { n_layers: 2, dim: 32 }, labels: LABELS });
    expect(report.history).toHaveLength(24);
    expect(report.evals.map((e: { step: number }) => e.step)).toEqual([4, 8, 12, 16, 20, 24]);
    expect(report.tokensPerSecond).toBeGreaterThan(0);
    const wholeModel = await readFile(join(tmp, 'whole/model.safetensors'));
    const state = async (dir: string, step: number) => JSON.parse(await readFile(join(dir, `checkpoint-${step}/trainer_state.json`), 'utf8'));
    const wholeHistory = (await state(join(tmp, 'whole'), 24)).history;

    // Resuming the finished run trains nothing and leaves its model and its report (with the speed) as they were.
    const reportBytes = await readFile(join(tmp, 'train.json'));
    const again = await train(['--data', data, '--resume', join(tmp, 'whole'), '--report', join(tmp, 'train.json'), ...threads]);
    expect(again.code, again.stderr).toBe(0);
    expect(stepsRun(again)).toEqual([]);
    expect(again.stderr).toContain(`${join(tmp, 'whole')}: the run had already finished (step 24/24); nothing trained, ${join(tmp, 'train.json')} left as it was`);
    expect((await readFile(join(tmp, 'train.json'))).equals(reportBytes)).toBe(true);
    expect((await readFile(join(tmp, 'whole/model.safetensors'))).equals(wholeModel)).toBe(true);

    /** Resume the run in `dir`, which stopped at checkpoint-`at`: it must start there and end where the whole run ends. */
    const resumeAndCompare = async (dir: string, at: number) => {
      expect(at).toBeGreaterThan(0);
      expect((await state(dir, at)).step).toBe(at);
      const resumed = await train(['--data', data, '--resume', dir, ...threads]);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain(`resuming ${dir} at step ${at}/24;`);
      expect(stepsRun(resumed)).toEqual(range(at + 1, 24)); // not a silent restart from step 0
      expect(resumed.stderr).toMatch(/trained 24\/24 steps/);
      expect((await readFile(join(dir, 'model.safetensors'))).equals(wholeModel)).toBe(true);
      expect((await state(dir, 24)).history).toEqual(wholeHistory);
    };

    // A controlled stop: after step 6, whose last checkpoint is step 4 (steps 5 and 6 are redone).
    const stoppedDir = join(tmp, 'stopped');
    const stopped = await train([...common, '--out', stoppedDir, '--stop-after', '6']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stepsRun(stopped)).toEqual(range(1, 6));
    expect(await readFile(join(stoppedDir, 'last'), 'utf8')).toBe('checkpoint-4\n');
    expect(existsSync(join(stoppedDir, 'model.safetensors'))).toBe(false);
    await resumeAndCompare(stoppedDir, 4);

    // A real kill, as soon as the first checkpoint is complete; `last` says which one it was.
    const killedDir = join(tmp, 'killed');
    const run = finer([...common, '--out', killedDir]);
    while (!existsSync(join(killedDir, 'last'))) {
      if (run.child.exitCode !== null) throw new Error(`run ended before its first checkpoint:\n${(await run.done).stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    run.child.kill('SIGKILL');
    expect((await run.done).signal).toBe('SIGKILL');
    expect(existsSync(join(killedDir, 'model.safetensors'))).toBe(false); // it was killed before the end
    const last = /^checkpoint-(\d+)\n$/.exec(await readFile(join(killedDir, 'last'), 'utf8'));
    expect(last).not.toBeNull();
    await resumeAndCompare(killedDir, Number(last![1]));
  });

  it('a run that recorded augmentNumbers (before 2026-12-07): 0.5 stops its resume in one line, the run untouched; 0 resumes; export reads either', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'cli-augment-'));
    const data = join(tmp, 'data');
    await writeDatasetFolder(data, synthetic(16, 1), synthetic(4, 2));
    const runDir = join(tmp, 'run');
    const common = ['--data', data, '--layers', '1', '--dim', '8', '--heads', '2', '--hidden', '16', '--max-positions', '32', '--max-length', '16', '--threads', '1'];
    const stopped = await train([...common, '--vocab-file', join(data, 'vocab.txt'), '--out', runDir, '--epochs', '2', '--batch-size', '4', '--save-every', '2', '--stop-after', '3']);
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(await readFile(join(runDir, 'last'), 'utf8')).toBe('checkpoint-2\n');
    /** Sets the options.augmentNumbers of checkpoint-`step`'s trainer_state.json; returns the file's new text. */
    const record = async (step: number, augmentNumbers: number) => {
      const path = join(runDir, `checkpoint-${step}`, 'trainer_state.json');
      const state = JSON.parse(await readFile(path, 'utf8'));
      const text = JSON.stringify({ ...state, options: { ...state.options, augmentNumbers } }, null, 1) + '\n';
      await writeFile(path, text);
      return text;
    };

    const old = await record(2, 0.5);
    const refused = await train(['--data', data, '--resume', runDir, '--threads', '1']);
    expectOneLineError(refused, /^finer: cannot resume: the checkpoint's options have augmentNumbers 0\.5, number augmentation, which left finer train on 2026-12-07; expected 0 or none/);
    expect(await readFile(join(runDir, 'checkpoint-2', 'trainer_state.json'), 'utf8')).toBe(old);
    expect(await readFile(join(runDir, 'last'), 'utf8')).toBe('checkpoint-2\n');
    expect(existsSync(join(runDir, 'model.safetensors'))).toBe(false);

    await record(2, 0);
    const resumed = await train(['--data', data, '--resume', runDir, '--threads', '1']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/trained 8\/8 steps/);

    await record(8, 0.5);
    const exported = await runFinerInProcess(['export', '--model', runDir, '--out', join(tmp, 'model')]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(tmp, 'model', 'config.json'), 'utf8')).finer_lens).toEqual({ max_length: 16, stride: 4 });
  });

  it('refuses --max-length below 3 with one line, before training', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'cli-short-'));
    const data = join(tmp, 'data');
    await writeDatasetFolder(data, synthetic(4, 1), synthetic(2, 2));
    const r = await train(['--data', data, '--vocab-file', join(data, 'vocab.txt'), '--out', join(tmp, 'out'), '--layers', '1', '--dim', '8', '--heads', '2', '--max-length', '2']);
    expectOneLineError(r, /max length 2; expected an integer of at least 3/);
    expect(existsSync(join(tmp, 'out'))).toBe(false);
  });

  it('rejects a label id out of range before training, naming file, line and field', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'cli-bad-'));
    const data = join(tmp, 'data');
    const bad = synthetic(4, 1);
    bad[2]!.ner_tags[1] = 7;
    await writeDatasetFolder(data, bad, synthetic(2, 2));
    const r = await train(['--data', data, '--vocab-file', join(data, 'vocab.txt'), '--out', join(tmp, 'out'), '--layers', '1', '--dim', '8', '--heads', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`finer: ${join(data, 'train.jsonl')}:3: field "ner_tags"[1] = 7; expected a label id in 0..2`);
    expect(existsSync(join(tmp, 'out'))).toBe(false);
  });
});
