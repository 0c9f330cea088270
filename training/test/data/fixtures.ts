/** Small FiNER dataset folders that the data tests write for themselves. */
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { onTestFinished } from 'vitest';
import type { FinerSentence, SplitName } from '../../src/data/sentence.ts';

/** A fresh folder, removed when the calling test finishes. */
export function tempDir(prefix = 'finer-data-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function sentence(id: string, tags: number[], extra: Record<string, unknown> = {}): FinerSentence {
  return { id, tokens: tags.map((_, i) => `w${i}`), ner_tags: tags, ...extra };
}

/** Files by relative path; a path ending in / is a folder. */
export async function writeTree(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    if (path.endsWith('/')) await mkdir(join(dir, path), { recursive: true });
    else {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), content);
    }
  }
}

export async function writeJsonl(path: string, rows: unknown[]): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, rows.map((r) => JSON.stringify(r) + '\n').join(''));
}

export async function writeJsonlDataset(
  dir: string,
  splits: Partial<Record<SplitName, FinerSentence[]>>,
  info?: Record<string, unknown>,
): Promise<void> {
  for (const [name, rows] of Object.entries(splits)) await writeJsonl(join(dir, `${name}.jsonl`), rows);
  if (info) await writeFile(join(dir, 'dataset_info.json'), JSON.stringify(info));
}

/**
 * A parquet file laid out as the hub's conversion writes FiNER: `id` string,
 * `tokens` list<string>, `ner_tags` list<int64>, and optionally the
 * `huggingface` metadata with the label names.
 */
export function parquetBytes(rows: FinerSentence[], opts: { rowGroupSize?: number; labelNames?: string[] } = {}): Uint8Array {
  const hf = opts.labelNames && {
    key: 'huggingface',
    value: JSON.stringify({ info: { features: { ner_tags: { feature: { names: opts.labelNames, _type: 'ClassLabel' } } } } }),
  };
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: rows.map((r) => r.id) },
      { name: 'tokens', data: rows.map((r) => r.tokens) },
      { name: 'ner_tags', data: rows.map((r) => r.ner_tags.map(BigInt)) },
    ],
    schema: [
      { name: 'root', num_children: 3 },
      { name: 'id', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'tokens', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'ner_tags', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'INT64', repetition_type: 'OPTIONAL' },
    ],
    rowGroupSize: opts.rowGroupSize ?? 1000,
    kvMetadata: hf ? [hf] : undefined,
  });
  return new Uint8Array(buffer);
}

export async function writeParquet(path: string, rows: FinerSentence[], opts: Parameters<typeof parquetBytes>[1] = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, parquetBytes(rows, opts));
}

/**
 * Sentences whose label counts are known by construction: label id -> how
 * many sentences carry it, each with `tokensPer` tokens of that label and
 * two O tokens. Distinct labels live in distinct sentences.
 */
export function sentencesWithCounts(sentencesPerLabel: Record<number, number>, tokensPer = 1): FinerSentence[] {
  const out: FinerSentence[] = [];
  for (const [label, n] of Object.entries(sentencesPerLabel)) {
    for (let i = 0; i < n; i++) {
      out.push(sentence(`${label}-${i}`, [0, ...Array<number>(tokensPer).fill(Number(label)), 0]));
    }
  }
  return out;
}
