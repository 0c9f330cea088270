/**
 * Numeric flags are checked while commander reads the line: a bad value is
 * one line naming the flag and what was expected, before any work starts.
 */
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerAdapt } from '../../src/adapt/command.ts';
import { registerCompare } from '../../src/compare/command.ts';
import { registerEvaluate } from '../../src/eval/command.ts';
import { registerThresholds } from '../../src/eval/thresholds.ts';
import { registerPredict } from '../../src/predict/command.ts';
import { registerPretrain } from '../../src/pretrain/command.ts';
import { registerTrain } from '../../src/train/command.ts';
import { FinerError } from '../../src/util/errors.ts';
import { positiveInt } from '../../src/util/flags.ts';
import { finerInProcess } from '../cli-run.ts';

describe('positiveInt', () => {
  it('takes 1 and up; refuses 0, negatives, fractions and words, naming the flag', () => {
    expect(positiveInt('--batch-size')('1')).toBe(1);
    expect(positiveInt('--batch-size')('32')).toBe(32);
    for (const v of ['0', '-1', '2.5', 'many', '']) {
      expect(() => positiveInt('--batch-size')(v)).toThrow(new FinerError(`--batch-size ${JSON.stringify(v)}: expected a positive integer`));
    }
  });
});

describe('--batch-size 0', () => {
  const commands: Array<[string, (program: Command) => void, string[]]> = [
    ['train', registerTrain, []],
    ['pretrain', registerPretrain, []],
    ['adapt', registerAdapt, ['filing.htm']],
    ['evaluate', registerEvaluate, []],
    ['thresholds', registerThresholds, []],
    ['predict', registerPredict, []],
    ['compare', registerCompare, []],
  ];
  it.each(commands)('finer %s refuses it while reading the line', async (name, register, args) => {
    await expect(finerInProcess(register, [name, ...args, '--batch-size', '0'])).rejects.toThrow(
      new FinerError('--batch-size "0": expected a positive integer'),
    );
  });
});
