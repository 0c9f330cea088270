/**
 * A FiNER dataset folder: its splits (JSONL or parquet), its label names and
 * its `dataset_info.json`. Accepted layouts, per split:
 *
 *   <split>.jsonl                          (ours, the iXBRL builder's, `finer subset`)
 *   <split>/*.parquet                      (`finer download`)
 *   <split>.parquet, <split>-*.parquet     (hub `data/` style)
 *   <config>/<split>/*.parquet             (a raw `refs/convert/parquet` snapshot)
 *
 * Label names come from dataset_info.json (`label_names`, `labels`, or the
 * Hugging Face `features.ner_tags.feature.names`), else from the parquet
 * files' `huggingface` metadata, else they are FiNER-139's 279 labels.
 */
import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FINER139_LABELS } from '@finer-lens/core/ner/labels.ts';
import { FinerError } from '../util/errors.ts';
import { readJsonlLocated, type LocatedSentence } from './jsonl.ts';
import { readParquetLabelNames, readParquetLocated } from './parquet.ts';
import { SPLITS, type FinerSentence, type SplitName } from './sentence.ts';

export const DATASET_INFO = 'dataset_info.json';

export interface SplitFiles {
  name: SplitName;
  format: 'jsonl' | 'parquet';
  files: string[];
}

export interface DatasetFolder {
  dir: string;
  labelNames: readonly string[];
  /** Where the label names came from, for reports. */
  labelSource: 'dataset_info.json' | 'parquet metadata' | 'FiNER-139';
  /** The parsed dataset_info.json, when the folder has one. */
  info: Record<string, unknown> | undefined;
  splits: SplitFiles[];
}

/** Find the splits and label names of `dir`; a FinerError says what is missing. */
export async function openDatasetFolder(dir: string): Promise<DatasetFolder> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new FinerError(`${dir}: no such dataset folder`);
  }
  const splits: SplitFiles[] = [];
  for (const name of SPLITS) {
    const found = await findSplit(dir, name);
    if (found) splits.push(found);
  }
  if (splits.length === 0) {
    throw new FinerError(`${dir}: no dataset split found; expected train.jsonl, validation.jsonl, test.jsonl or <split>/*.parquet`);
  }
  const info = await readDatasetInfo(join(dir, DATASET_INFO));
  const fromInfo = info && labelNamesOf(info, join(dir, DATASET_INFO));
  if (fromInfo) return { dir, labelNames: fromInfo, labelSource: 'dataset_info.json', info, splits };
  const firstParquet = splits.find((s) => s.format === 'parquet')?.files[0];
  const fromParquet = firstParquet ? await readParquetLabelNames(firstParquet) : undefined;
  if (fromParquet) return { dir, labelNames: fromParquet, labelSource: 'parquet metadata', info, splits };
  return { dir, labelNames: FINER139_LABELS, labelSource: 'FiNER-139', info, splits };
}

/** The sentences of one split, checked against the folder's label names. */
export async function* readSplit(folder: DatasetFolder, split: SplitFiles): AsyncGenerator<FinerSentence> {
  for await (const { sentence } of readSplitLocated(folder, split)) yield sentence;
}

/** The same, each sentence with where it was read (`file:line`, or `file: row N`), for a builder's error messages. */
export async function* readSplitLocated(folder: DatasetFolder, split: SplitFiles): AsyncGenerator<LocatedSentence> {
  const labelCount = folder.labelNames.length;
  for (const file of split.files) {
    yield* split.format === 'jsonl' ? readJsonlLocated(file, labelCount) : readParquetLocated(file, labelCount);
  }
}

async function findSplit(dir: string, name: SplitName): Promise<SplitFiles | undefined> {
  const jsonl = join(dir, `${name}.jsonl`);
  if (existsSync(jsonl)) return { name, format: 'jsonl', files: [jsonl] };
  const nested = join(dir, name);
  if (isDir(nested)) {
    const files = await parquetFilesIn(nested);
    if (files.length) return { name, format: 'parquet', files };
  }
  const top = (await readdir(dir))
    .filter((f) => f === `${name}.parquet` || (f.startsWith(`${name}-`) && f.endsWith('.parquet')))
    .sort()
    .map((f) => join(dir, f));
  if (top.length) return { name, format: 'parquet', files: top };
  for (const config of (await readdir(dir)).sort()) {
    const perConfig = join(dir, config, name);
    if (isDir(perConfig)) {
      const files = await parquetFilesIn(perConfig);
      if (files.length) return { name, format: 'parquet', files };
    }
  }
  return undefined;
}

async function parquetFilesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => f.endsWith('.parquet')).sort().map((f) => join(dir, f));
}

function isDir(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Parsed dataset_info.json, or undefined when the folder has none. */
export async function readDatasetInfo(path: string): Promise<Record<string, unknown> | undefined> {
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new FinerError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new FinerError(`${path}: expected a JSON object with "label_names"`);
  }
  return parsed as Record<string, unknown>;
}

/** Label names declared by dataset_info.json, if it declares any. */
function labelNamesOf(info: Record<string, unknown>, path: string): string[] | undefined {
  const features = info.features as { ner_tags?: { feature?: { names?: unknown } } } | undefined;
  const [field, names] =
    info.label_names !== undefined ? ['label_names', info.label_names]
    : info.labels !== undefined ? ['labels', info.labels]
    : ['features.ner_tags.feature.names', features?.ner_tags?.feature?.names];
  if (names === undefined) return undefined;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) {
    throw new FinerError(`${path}: field "${field}": expected a non-empty array of label names`);
  }
  if (new Set(names).size !== names.length) throw new FinerError(`${path}: field "${field}": label names must be unique`);
  return names;
}
