/**
 * `finer vocab`: a cased WordPiece vocabulary trained on the prose of a
 * dataset's train split (companies never in validation or test), written as
 * the Hugging Face tokenizer files transformers.js and Python load:
 *
 *   tokenizer.json  vocab.txt  tokenizer_config.json  special_tokens_map.json
 *
 * The trainer is Hugging Face's own (npm `tokenizers`, Rust). Its Node
 * binding takes no trainer options (it always learns 30,000 tokens and
 * reserves no specials), but it lists the vocabulary in the order it was
 * learned (alphabet, then merges), so a prefix of that list is a valid
 * smaller vocabulary: we put the five specials first and keep the first
 * `size - 5` learned tokens.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hf from 'tokenizers';
import { SPECIAL_TOKENS, WordPiece } from '@finer-lens/core/text/wordpiece.ts';
import { openDatasetFolder, readSplit } from '../data/dataset-folder.ts';
import { FileOutput, writeDirAtomic, writeFileAtomic } from '../util/atomic.ts';
import { checkOutDir, type OutputGuard } from '../util/output.ts';
import { FinerError } from '../util/errors.ts';

/** The trainer's vocabulary size; we can only take prefixes of it. */
export const TRAINER_VOCAB = 30_000;

/** The pipeline every backend applies: BertNormalizer (cased), BertPreTokenizer, WordPiece, [CLS] $A [SEP]. */
export function buildTokenizer(tokens: readonly string[]): hf.Tokenizer {
  const vocab = Object.fromEntries(tokens.map((t, i) => [t, i]));
  const tk = new hf.Tokenizer(hf.WordPiece.init(vocab, { unkToken: '[UNK]', continuingSubwordPrefix: '##', maxInputCharsPerWord: 100 }));
  tk.setNormalizer(hf.bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: false, lowercase: false }));
  tk.setPreTokenizer(hf.bertPreTokenizer());
  tk.setPostProcessor(hf.bertProcessing(['[SEP]', vocab['[SEP]']!], ['[CLS]', vocab['[CLS]']!]));
  tk.setDecoder(hf.wordPieceDecoder('##', true));
  tk.addSpecialTokens([...SPECIAL_TOKENS]);
  return tk;
}

/** Learn `size` tokens (specials included) from lines of text already split into words by spaces. */
export async function learnVocabulary(corpusFiles: readonly string[], size: number): Promise<string[]> {
  if (!Number.isInteger(size) || size < SPECIAL_TOKENS.length + 1 || size > TRAINER_VOCAB) {
    throw new FinerError(`--size ${size}: expected an integer from ${SPECIAL_TOKENS.length + 1} to ${TRAINER_VOCAB}`);
  }
  const trainer = new hf.Tokenizer(hf.WordPiece.empty());
  trainer.setNormalizer(hf.bertNormalizer({ cleanText: true, handleChineseChars: true, stripAccents: false, lowercase: false }));
  trainer.setPreTokenizer(hf.bertPreTokenizer());
  trainer.train([...corpusFiles]);
  const learned = Object.entries(trainer.getVocab()).sort((a, b) => a[1] - b[1]).map(([t]) => t);
  const specials = new Set<string>(SPECIAL_TOKENS);
  const tokens: string[] = [...SPECIAL_TOKENS];
  for (const t of learned) {
    if (tokens.length >= size) break;
    if (!specials.has(t)) tokens.push(t);
  }
  return tokens;
}

export interface VocabFiles { tokens: readonly string[]; modelMaxLength: number }

/** The four Hugging Face tokenizer files, written into `dir` (which must exist). */
export async function writeTokenizerFiles(dir: string, { tokens, modelMaxLength }: VocabFiles): Promise<void> {
  new WordPiece(new Map(tokens.map((t, i) => [t, i])), 'vocabulary'); // the specials are there
  const tk = buildTokenizer(tokens);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, '.tokenizer.json.tmp');
  tk.save(tmp, true);
  const json = JSON.parse(await readFile(tmp, 'utf8')) as unknown;
  await rm(tmp, { force: true });
  // re-serialised (1-space indent): the bytes of every tokenizer.json written so far, the shipped one included
  await writeFileAtomic(join(dir, 'tokenizer.json'), JSON.stringify(json, null, 1) + '\n');
  await writeFileAtomic(join(dir, 'vocab.txt'), tokens.join('\n') + '\n');
  const specials = { unk_token: '[UNK]', sep_token: '[SEP]', pad_token: '[PAD]', cls_token: '[CLS]', mask_token: '[MASK]' };
  await writeFileAtomic(join(dir, 'special_tokens_map.json'), JSON.stringify(specials, null, 2) + '\n');
  await writeFileAtomic(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({
      tokenizer_class: 'DistilBertTokenizer', do_lower_case: false, tokenize_chinese_chars: true, strip_accents: false,
      model_max_length: modelMaxLength, clean_up_tokenization_spaces: true, ...specials,
    }, null, 2) + '\n',
  );
}

export interface VocabReport { size: number; sentences: number; words: number; subTokensPerWord: number; unkRate: number }

/** Train on the train split of `dataDir` and write the tokenizer folder `outDir` (all or nothing). */
export async function trainVocab(dataDir: string, outDir: string, opts: { size: number; maxSentences?: number; modelMaxLength?: number; force?: boolean }): Promise<VocabReport> {
  const guard: OutputGuard = { kind: 'vocab', inputs: [dataDir], force: opts.force };
  await checkOutDir(outDir, guard);
  const folder = await openDatasetFolder(dataDir);
  const train = folder.splits.find((s) => s.name === 'train');
  if (!train) throw new FinerError(`${dataDir}: no train split; the vocabulary is learned from the train split only`);
  const work = await mkdtemp(join(tmpdir(), 'finer-vocab-'));
  try {
    const corpus = join(work, 'train.txt');
    const out = await FileOutput.open(corpus);
    let sentences = 0;
    let batch = '';
    for await (const s of readSplit(folder, train)) {
      if (opts.maxSentences !== undefined && sentences >= opts.maxSentences) break;
      batch += s.tokens.join(' ') + '\n';
      if (batch.length >= 1 << 20) {
        await out.write(batch);
        batch = '';
      }
      sentences++;
    }
    await out.write(batch);
    await out.commit();
    if (sentences === 0) throw new FinerError(`${dataDir}: the train split is empty; expected sentences to learn a vocabulary from`);
    const tokens = await learnVocabulary([corpus], opts.size);
    await writeDirAtomic(outDir, (tmp) => writeTokenizerFiles(tmp, { tokens, modelMaxLength: opts.modelMaxLength ?? 512 }), guard);
    // sub-tokens per word on the same text: the cost of the vocabulary per word
    const wp = WordPiece.fromTokenizerJson(JSON.parse(await readFile(join(outDir, 'tokenizer.json'), 'utf8')), join(outDir, 'tokenizer.json'));
    let words = 0;
    let pieces = 0;
    let unk = 0;
    let seen = 0;
    for await (const s of readSplit(folder, train)) {
      if (seen++ >= 20_000) break;
      for (const w of s.tokens) {
        const p = wp.pieces(w);
        words++;
        pieces += p.length;
        unk += p.filter((id) => id === wp.unk).length;
      }
    }
    return { size: tokens.length, sentences, words, subTokensPerWord: pieces / Math.max(1, words), unkRate: unk / Math.max(1, pieces) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
