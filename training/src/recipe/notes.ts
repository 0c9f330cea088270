/**
 * The model card's two paragraphs a recipe writes (`finer export
 * --origin-note`, `--data-note`): how the model was trained, and from what
 * data, with the figures read from the encoder's pretraining.json and the
 * training data's dataset_info.json.
 */
import { readJsonFile } from '../infer/model-folder.ts';
import { FinerError } from '../util/errors.ts';

/** The figures of an encoder's pretraining.json the card quotes. */
export interface PretrainingFacts { subTokensRead: number; steps: number; minutes: number; finalLoss: number }

/** The figures of a `finer subset` dataset_info.json the card quotes. */
export interface SubsetFacts {
  train: { sentences: number; negatives: number; prose?: number; repeatWords?: number };
  validation: number;
  test: number;
}

export interface OriginFacts {
  encoder: string;
  pretraining: PretrainingFacts;
  /** Epochs of the 139-tag stage (0: none). */
  stage1Epochs: number;
  epochs: number;
  /** Whether the training data holds untagged prose sentences. */
  prose: boolean;
  seeds: readonly number[];
}

export function originNote(f: OriginFacts): string {
  const p = f.pretraining;
  const stages = f.stage1Epochs > 0 ? 'three stages' : 'two stages';
  const stage1 = f.stage1Epochs > 0 ? `(2) token classification of all 139 FiNER-139 tags on their tagged sentences, ${f.stage1Epochs} epochs; ` : '';
  const last = f.stage1Epochs > 0 ? 3 : 2;
  const negatives = `sentences with only other FiNER-139 tags${f.prose ? ', and untagged prose' : ''}`;
  const picked = f.seeds.length > 1 ? ` Seeds ${f.seeds.join(' ')} were each run; the run kept scored best on validation (its seed is in the training facts below).` : '';
  return (
    'Trained in Node by [finer-lens](../../../README.md) (`npm run train:default`; our own autodiff emits ONNX training graphs that onnxruntime-node runs; no Python, no outside weights) ' +
    `in ${stages}, all on the train-split companies only: (1) the encoder \`${f.encoder}\`, masked-LM pretraining on their prose ` +
    `(${(p.subTokensRead / 1e6).toFixed(2)} M sub-tokens, ${p.steps} steps, ${p.minutes.toFixed(0)} min, loss ${p.finalLoss.toFixed(2)}); ` +
    `${stage1}(${last}) the four entity types below with negatives (${negatives}), ${f.epochs} epochs, keeping the epoch of best validation entity F1.${picked}`
  );
}

export interface DataFacts {
  subset: SubsetFacts;
  /** Filings read by finer ixbrl. */
  filings: number;
  /** The untagged prose ratios of `finer subset`, when the data holds prose. */
  prose?: { prose: number; proseDebt: number };
}

export function dataNote(f: DataFacts): string {
  const s = f.subset;
  const build = f.prose
    ? `\`finer ixbrl --all-sentences\` + \`finer subset --negatives 2 --prose ${f.prose.prose} --prose-debt ${f.prose.proseDebt}\``
    : '`finer ixbrl` + `finer subset --negatives 2`';
  const prose = s.train.prose === undefined
    ? 'no untagged prose'
    : `${s.train.prose} untagged prose sentences with a digit, whose ${s.train.repeatWords} words that repeat a target value of their filing are left out of the loss`;
  return (
    `Built by ${build} from ${f.filings} inline-XBRL 10-K/10-Q filings (the filers' own us-gaap tags on prose numbers), ` +
    'split by company 80/10/10 so that test companies are never seen in training: ' +
    `train ${s.train.sentences} sentences (${s.train.negatives} negatives that hold only other FiNER-139 tags, ${prose}), validation ${s.validation}, test ${s.test}.`
  );
}

/** The number at `path` (field names) of a JSON value, or a FinerError naming the file and the field. */
function numberAt(json: unknown, path: readonly string[], file: string, optional = false): number | undefined {
  let v: unknown = json;
  for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[k] : undefined;
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'number') throw new FinerError(`${file}: field "${path.join('.')}" is ${v === undefined ? 'missing' : JSON.stringify(v)}; expected a number`);
  return v;
}

export async function readPretrainingFacts(file: string): Promise<PretrainingFacts> {
  const json = await readJsonFile(file, "encoder's pretraining record (finer pretrain)");
  const n = (...path: string[]) => numberAt(json, path, file)!;
  return { subTokensRead: n('sub_tokens_read'), steps: n('steps'), minutes: n('minutes'), finalLoss: n('loss', 'final') };
}

export async function readSubsetFacts(file: string): Promise<SubsetFacts> {
  const json = await readJsonFile(file, 'dataset_info.json of a finer subset dataset');
  const n = (...path: string[]) => numberAt(json, ['splits', ...path], file)!;
  const prose = numberAt(json, ['splits', 'train', 'prose'], file, true);
  return {
    train: { sentences: n('train', 'sentences'), negatives: n('train', 'negatives'), ...(prose === undefined ? {} : { prose, repeatWords: n('train', 'repeat_words') }) },
    validation: n('validation', 'sentences'),
    test: n('test', 'sentences'),
  };
}

/** The filings a `finer ixbrl` dataset was built from (its dataset_info.json's reconciliation). */
export async function readFilingCount(file: string): Promise<number> {
  const json = await readJsonFile(file, 'dataset_info.json of a finer ixbrl dataset');
  const filings = (json as { reconciliation?: { filings?: unknown } }).reconciliation?.filings;
  if (!Array.isArray(filings)) throw new FinerError(`${file}: field "reconciliation.filings" is ${filings === undefined ? 'missing' : JSON.stringify(filings).slice(0, 40)}; expected the array of the filings read`);
  return filings.length;
}
