/**
 * FiNER JSONL files: one `{"id", "tokens", "ner_tags", ...}` object per line.
 * Read line by line (a FiNER split is hundreds of MB), written in batches.
 */
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { FinerError, atLine, readFailure, writeFailure } from '../util/errors.ts';
import { toSentence, type FinerSentence } from './sentence.ts';

/** A sentence and where it was read: `file:line` (JSONL) or `file: row N` (parquet), for error messages. */
export interface LocatedSentence {
  sentence: FinerSentence;
  where: string;
}

/** A JSONL line without the UTF-8 byte-order mark that some editors write before the first one. */
export function withoutBom(line: string, lineNo: number): string {
  return lineNo === 1 && line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
}

/** Sentences of a JSONL file, each checked and located by its line (blank lines are skipped, and counted). */
export async function* readJsonlLocated(path: string, labelCount: number): AsyncGenerator<LocatedSentence> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      const line = withoutBom(raw, lineNo);
      if (line.trim() === '') continue;
      const at = (msg: string) => atLine(path, lineNo, msg);
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch (err) {
        throw at(`not valid JSON (${(err as Error).message}); expected one {"id", "tokens", "ner_tags"} object per line`);
      }
      yield { sentence: toSentence(record, labelCount, at), where: `${path}:${lineNo}` };
    }
  } catch (err) {
    throw readFailure(err, path, 'JSONL');
  } finally {
    lines.close();
    input.destroy();
  }
}

const BATCH_CHARS = 1 << 20;

/** Appends sentences to a new JSONL file, one JSON object per line; an OS error is one line naming the file. */
export class JsonlWriter {
  private pending: string[] = [];
  private pendingChars = 0;
  private constructor(
    private readonly path: string,
    private readonly file: FileHandle,
  ) {}

  static async create(path: string): Promise<JsonlWriter> {
    try {
      return new JsonlWriter(path, await open(path, 'w'));
    } catch (err) {
      throw writeFailure(err, path);
    }
  }

  /** One JSON line: a sentence, or any record (scratch files of a builder). */
  async write(row: FinerSentence | object): Promise<void> {
    const line = JSON.stringify(row) + '\n';
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pendingChars >= BATCH_CHARS) await this.flush();
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      await this.file.close().catch((err: unknown) => {
        throw writeFailure(err, this.path);
      });
    }
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    try {
      await this.file.writeFile(text); // from the current position, all of it
    } catch (err) {
      throw writeFailure(err, this.path);
    }
  }
}
