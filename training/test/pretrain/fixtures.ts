/**
 * A tiny prose corpus for pretraining tests: documents (a `source` each) of
 * sentences made of filler words and numbers; a number such as "1,250" is
 * several sub-tokens ("1" "," "2" "##5" "##0"), so whole-word masking has
 * multi-piece words to keep together. Vocabulary of 59 tokens, [MASK] included.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultConfig, type DistilBertConfig } from '../../src/model/config.ts';
import { WordPiece } from '../../src/tokenizer/wordpiece.ts';
import { mulberry32 } from '../../src/util/rng.ts';

const DIGITS = Array.from({ length: 10 }, (_, i) => `${i}`);
/** Words without digits: wa .. wz, wax .. wdx. */
export const FILLER = Array.from({ length: 30 }, (_, i) => `w${String.fromCharCode(97 + (i % 26))}${i >= 26 ? 'x' : ''}`);
export const VOCAB = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'rate', 'amount', ',', '.', ...FILLER, ...DIGITS, ...DIGITS.map((d) => `##${d}`)];
export const tokenizer = WordPiece.fromVocabText(VOCAB.join('\n'), 'test vocab');

/** 2 layers, dim 32, the corpus's vocabulary. */
export function tinyConfig(overrides: Partial<DistilBertConfig> = {}): DistilBertConfig {
  return defaultConfig({ vocab_size: VOCAB.length, max_position_embeddings: 64, n_layers: 2, n_heads: 2, dim: 32, hidden_dim: 64, ...overrides });
}

export interface ProseLine { id: string; tokens: string[]; ner_tags: number[]; source: string }

/** `docs` documents of 3 to 8 sentences of 4 to 14 words; about one word in five is a number. */
export function prose(docs: number, seed: number): ProseLine[] {
  const random = mulberry32(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const number = () => {
    const n = Math.floor(random() * 5000);
    return random() < 0.5 ? n.toLocaleString('en-US') : `${n}.${Math.floor(random() * 10)}`;
  };
  const lines: ProseLine[] = [];
  for (let d = 0; d < docs; d++) {
    const sentences = 3 + Math.floor(random() * 6);
    for (let s = 0; s < sentences; s++) {
      const tokens = Array.from({ length: 4 + Math.floor(random() * 11) }, () => (random() < 0.2 ? number() : random() < 0.1 ? pick(['rate', 'amount']) : pick(FILLER)));
      lines.push({ id: String(lines.length), tokens, ner_tags: tokens.map(() => 0), source: `doc${d}.htm` });
    }
  }
  return lines;
}

/** A dataset folder: train.jsonl of `train`, and unreadable validation/test files (pretraining must never open them). */
export async function writeCorpusFolder(dir: string, train: readonly object[], extraLines: string[] = []): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'train.jsonl'), [...train.map((l) => JSON.stringify(l)), ...extraLines].join('\n') + '\n');
  await writeFile(join(dir, 'validation.jsonl'), 'not json: pretraining reads the train split only\n');
  await writeFile(join(dir, 'test.jsonl'), 'not json: pretraining reads the train split only\n');
  await writeFile(join(dir, 'dataset_info.json'), JSON.stringify({ label_names: ['O'], options: { split_by: 'company' } }));
  await writeFile(join(dir, 'vocab.txt'), VOCAB.join('\n') + '\n');
}
