/**
 * The training and validation sentences of a dataset folder, read through
 * the data package's folder reader (JSONL or parquet; every line checked,
 * label ids against the folder's label names) and held in memory.
 */
import { FinerError } from '../util/errors.ts';
import { openDatasetFolder, readSplit } from '../data/dataset-folder.ts';
import type { FinerSentence, SplitName } from '../data/sentence.ts';

export interface TrainingData { labels: string[]; train: FinerSentence[]; validation: FinerSentence[] }

export async function readTrainingData(dir: string): Promise<TrainingData> {
  const folder = await openDatasetFolder(dir);
  const read = async (name: SplitName): Promise<FinerSentence[]> => {
    const split = folder.splits.find((s) => s.name === name);
    const out: FinerSentence[] = [];
    if (split) for await (const s of readSplit(folder, split)) out.push({ id: s.id, tokens: s.tokens, ner_tags: s.ner_tags });
    return out;
  };
  const train = await read('train');
  if (train.length === 0) throw new FinerError(`${dir}: no training sentences; expected a non-empty train split (train.jsonl)`);
  return { labels: [...folder.labelNames], train, validation: await read('validation') };
}
