/**
 * The shared WordPiece encoder (src/ner/wordpiece.ts) plus reading a
 * `vocab.txt` from disk, which only the Node side does.
 */
import { readFile } from 'node:fs/promises';
import { WordPiece } from '../../../src/ner/wordpiece.ts';
import { FinerError } from '../util/errors.ts';

export { WordPiece, type Encoding, type WordEncoder } from '../../../src/ner/wordpiece.ts';

export async function readVocabFile(path: string): Promise<WordPiece> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new FinerError(`${path}: cannot read vocab file (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
  return WordPiece.fromVocabText(text, path);
}
