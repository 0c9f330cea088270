/**
 * Evaluation data: a dataset folder's split, a FiNER JSONL file, or a file
 * in the sparse-gold format of FiNER-139's sample
 * (`{"id", "tokens", "gold": {"<word index>": "<tag without B-/I->"}}`).
 * Label names must be the model's: a mismatch is an error, not a silent
 * renumbering.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { basename } from 'node:path';
import { openDatasetFolder, readSplit } from '../data/dataset-folder.ts';
import { withoutBom } from '../data/jsonl.ts';
import type { SplitName } from '../data/sentence.ts';
import { atLine, FinerError } from '../util/errors.ts';
import { NEAR_MISS_PREFIX } from '@finer-lens/core/ner/labels.ts';

/** A fully labelled sentence; `group` is the line's `source` (its filing), when it has one. */
export interface DenseSentence { id: string; tokens: string[]; labels: string[]; group?: string }
export interface DenseSet { kind: 'dense'; name: string; source: string; sentences: DenseSentence[] }
export interface SparseSet { kind: 'sparse'; name: string; source: string; sentences: Array<{ id: string; tokens: string[]; gold: Record<number, string> }> }
export type EvalSet = DenseSet | SparseSet;

/** The data's labels are the model's, or the model's without its near-miss classes `O-<concept>` (which it predicts as O). */
function sameLabels(found: readonly string[], model: readonly string[], where: string): void {
  const entityLabels = model.filter((l) => !l.startsWith(NEAR_MISS_PREFIX));
  if (found.join('\n') !== model.join('\n') && found.join('\n') !== entityLabels.join('\n')) {
    const without = entityLabels.length < model.length ? ' (or the same without its near-miss classes O-...)' : '';
    throw new FinerError(`${where}: label names [${found.join(', ')}] differ from the model's id2label [${model.join(', ')}]; expected the same labels in the same order${without}`);
  }
}

/** One split of a dataset folder, labels checked against the model's. */
async function readFolder(dir: string, split: SplitName, modelLabels: readonly string[]): Promise<DenseSet> {
  const folder = await openDatasetFolder(dir);
  sameLabels(folder.labelNames, modelLabels, `${dir} (${folder.labelSource})`);
  const files = folder.splits.find((s) => s.name === split);
  if (!files) throw new FinerError(`${dir}: no ${split} split; expected ${split}.jsonl`);
  const sentences: DenseSet['sentences'] = [];
  for await (const s of readSplit(folder, files)) {
    sentences.push({ id: s.id, tokens: s.tokens, labels: s.ner_tags.map((t) => folder.labelNames[t]!), ...(typeof s.source === 'string' ? { group: s.source } : {}) });
  }
  return { kind: 'dense', name: split, source: dir, sentences };
}

/** A JSONL file: FiNER lines (`ner_tags`, ids into the model's labels) or sparse-gold lines (`gold`). */
async function readFile(path: string, modelLabels: readonly string[]): Promise<EvalSet> {
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  const dense: DenseSet['sentences'] = [];
  const sparse: SparseSet['sentences'] = [];
  let n = 0;
  for await (const raw of lines) {
    n++;
    const line = withoutBom(raw, n);
    if (!line.trim()) continue;
    let r: { id?: unknown; tokens?: unknown; gold?: unknown; ner_tags?: unknown; source?: unknown };
    try {
      r = JSON.parse(line) as typeof r;
    } catch (err) {
      throw atLine(path, n, `not valid JSON (${(err as Error).message})`);
    }
    if (!Array.isArray(r.tokens) || !r.tokens.every((t) => typeof t === 'string')) throw atLine(path, n, 'field "tokens": expected an array of strings');
    const id = String(r.id ?? `${basename(path)}:${n}`);
    if (r.gold !== undefined) {
      if (typeof r.gold !== 'object' || r.gold === null) throw atLine(path, n, 'field "gold": expected an object {"<word index>": "<tag>"}');
      const gold: Record<number, string> = {};
      for (const [k, v] of Object.entries(r.gold)) {
        const i = Number(k);
        if (!Number.isInteger(i) || i < 0 || i >= r.tokens.length || typeof v !== 'string') {
          throw atLine(path, n, `field "gold" entry ${JSON.stringify(k)}: ${JSON.stringify(v)}; expected a word index 0..${r.tokens.length - 1} and a tag name`);
        }
        gold[i] = v;
      }
      sparse.push({ id, tokens: r.tokens as string[], gold });
    } else if (Array.isArray(r.ner_tags)) {
      if (r.ner_tags.length !== r.tokens.length) throw atLine(path, n, `${r.ner_tags.length} ner_tags for ${r.tokens.length} tokens; expected one per token`);
      const labels = r.ner_tags.map((t) => {
        if (!Number.isInteger(t) || (t as number) < 0 || (t as number) >= modelLabels.length) {
          throw atLine(path, n, `field "ner_tags": ${JSON.stringify(t)}; expected a label id 0..${modelLabels.length - 1} of the model`);
        }
        return modelLabels[t as number]!;
      });
      dense.push({ id, tokens: r.tokens as string[], labels, ...(typeof r.source === 'string' ? { group: r.source } : {}) });
    } else {
      throw atLine(path, n, 'expected "ner_tags" (a fully labelled sentence) or "gold" (sparse gold tags)');
    }
  }
  if (dense.length && sparse.length) throw new FinerError(`${path}: mixes "ner_tags" and "gold" lines; expected one format per file`);
  if (!dense.length && !sparse.length) throw new FinerError(`${path}: no sentences`);
  const name = basename(path).replace(/\.jsonl$/, '');
  return sparse.length ? { kind: 'sparse', name, source: path, sentences: sparse } : { kind: 'dense', name, source: path, sentences: dense };
}

export async function readEvalSet(path: string, split: SplitName, modelLabels: readonly string[]): Promise<EvalSet> {
  if (!existsSync(path)) throw new FinerError(`${path}: no such file or folder; expected a dataset folder or a JSONL file`);
  return statSync(path).isDirectory() ? readFolder(path, split, modelLabels) : readFile(path, modelLabels);
}
