/**
 * FiNER parquet files as the Hugging Face hub publishes them
 * (`id: string, tokens: list<string>, ner_tags: list<int64>`), read one row
 * group at a time so that a 1 GB split never sits in memory whole.
 */
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { FinerError } from '../util/errors.ts';
import type { LocatedSentence } from './jsonl.ts';
import { toSentence, type FinerSentence } from './sentence.ts';

async function openParquet(path: string) {
  try {
    const file = await asyncBufferFromFile(path);
    return { file, metadata: await parquetMetadataAsync(file) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FinerError(`${path}: cannot read parquet (${code ?? (err as Error).message})`);
  }
}

/**
 * Label names stored by the `datasets` library in the file's key-value
 * metadata (`huggingface` -> info.features.ner_tags.feature.names), if any.
 */
export function hfLabelNames(metadata: FileMetaData): string[] | undefined {
  const entry = metadata.key_value_metadata?.find((kv) => kv.key === 'huggingface');
  if (!entry?.value) return undefined;
  try {
    const hf = JSON.parse(entry.value) as { info?: { features?: { ner_tags?: { feature?: { names?: unknown } } } } };
    const names = hf.info?.features?.ner_tags?.feature?.names;
    return Array.isArray(names) && names.every((n) => typeof n === 'string') ? names : undefined;
  } catch {
    return undefined;
  }
}

export async function readParquetLabelNames(path: string): Promise<string[] | undefined> {
  return hfLabelNames((await openParquet(path)).metadata);
}

/** Sentences of a parquet file, each checked and located; errors name the file and row (1-based). */
export async function* readParquetLocated(path: string, labelCount: number): AsyncGenerator<LocatedSentence> {
  const { file, metadata } = await openParquet(path);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file, metadata, compressors, rowStart, rowEnd });
    } catch (err) {
      throw new FinerError(`${path}: rows ${rowStart + 1}..${rowEnd}: cannot decode parquet (${(err as Error).message})`);
    }
    for (let i = 0; i < rows.length; i++) {
      const row = rowStart + i + 1;
      yield { sentence: toSentence(rows[i], labelCount, (msg) => new FinerError(`${path}: row ${row}: ${msg}`)), where: `${path}: row ${row}` };
    }
    rowStart = rowEnd;
  }
}
