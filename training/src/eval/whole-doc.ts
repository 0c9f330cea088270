/**
 * Whole-document evaluation: a model on every prose sentence with a digit of
 * a split's filings (a `finer ixbrl --all-sentences` folder), as users paste
 * them, not only on the sentences the filers tagged:
 *
 * - tagged: entity P/R/F1 on the sentences that hold a FiNER-139 tag (the
 *   four types; every other tag is O), as on the 4-entity dataset;
 * - untagged: the entities predicted in sentences without any tag, split
 *   into repeats (the word repeats the displayed value of a target fact the
 *   same filing tags anywhere: the line's `repeats`, possibly right) and
 *   others, per type and per filing;
 * - others in sentences without debt vocabulary: the clearest false alarms.
 */
import { hasDebtWords } from '@finer-lens/core/ner/debt-words.ts';
import { scoreSequences } from '@finer-lens/core/ner/metrics.ts';
import { predictWords, toEntities, type LogitsRunner } from '@finer-lens/core/ner/tagger.ts';
import type { TypeThresholds } from '@finer-lens/core/ner/thresholds.ts';
import { keptPredictions, type Verifier } from '@finer-lens/core/ner/verifier.ts';
import type { FalseAlarmExample, UntaggedCounts, WholeDocEvaluation } from '@finer-lens/core/reports/eval.ts';
import { openDatasetFolder, readSplit } from '../data/dataset-folder.ts';
import type { SplitName } from '../data/sentence.ts';
import type { ModelFolder } from '../infer/model-folder.ts';
import { FinerError } from '../util/errors.ts';
import { entityTypes } from '@finer-lens/core/ner/labels.ts';

const DIGIT_RE = /\d/;
/** False alarms kept as examples in the report. */
const EXAMPLES = 40;

export interface DocSentence {
  tokens: string[];
  /** Gold of the model's labels ('O' for every other tag); undefined when the sentence holds no tag. */
  gold: string[] | undefined;
  repeats: Set<number>;
  source: string;
}

function emptyCounts(types: readonly string[]): UntaggedCounts {
  return { total: 0, perType: Object.fromEntries(types.map((t) => [t, 0])) };
}

function count(c: UntaggedCounts, type: string): void {
  c.total++;
  c.perType[type] = (c.perType[type] ?? 0) + 1;
}

/** Read the sentences with a digit of `dir`'s split, gold mapped by label name to the model's labels. */
export async function readDocSentences(dir: string, split: SplitName, modelLabels: readonly string[]): Promise<{ sentences: DocSentence[]; filings: number }> {
  const folder = await openDatasetFolder(dir);
  const files = folder.splits.find((s) => s.name === split);
  if (!files) throw new FinerError(`${dir}: no ${split} split; expected ${split}.jsonl (a finer ixbrl --all-sentences folder)`);
  const toModel = folder.labelNames.map((name) => (modelLabels.includes(name) ? name : 'O'));
  const sentences: DocSentence[] = [];
  const sources = new Set<string>();
  for await (const s of readSplit(folder, files)) {
    if (typeof s.source !== 'string') throw new FinerError(`${dir} (${split}): sentence ${s.id} has no "source"; expected a finer ixbrl folder (built with --all-sentences)`);
    sources.add(s.source);
    if (!s.tokens.some((t) => DIGIT_RE.test(t))) continue;
    const tagged = s.ner_tags.some((id) => id !== 0);
    const repeats = new Set(Array.isArray(s.repeats) ? (s.repeats as [number, number][]).map(([w]) => w) : []);
    sentences.push({ tokens: s.tokens, gold: tagged ? s.ner_tags.map((id) => toModel[id]!) : undefined, repeats, source: s.source });
  }
  const listed = (folder.info?.splits as Record<string, { files?: unknown }> | undefined)?.[split]?.files;
  const filings = Array.isArray(listed) ? listed.length : sources.size;
  if (!(folder.info?.options as { all_sentences?: boolean } | undefined)?.all_sentences) {
    throw new FinerError(`${dir}: not built with --all-sentences (dataset_info.json options.all_sentences); expected every prose sentence of the filings`);
  }
  return { sentences, filings };
}

export async function evaluateWholeDocuments(
  folder: ModelFolder,
  dir: string,
  split: SplitName,
  run: LogitsRunner,
  opts: { batchSize: number; thresholds?: TypeThresholds; verifier?: Verifier },
): Promise<WholeDocEvaluation> {
  const { sentences, filings } = await readDocSentences(dir, split, folder.labels);
  const types = entityTypes(folder.labels);
  const { predictions } = await predictWords(sentences.map((s) => s.tokens), folder.encoder, folder.labels, run, { ...folder.window, batchSize: opts.batchSize });
  const gold: string[][] = [];
  const pred: string[][] = [];
  const repeats = emptyCounts(types);
  const others = emptyCounts(types);
  const othersNoDebt = emptyCounts(types);
  const examples: FalseAlarmExample[] = [];
  let untagged = 0;
  sentences.forEach((s, i) => {
    const p = keptPredictions(s.tokens, predictions[i]!, opts.thresholds, opts.verifier);
    if (s.gold) {
      gold.push(s.gold);
      pred.push(p.map((w) => w.label));
      return;
    }
    untagged++;
    const debt = hasDebtWords(s.tokens);
    for (const e of toEntities(p)) {
      const type = e.label;
      if (s.repeats.has(e.startWord)) {
        count(repeats, type);
        continue;
      }
      count(others, type);
      if (debt) continue;
      count(othersNoDebt, type);
      if (examples.length < EXAMPLES) {
        examples.push({ source: s.source, sentence: s.tokens.join(' '), word: e.startWord, text: s.tokens.slice(e.startWord, e.endWord).join(' '), type, score: Number(e.score.toFixed(4)) });
      }
    }
  });
  const per = (n: number) => (filings === 0 ? 0 : n / filings);
  return {
    source: dir, split, filings,
    sentences: { tagged: gold.length, untagged },
    tagged: scoreSequences(gold, pred, types),
    untagged: { repeats, others, othersNoDebt },
    perFiling: { repeats: per(repeats.total), others: per(others.total), othersNoDebt: per(othersNoDebt.total) },
    examples,
  };
}
