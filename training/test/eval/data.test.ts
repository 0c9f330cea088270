import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvalSet } from '../../src/eval/data.ts';
import { sentence, tempDir, writeJsonlDataset } from '../data/fixtures.ts';

describe('readEvalSet', () => {
  const four = ['O', 'B-RATE', 'B-AMOUNT'];

  it("reads a folder of the model's labels, or of the model's labels without its near-miss classes O-<concept>", async () => {
    const dir = join(tempDir(), 'data');
    await writeJsonlDataset(dir, { test: [sentence('a', [1, 0, 2])] }, { label_names: four });
    for (const model of [four, [...four, 'O-LongTermDebt', 'O-LineOfCredit']]) {
      const set = await readEvalSet(dir, 'test', model);
      expect(set.kind === 'dense' && set.sentences[0]!.labels).toEqual(['B-RATE', 'O', 'B-AMOUNT']);
    }
  });

  it('refuses other labels, or near-miss classes in another place, naming the folder', async () => {
    const dir = join(tempDir(), 'data');
    await writeJsonlDataset(dir, { test: [sentence('a', [1, 0, 2])] }, { label_names: four });
    await expect(readEvalSet(dir, 'test', ['O', 'B-AMOUNT', 'B-RATE'])).rejects.toThrow(/differ from the model's id2label \[O, B-AMOUNT, B-RATE\]; expected the same labels in the same order$/);
    await expect(readEvalSet(dir, 'test', ['O', 'B-RATE', 'O-LongTermDebt'])).rejects.toThrow(/expected the same labels in the same order \(or the same without its near-miss classes O-\.\.\.\)$/);
  });
});
