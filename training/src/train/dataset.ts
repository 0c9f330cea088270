/**
 * The training and validation sentences of a dataset folder, read through
 * the data package's folder reader (JSONL or parquet; every line checked,
 * label ids against the folder's label names) and held in memory. A train
 * sentence may carry `ignore`, words whose labels the loss skips.
 */
import { FinerError } from '../util/errors.ts';
import { openDatasetFolder, readSplit } from '../data/dataset-folder.ts';
import type { FinerSentence, SplitName } from '../data/sentence.ts';

export interface TrainingData { labels: string[]; train: FinerSentence[]; validation: FinerSentence[] }

/**
 * The words of a training sentence the loss skips: its `ignore` field, word
 * indices (`finer subset --prose` writes the untagged repeats of a target value
 * there: they may be entities the filer did not tag again).
 */
function ignoreOf(s: FinerSentence, where: string): number[] | undefined {
  if (s.ignore === undefined) return undefined;
  const ok = Array.isArray(s.ignore) && s.ignore.every((i) => Number.isInteger(i) && i >= 0 && i < s.tokens.length);
  if (!ok) throw new FinerError(`${where}: sentence "${s.id}": field "ignore" = ${JSON.stringify(s.ignore).slice(0, 40)}; expected an array of word indices in 0..${s.tokens.length - 1}`);
  return s.ignore as number[];
}

export async function readTrainingData(dir: string): Promise<TrainingData> {
  const folder = await openDatasetFolder(dir);
  const read = async (name: SplitName): Promise<FinerSentence[]> => {
    const split = folder.splits.find((s) => s.name === name);
    const out: FinerSentence[] = [];
    if (!split) return out;
    for await (const s of readSplit(folder, split)) {
      // only training honours `ignore`: validation keeps its full gold, as `finer evaluate` scores it
      const ignore = name === 'train' ? ignoreOf(s, split.files[0]!) : undefined;
      out.push({ id: s.id, tokens: s.tokens, ner_tags: s.ner_tags, ...(ignore ? { ignore } : {}) });
    }
    return out;
  };
  const train = await read('train');
  if (train.length === 0) throw new FinerError(`${dir}: no training sentences; expected a non-empty train split (train.jsonl)`);
  return { labels: [...folder.labelNames], train, validation: await read('validation') };
}
