/**
 * `finer adapt` checks the model before any work: a model of other labels, or
 * a --max-length beyond its positions, is one line; and the scratch folder of
 * an adaptation that was killed is removed by the next one beside it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerAdapt } from '../../src/adapt/command.ts';
import { finerInProcess, ROOT } from '../cli-run.ts';
import { tempDir } from '../data/fixtures.ts';

const SHIPPED = join(ROOT, 'public/models/finer-lens-small/config.json');

/** A model folder with the shipped config.json, changed by `change` (the weights are never read). */
function modelFolder(change: (config: Record<string, any>) => void = () => {}): string {
  const dir = join(tempDir(), 'model');
  mkdirSync(dir);
  const config = JSON.parse(readFileSync(SHIPPED, 'utf8'));
  change(config);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  writeFileSync(join(dir, 'model.safetensors'), '');
  writeFileSync(join(dir, 'vocab.txt'), '');
  return dir;
}

const adapt = (model: string, out: string, ...flags: string[]) => finerInProcess(registerAdapt, ['adapt', join(out, '..', 'no-such-filing.htm'), '--model', model, '--out', out, ...flags]);

describe('finer adapt refuses, before any work', () => {
  it('a model of other labels: one line naming the labels it lacks', async () => {
    const model = modelFolder((c) => {
      c.id2label = { 0: 'O', 1: 'B-Goodwill', 2: 'B-DebtInstrumentFaceAmount', 3: 'B-Revenues', 4: 'B-LongTermDebt' };
      c.label2id = Object.fromEntries(Object.entries(c.id2label).map(([i, l]) => [l, Number(i)]));
    });
    const out = join(tempDir(), 'adapted');
    const r = await adapt(model, out);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `finer: --model ${model}: its labels (config.json id2label) lack B-DebtInstrumentInterestRateStatedPercentage, B-LineOfCreditFacilityMaximumBorrowingCapacity, B-DebtInstrumentBasisSpreadOnVariableRate1; ` +
        'expected a model of the 4 entity types (finer train on a finer subset dataset) or of the 139 FiNER tags\n',
    );
    expect(existsSync(out)).toBe(false);
  });

  it('a --max-length beyond the model\'s max_position_embeddings', async () => {
    const model = modelFolder((c) => (c.max_position_embeddings = 64));
    const r = await adapt(model, join(tempDir(), 'adapted'), '--max-length', '128');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`finer: --max-length 128 exceeds the model's max_position_embeddings 64 (${join(model, 'config.json')}); expected at most that\n`);
  });
});

describe('finer adapt scratch folder', () => {
  it('is named as an atomic temporary, so a killed adaptation\'s is removed by the next one beside it', async () => {
    const parent = tempDir();
    const dead = 2 ** 22 + 7; // above Linux's pid_max: no such process
    const leftover = join(parent, `.adapted.${dead}.tmp`);
    mkdirSync(join(leftover, 'ixbrl'), { recursive: true });
    writeFileSync(join(parent, 'notes.txt'), 'kept');
    const r = await adapt(modelFolder(), join(parent, 'adapted'));
    expect(r.code).toBe(1); // the filing does not exist
    expect(r.stderr).toMatch(/no-such-filing\.htm: no such file or folder/);
    expect(readdirSync(parent)).toEqual(['notes.txt']); // the leftover and this run's scratch are gone
  });
});
