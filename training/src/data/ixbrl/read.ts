/** Stream one filing from disk (gunzipping `.gz`) through the iXBRL extractor, never holding the whole document. */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { IxbrlExtractor, type ExtractedFiling } from '@finer-lens/core/ixbrl/extract.ts';
import { FinerError } from '../../util/errors.ts';

export interface ReadFiling {
  filing: ExtractedFiling;
  /** Uncompressed size of the HTML in bytes. */
  htmlBytes: number;
}

export async function readFiling(path: string): Promise<ReadFiling> {
  const extractor = new IxbrlExtractor();
  const decoder = new TextDecoder('utf-8');
  let htmlBytes = 0;
  const sink = async (source: AsyncIterable<Buffer>): Promise<void> => {
    for await (const chunk of source) {
      htmlBytes += chunk.length;
      extractor.write(decoder.decode(chunk, { stream: true }));
    }
    extractor.write(decoder.decode());
  };
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    if (path.toLowerCase().endsWith('.gz')) await pipeline(file, createGunzip(), sink);
    else await pipeline(file, sink);
  } catch (err) {
    throw new FinerError(`${path}: cannot read: ${describe(err)}`);
  }
  return { filing: extractor.end(), htmlBytes };
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'Z_BUF_ERROR' || e.code === 'Z_DATA_ERROR' || /unexpected end of file/i.test(e.message ?? '')) {
    return `truncated or corrupt gzip data (${e.message}); expected a complete .gz file`;
  }
  if (e.code === 'ENOENT') return 'no such file';
  return e.message ?? String(err);
}
