/**
 * The shared WordPiece encoder (core/src/text/wordpiece.ts) plus reading it from
 * disk, which only the Node side does: a `vocab.txt`, and the `tokenizer.json`
 * beside it when there is one (its normalizer, e.g. number shapes, is part of
 * the encoder), so every command encodes as transformers.js will.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { WordPiece } from '@finer-lens/core/text/wordpiece.ts';
import { FinerError } from '../util/errors.ts';

export { WordPiece, type Encoding, type WordEncoder } from '@finer-lens/core/text/wordpiece.ts';

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new FinerError(`${path}: cannot read ${what} (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
}

/** The encoder of a tokenizer.json; with `vocabTxt`, its vocab must be that file's. */
async function readTokenizerJson(path: string, vocabTxt?: string): Promise<WordPiece> {
  let json: unknown;
  try {
    json = JSON.parse(await readText(path, 'the Hugging Face tokenizer'));
  } catch (err) {
    if (err instanceof FinerError) throw err;
    throw new FinerError(`${path}: not valid JSON (${(err as Error).message}); expected the Hugging Face tokenizer`);
  }
  const encoder = WordPiece.fromTokenizerJson(json, path);
  if (vocabTxt !== undefined) {
    const plain = WordPiece.fromVocabText(await readText(vocabTxt, 'vocab file'), vocabTxt);
    const differs = plain.size !== encoder.size || [...plain.vocab].some(([t, id]) => encoder.vocab.get(t) !== id);
    if (differs) throw new FinerError(`${path}: its "model.vocab" differs from ${vocabTxt} beside it; expected the same tokens and ids (copy both from one tokenizer folder)`);
  }
  return encoder;
}

/** The tokenizer.json in the folder of `vocabPath`, if there is one. */
export function tokenizerJsonBeside(vocabPath: string): string | undefined {
  const path = join(dirname(vocabPath), 'tokenizer.json');
  return existsSync(path) ? path : undefined;
}

/** A vocab.txt, with the normalizer of the tokenizer.json beside it when there is one. */
export async function readVocabFile(path: string): Promise<WordPiece> {
  const tokJson = tokenizerJsonBeside(path);
  if (tokJson) return readTokenizerJson(tokJson, path);
  return WordPiece.fromVocabText(await readText(path, 'vocab file'), path);
}

/** The encoder of a model or tokenizer folder: tokenizer.json (checked against vocab.txt), else vocab.txt. */
export async function readEncoderFolder(dir: string): Promise<WordPiece> {
  const vocabTxt = join(dir, 'vocab.txt');
  const tokJson = join(dir, 'tokenizer.json');
  if (existsSync(tokJson)) return readTokenizerJson(tokJson, existsSync(vocabTxt) ? vocabTxt : undefined);
  if (existsSync(vocabTxt)) return readVocabFile(vocabTxt);
  throw new FinerError(`${dir}: no vocab.txt or tokenizer.json; expected the model's WordPiece vocabulary`);
}

/**
 * Give a new run folder the vocabulary it was started with: vocab.txt and
 * the tokenizer.json beside it (or none, so a stale one cannot apply), so
 * --resume, --init and `finer export` find the same encoder there.
 */
export async function copyVocabInto(vocabPath: string, outDir: string): Promise<void> {
  if (resolve(vocabPath) === resolve(outDir, 'vocab.txt')) return;
  await mkdir(outDir, { recursive: true });
  await copyFile(vocabPath, join(outDir, 'vocab.txt'));
  const tokJson = tokenizerJsonBeside(vocabPath);
  if (tokJson) await copyFile(tokJson, join(outDir, 'tokenizer.json'));
  else await rm(join(outDir, 'tokenizer.json'), { force: true });
}
