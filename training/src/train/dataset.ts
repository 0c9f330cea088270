/**
 * FiNER JSONL dataset folders: `train.jsonl`, `validation.jsonl` (one
 * `{"id","tokens","ner_tags"}` per line) and `dataset_info.json` with the
 * label names. Every line is checked before training starts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FinerError, atLine } from '../util/errors.ts';

/** One sentence: its words and one label id per word. */
export interface TaggedSentence { id: string; tokens: string[]; nerTags: number[] }

export interface TaggedDataset { labels: string[]; train: TaggedSentence[]; validation: TaggedSentence[] }

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new FinerError(`${path}: cannot read ${what} (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
}

/**
 * Label names from dataset_info.json: `labels` or `label_names` (ours), or
 * Hugging Face's `features.ner_tags.feature.names`.
 */
export async function readLabelNames(path: string): Promise<string[]> {
  let info: unknown;
  try {
    info = JSON.parse(await readText(path, 'dataset info'));
  } catch (err) {
    if (err instanceof FinerError) throw err;
    throw new FinerError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const o = info as Record<string, any>;
  const names: unknown = o?.labels ?? o?.label_names ?? o?.features?.ner_tags?.feature?.names;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) {
    throw new FinerError(`${path}: expected a non-empty string array "labels" (or "label_names", or features.ner_tags.feature.names)`);
  }
  return names as string[];
}

/** Parse a JSONL file; label ids must lie in 0..numLabels-1. */
export async function readTaggedJsonl(path: string, numLabels: number): Promise<TaggedSentence[]> {
  const lines = (await readText(path, 'JSONL data')).split('\n');
  const out: TaggedSentence[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const at = (msg: string) => atLine(path, i + 1, msg);
    let row: any;
    try {
      row = JSON.parse(line);
    } catch (err) {
      throw at(`not valid JSON (${(err as Error).message})`);
    }
    if (typeof row !== 'object' || row === null) throw at('expected an object {"id","tokens","ner_tags"}');
    const { tokens, ner_tags: tags } = row;
    if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === 'string')) throw at('field "tokens": expected an array of strings');
    if (!Array.isArray(tags)) throw at('field "ner_tags": expected an array of integers');
    if (tags.length !== tokens.length) {
      throw at(`field "ner_tags" has ${tags.length} labels; expected ${tokens.length}, one per token`);
    }
    tags.forEach((t, k) => {
      if (!Number.isInteger(t) || t < 0 || t >= numLabels) {
        throw at(`field "ner_tags"[${k}] = ${JSON.stringify(t)}; expected an integer label id in 0..${numLabels - 1}`);
      }
    });
    out.push({ id: String(row.id ?? `${i + 1}`), tokens, nerTags: tags });
  });
  return out;
}

export async function readTaggedDataset(dir: string): Promise<TaggedDataset> {
  const labels = await readLabelNames(join(dir, 'dataset_info.json'));
  const train = await readTaggedJsonl(join(dir, 'train.jsonl'), labels.length);
  if (train.length === 0) throw new FinerError(`${join(dir, 'train.jsonl')}: no sentences`);
  const validation = await readTaggedJsonl(join(dir, 'validation.jsonl'), labels.length);
  return { labels, train, validation };
}
