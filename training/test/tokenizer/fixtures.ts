/**
 * A number-shape tokenizer folder: what `finer vocab --number-shapes` wrote
 * before the flag left the product (2026-12-07, lab/RESULTS.md), a Replace
 * normalizer after BertNormalizer that makes every ASCII digit 0. The models
 * and encoders made with it must still load, train, export and tag.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeTokenizerFiles, type VocabFiles } from '../../src/tokenizer/train-vocab.ts';

/** tokenizer.json's number-shape rule, as those folders hold it. */
export const NUMBER_SHAPES = { type: 'Replace', pattern: { Regex: '[0-9]' }, content: '0' } as const;

/** A corpus line as the number-shape vocabularies were learned from it: every digit 0. */
export const shapeNumbers = (text: string): string => text.replace(/[0-9]/g, '0');

/** writeTokenizerFiles, then BertNormalizer -> Sequence [BertNormalizer, NUMBER_SHAPES] in tokenizer.json. */
export async function writeNumberShapeTokenizer(dir: string, files: VocabFiles): Promise<void> {
  await writeTokenizerFiles(dir, files);
  const path = join(dir, 'tokenizer.json');
  const json = JSON.parse(await readFile(path, 'utf8')) as { normalizer: unknown };
  json.normalizer = { type: 'Sequence', normalizers: [json.normalizer, NUMBER_SHAPES] };
  await writeFile(path, JSON.stringify(json, null, 1) + '\n');
}
