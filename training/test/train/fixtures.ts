/**
 * A tiny synthetic tagging task for trainer tests, where a number's label
 * depends on another word of the sentence: numbers are B-RATE in a sentence
 * that contains "rate", B-AMOUNT in one that contains "amount", O otherwise.
 * The number alone does not tell its label: a model must use context
 * (attention) to tag it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FinerSentence } from '../../src/data/sentence.ts';
import { defaultConfig, type DistilBertConfig } from '../../src/model/config.ts';
import { WordPiece } from '../../src/tokenizer/wordpiece.ts';
import { mulberry32 } from '../../src/util/rng.ts';

export const LABELS = ['O', 'B-RATE', 'B-AMOUNT'];
const FILLER = Array.from({ length: 30 }, (_, i) => `w${i}`);
const NUMBERS = Array.from({ length: 10 }, (_, i) => `${i}`);
export const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', 'rate', 'amount', ...FILLER, ...NUMBERS];
export const tokenizer = WordPiece.fromVocabText(VOCAB.join('\n'), 'test vocab');

/** 2 layers, dim 32, vocabulary of 46: trains in seconds on one core. */
export function tinyConfig(overrides: Partial<DistilBertConfig> = {}): DistilBertConfig {
  return defaultConfig({
    vocab_size: VOCAB.length, max_position_embeddings: 64, n_layers: 2, n_heads: 2, dim: 32, hidden_dim: 64, ...overrides,
  });
}

export function synthetic(count: number, seed: number): FinerSentence[] {
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: count }, (_, k) => {
    const r = random();
    const topic = r < 0.3 ? 'rate' : r < 0.6 ? 'amount' : undefined;
    const numberLabel = topic === 'rate' ? 1 : topic === 'amount' ? 2 : 0;
    const length = 5 + Math.floor(random() * 8);
    const tokens: string[] = [];
    const tags: number[] = [];
    for (let i = 0; i < length; i++) {
      const isNumber = random() < 0.35;
      tokens.push(isNumber ? pick(NUMBERS) : pick(FILLER));
      tags.push(isNumber ? numberLabel : 0);
    }
    if (topic) {
      const at = Math.floor(random() * (length + 1));
      tokens.splice(at, 0, topic);
      tags.splice(at, 0, 0);
    }
    return { id: `s${seed}-${k}`, tokens, ner_tags: tags };
  });
}

/** A dataset folder as `finer train --data` reads it, plus vocab.txt. */
export async function writeDatasetFolder(dir: string, train: FinerSentence[], validation: FinerSentence[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  const jsonl = (xs: FinerSentence[]) => xs.map((s) => JSON.stringify(s)).join('\n') + '\n';
  await writeFile(join(dir, 'train.jsonl'), jsonl(train));
  await writeFile(join(dir, 'validation.jsonl'), jsonl(validation));
  await writeFile(join(dir, 'dataset_info.json'), JSON.stringify({ label_names: LABELS }));
  await writeFile(join(dir, 'vocab.txt'), VOCAB.join('\n') + '\n');
}
