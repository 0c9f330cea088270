/**
 * Checking the JSON reports the training CLI writes to public/reports/: each
 * parser takes parsed JSON and the file's name, and returns the typed report
 * or throws a ReportError naming the file and the field. The dashboard reads
 * reports with them (src/app/reports.ts); `finer ablation` reads eval.json
 * and train.json with them (training/src/ablation/).
 */
import { ABLATION_SCHEMA, type AblationCarried, type AblationLabelled, type AblationReport, type AblationRow, type AblationStage139, type AblationTest } from './ablation.ts';
import { ANALYSIS_SCHEMA, type AnalysisReport, type Distribution } from './analysis.ts';
import { COMPARE_SCHEMA, type CompareReport, type PathResult } from './compare.ts';
import { EVAL_SCHEMA, type DenseEvaluation, type EvalReport, type FalseAlarmExample, type SparseEvaluation, type UntaggedCounts, type WholeDocEvaluation } from './eval.ts';
import { TRAIN_SCHEMA, type TrainEval, type TrainReport, type TrainStep } from './train.ts';
import type { ConfusionMatrix, EntityMetrics, MacroScores, Scores } from '../ner/metrics.ts';
import { SPLITS, type SplitName } from '../ner/splits.ts';

/** Bad report content: the message names the file and the field. */
export class ReportError extends Error {
  override name = 'ReportError';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `where.field`, or `field` at the top level (where = ''). */
function at(where: string, field: string): string {
  return where === '' ? field : `${where}.${field}`;
}

function count(obj: Record<string, unknown>, field: string, where: string): number {
  const v = obj[field];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ReportError(`${at(where, field)}: expected a count (a number >= 0), found ${JSON.stringify(v) ?? 'nothing'}`);
  }
  return v;
}

function distribution(v: unknown, where: string): Distribution {
  if (!isRecord(v)) throw new ReportError(`${where}: expected an object with sentences, tokens and labels`);
  const labels = v.labels;
  if (!Array.isArray(labels)) throw new ReportError(`${where}.labels: expected an array of {id, label, tokens, sentences}`);
  return {
    sentences: count(v, 'sentences', where),
    tokens: count(v, 'tokens', where),
    taggedTokens: count(v, 'taggedTokens', where),
    entities: count(v, 'entities', where),
    sentencesWithEntities: count(v, 'sentencesWithEntities', where),
    labels: labels.map((l, i) => {
      const at = `${where}.labels[${i}]`;
      if (!isRecord(l) || typeof l.label !== 'string') throw new ReportError(`${at}: expected {id, label, tokens, sentences}`);
      return { id: count(l, 'id', at), label: l.label, tokens: count(l, 'tokens', at), sentences: count(l, 'sentences', at) };
    }),
  };
}

/** A finite number (may be negative: a loss, a logit difference). */
function num(obj: Record<string, unknown>, field: string, where: string): number {
  const v = obj[field];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ReportError(`${at(where, field)}: expected a number, found ${JSON.stringify(v) ?? 'nothing'}`);
  }
  return v;
}

function str(obj: Record<string, unknown>, field: string, where: string): string {
  const v = obj[field];
  if (typeof v !== 'string') throw new ReportError(`${at(where, field)}: expected a string, found ${JSON.stringify(v) ?? 'nothing'}`);
  return v;
}

function record(obj: Record<string, unknown>, field: string, where: string, expected: string): Record<string, unknown> {
  const v = obj[field];
  if (!isRecord(v)) throw new ReportError(`${at(where, field)}: expected ${expected}`);
  return v;
}

function list(obj: Record<string, unknown>, field: string, where: string, expected: string): unknown[] {
  const v = obj[field];
  if (!Array.isArray(v)) throw new ReportError(`${at(where, field)}: expected an array of ${expected}`);
  return v;
}

function numbers(obj: Record<string, unknown>, field: string, where: string): number[] {
  const v = list(obj, field, where, 'numbers');
  if (!v.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new ReportError(`${at(where, field)}: expected an array of numbers`);
  return v as number[];
}

function strings(obj: Record<string, unknown>, field: string, where: string): string[] {
  const v = list(obj, field, where, 'strings');
  if (!v.every((x) => typeof x === 'string')) throw new ReportError(`${at(where, field)}: expected an array of strings`);
  return v as string[];
}

/** The schema check every report starts with; `command` is what writes it. */
function checkSchema(json: unknown, schema: number, command: string): Record<string, unknown> {
  if (!isRecord(json)) throw new ReportError('expected a JSON object');
  if (json.schema !== schema) {
    throw new ReportError(
      `schema ${JSON.stringify(json.schema) ?? 'missing'}, but this app reads schema ${schema}: ` +
        `rebuild the report with this version of \`${command}\` (or update the app)`,
    );
  }
  return json;
}

/** Run `parse`, prefixing a ReportError's message with the file name. */
function inFile<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ReportError) throw new ReportError(`${file}: ${err.message}`);
    throw err;
  }
}

/** Check a parsed analysis.json; `file` names it in messages. */
export function parseAnalysisReport(json: unknown, file: string): AnalysisReport {
  return inFile(file, () => {
    const r = checkSchema(json, ANALYSIS_SCHEMA, 'finer analyze');
    const labelNames = r.labelNames;
    if (!Array.isArray(labelNames) || !labelNames.every((n) => typeof n === 'string')) {
      throw new ReportError('labelNames: expected an array of label names');
    }
    if (!isRecord(r.splits)) throw new ReportError('splits: expected an object with train, validation, test');
    const splits: Partial<Record<SplitName, Distribution>> = {};
    for (const split of SPLITS) {
      if (r.splits[split] !== undefined) splits[split] = distribution(r.splits[split], `splits.${split}`);
    }
    return {
      schema: ANALYSIS_SCHEMA,
      dataset: typeof r.dataset === 'string' ? r.dataset : '',
      labelNames,
      splits,
      overall: distribution(r.overall, 'overall'),
    };
  });
}

function scores(v: unknown, where: string): Scores {
  if (!isRecord(v)) throw new ReportError(`${where}: expected {precision, recall, f1, tp, fp, fn, support}`);
  return {
    precision: num(v, 'precision', where),
    recall: num(v, 'recall', where),
    f1: num(v, 'f1', where),
    tp: count(v, 'tp', where),
    fp: count(v, 'fp', where),
    fn: count(v, 'fn', where),
    support: count(v, 'support', where),
  };
}

function macro(v: unknown, where: string): MacroScores {
  if (!isRecord(v)) throw new ReportError(`${where}: expected {precision, recall, f1}`);
  return { precision: num(v, 'precision', where), recall: num(v, 'recall', where), f1: num(v, 'f1', where) };
}

/** A square matrix of counts with a label per row. */
function confusion(v: unknown, where: string): ConfusionMatrix {
  if (!isRecord(v)) throw new ReportError(`${where}: expected {labels, matrix}`);
  const labels = strings(v, 'labels', where);
  const matrix = list(v, 'matrix', where, 'rows').map((row, i) => {
    if (!Array.isArray(row) || row.length !== labels.length || !row.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0)) {
      throw new ReportError(`${where}.matrix[${i}]: expected ${labels.length} counts, one per label`);
    }
    return row as number[];
  });
  if (matrix.length !== labels.length) throw new ReportError(`${where}.matrix: ${matrix.length} rows for ${labels.length} labels; expected one row per label`);
  return { labels, matrix };
}

/** Per-type scores, micro and macro, and the confusion matrix: what dense and sparse metrics share. */
function metricsCore(v: unknown, where: string) {
  if (!isRecord(v)) throw new ReportError(`${where}: expected an object with types, perType, micro, macro, confusion`);
  const types = strings(v, 'types', where);
  const perTypeIn = record(v, 'perType', where, 'an object of scores per type');
  const perType: Record<string, Scores> = {};
  for (const t of types) perType[t] = scores(perTypeIn[t], `${where}.perType.${t}`);
  return { v, types, perType, micro: scores(v.micro, `${where}.micro`), macro: macro(v.macro, `${where}.macro`), confusion: confusion(v.confusion, `${where}.confusion`) };
}

/** Dense metrics: the core, word accuracy and words compared. */
function entityMetrics(v: unknown, where: string): EntityMetrics {
  const { v: m, ...core } = metricsCore(v, where);
  return { ...core, tokenAccuracy: num(m, 'tokenAccuracy', where), tokens: count(m, 'tokens', where) };
}

function evaluation(v: unknown, where: string): DenseEvaluation | SparseEvaluation {
  if (!isRecord(v)) throw new ReportError(`${where}: expected an evaluation object`);
  const base = { name: str(v, 'name', where), source: str(v, 'source', where), sentences: count(v, 'sentences', where) };
  if (v.kind === 'dense') return { kind: 'dense', ...base, words: count(v, 'words', where), metrics: entityMetrics(v.metrics, `${where}.metrics`) };
  if (v.kind === 'sparse') {
    const { v: m, ...core } = metricsCore(v.metrics, `${where}.metrics`);
    return { kind: 'sparse', ...base, metrics: { ...core, labelledTokens: count(m, 'labelledTokens', `${where}.metrics`) } };
  }
  throw new ReportError(`${where}.kind: ${JSON.stringify(v.kind) ?? 'missing'}; expected "dense" or "sparse"`);
}

/** A score from 0 to 1 (a threshold, an entity's score). */
function score(obj: Record<string, unknown>, field: string, where: string): number {
  const v = obj[field];
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new ReportError(`${at(where, field)}: expected a score from 0 to 1, found ${JSON.stringify(v) ?? 'nothing'}`);
  return v;
}

/** `thresholds`: a score from 0 to 1 per entity type. */
function thresholds(v: unknown, where: string): Record<string, number> {
  if (!isRecord(v)) throw new ReportError(`${where}: expected {"<entity type>": <score 0..1>}`);
  return Object.fromEntries(Object.keys(v).map((t) => [t, score(v, t, where)]));
}

/** Entities in untagged sentences: {total, perType}. */
function untaggedCounts(v: unknown, where: string): UntaggedCounts {
  if (!isRecord(v)) throw new ReportError(`${where}: expected {total, perType}`);
  const perTypeIn = record(v, 'perType', where, 'an object of counts per type');
  const perType: Record<string, number> = {};
  for (const t of Object.keys(perTypeIn)) perType[t] = count(perTypeIn, t, `${where}.perType`);
  return { total: count(v, 'total', where), perType };
}

function falseAlarm(v: unknown, where: string): FalseAlarmExample {
  if (!isRecord(v)) throw new ReportError(`${where}: expected {source, sentence, word, text, type, score}`);
  return {
    source: str(v, 'source', where),
    sentence: str(v, 'sentence', where),
    word: count(v, 'word', where),
    text: str(v, 'text', where),
    type: str(v, 'type', where),
    score: score(v, 'score', where),
  };
}

/** `wholeDocument` (`finer evaluate --whole-doc`). */
function wholeDocument(v: unknown, where: string): WholeDocEvaluation {
  if (!isRecord(v)) throw new ReportError(`${where}: expected {source, split, filings, sentences, tagged, untagged, perFiling, examples}`);
  const sentences = record(v, 'sentences', where, '{tagged, untagged}');
  const untagged = record(v, 'untagged', where, '{repeats, others, othersNoDebt}');
  const perFiling = record(v, 'perFiling', where, '{repeats, others, othersNoDebt}');
  const u = `${where}.untagged`;
  const pf = `${where}.perFiling`;
  return {
    source: str(v, 'source', where),
    split: str(v, 'split', where),
    filings: count(v, 'filings', where),
    sentences: { tagged: count(sentences, 'tagged', `${where}.sentences`), untagged: count(sentences, 'untagged', `${where}.sentences`) },
    tagged: entityMetrics(v.tagged, `${where}.tagged`),
    untagged: {
      repeats: untaggedCounts(untagged.repeats, `${u}.repeats`),
      others: untaggedCounts(untagged.others, `${u}.others`),
      othersNoDebt: untaggedCounts(untagged.othersNoDebt, `${u}.othersNoDebt`),
    },
    perFiling: { repeats: count(perFiling, 'repeats', pf), others: count(perFiling, 'others', pf), othersNoDebt: count(perFiling, 'othersNoDebt', pf) },
    examples: list(v, 'examples', where, 'false alarms').map((e, i) => falseAlarm(e, `${where}.examples[${i}]`)),
  };
}

/** Check a parsed eval.json (written by `finer evaluate`). */
export function parseEvalReport(json: unknown, file: string): EvalReport {
  return inFile(file, () => {
    const r = checkSchema(json, EVAL_SCHEMA, 'finer evaluate');
    const window = record(r, 'window', '', '{maxLength, stride}');
    const report: EvalReport = {
      schema: EVAL_SCHEMA,
      model: str(r, 'model', ''),
      date: str(r, 'date', ''),
      backend: str(r, 'backend', ''),
      labels: strings(r, 'labels', ''),
      window: { maxLength: count(window, 'maxLength', 'window'), stride: count(window, 'stride', 'window') },
      datasets: list(r, 'datasets', '', 'evaluations').map((d, i) => evaluation(d, `datasets[${i}]`)),
    };
    if (r.thresholds !== undefined) report.thresholds = thresholds(r.thresholds, 'thresholds');
    if (r.wholeDocument !== undefined) report.wholeDocument = wholeDocument(r.wholeDocument, 'wholeDocument');
    return report;
  });
}

function pathResult(v: unknown, where: string): PathResult {
  if (!isRecord(v)) throw new ReportError(`${where}: expected a path result`);
  const agreement = record(v, 'agreement', where, '{words, same, different, sentencesDifferent}');
  const metrics = record(v, 'metrics', where, '{microF1, precision, recall, perTypeF1}');
  const speed = record(v, 'speed', where, '{seconds, sentencesPerSecond, subTokensPerSecond}');
  const perTypeIn = record(metrics, 'perTypeF1', `${where}.metrics`, 'an object of F1 per type');
  const perTypeF1: Record<string, number> = {};
  for (const t of Object.keys(perTypeIn)) perTypeF1[t] = num(perTypeIn, t, `${where}.metrics.perTypeF1`);
  const out: PathResult = {
    path: str(v, 'path', where),
    description: typeof v.description === 'string' ? v.description : '',
    agreement: {
      words: count(agreement, 'words', `${where}.agreement`),
      same: count(agreement, 'same', `${where}.agreement`),
      different: count(agreement, 'different', `${where}.agreement`),
      sentencesDifferent: count(agreement, 'sentencesDifferent', `${where}.agreement`),
    },
    metrics: {
      microF1: num(metrics, 'microF1', `${where}.metrics`),
      precision: num(metrics, 'precision', `${where}.metrics`),
      recall: num(metrics, 'recall', `${where}.metrics`),
      perTypeF1,
    },
    // `rounds` (each timing round's seconds) came with the best-of-rounds timings: an older report has one round
    speed: {
      seconds: num(speed, 'seconds', `${where}.speed`),
      rounds: speed.rounds === undefined ? [num(speed, 'seconds', `${where}.speed`)] : numbers(speed, 'rounds', `${where}.speed`),
      sentencesPerSecond: num(speed, 'sentencesPerSecond', `${where}.speed`),
      subTokensPerSecond: num(speed, 'subTokensPerSecond', `${where}.speed`),
    } as PathResult['speed'],
  };
  if (v.maxAbsLogitDiff !== undefined) out.maxAbsLogitDiff = num(v, 'maxAbsLogitDiff', where);
  if (v.batchDependence !== undefined) {
    const b = record(v, 'batchDependence', where, '{different, sentencesDifferent}');
    out.batchDependence = { different: count(b, 'different', `${where}.batchDependence`), sentencesDifferent: count(b, 'sentencesDifferent', `${where}.batchDependence`) };
  }
  return out;
}

/** Check a parsed compare.json (written by `finer compare`). */
export function parseCompareReport(json: unknown, file: string): CompareReport {
  return inFile(file, () => {
    const r = checkSchema(json, COMPARE_SCHEMA, 'finer compare');
    const data = record(r, 'data', '', 'the data compared on');
    const settings = record(r, 'settings', '', 'the settings');
    const window = record(settings, 'window', 'settings', '{maxLength, stride}');
    const fastest = record(r, 'fastest', '', '{path, speedup}');
    const speedupIn = record(fastest, 'speedup', 'fastest', 'an object of speed-ups per path');
    const speedup: Record<string, number> = {};
    for (const p of Object.keys(speedupIn)) speedup[p] = num(speedupIn, p, 'fastest.speedup');
    return {
      schema: COMPARE_SCHEMA,
      model: str(r, 'model', ''),
      date: str(r, 'date', ''),
      data: {
        source: str(data, 'source', 'data'),
        split: str(data, 'split', 'data'),
        sentences: count(data, 'sentences', 'data'),
        words: count(data, 'words', 'data'),
        windows: count(data, 'windows', 'data'),
        subTokens: count(data, 'subTokens', 'data'),
      },
      settings: {
        batchSize: count(settings, 'batchSize', 'settings'),
        threads: count(settings, 'threads', 'settings'),
        rounds: settings.rounds === undefined ? 1 : count(settings, 'rounds', 'settings'),
        window: { maxLength: count(window, 'maxLength', 'settings.window'), stride: count(window, 'stride', 'settings.window') },
        lengthSorted: true,
      } as CompareReport['settings'],
      paths: list(r, 'paths', '', 'path results').map((p, i) => pathResult(p, `paths[${i}]`)),
      checks: list(r, 'checks', '', 'checks').map((c, i) => {
        const where = `checks[${i}]`;
        if (!isRecord(c) || typeof c.ok !== 'boolean') throw new ReportError(`${where}: expected {name, ok, detail}`);
        return { name: str(c, 'name', where), ok: c.ok, detail: typeof c.detail === 'string' ? c.detail : '' };
      }),
      fastest: { path: str(fastest, 'path', 'fastest'), speedup },
    };
  });
}

function trainStep(v: unknown, where: string): TrainStep {
  if (!isRecord(v)) throw new ReportError(`${where}: expected {step, loss, lr, gradNorm}`);
  return { step: count(v, 'step', where), loss: num(v, 'loss', where), lr: num(v, 'lr', where), gradNorm: num(v, 'gradNorm', where) };
}

function trainEval(v: unknown, where: string): TrainEval {
  if (!isRecord(v)) throw new ReportError(`${where}: expected {step, epoch, loss, accuracy, tokens, f1?}`);
  const out: TrainEval = {
    step: count(v, 'step', where),
    epoch: num(v, 'epoch', where),
    loss: num(v, 'loss', where),
    accuracy: num(v, 'accuracy', where),
    tokens: count(v, 'tokens', where),
  };
  if (v.f1 !== undefined && v.f1 !== null) out.f1 = num(v, 'f1', where);
  return out;
}

/** Check a parsed train.json (written by `finer train --report`). */
export function parseTrainReport(json: unknown, file: string): TrainReport {
  return inFile(file, () => {
    const r = checkSchema(json, TRAIN_SCHEMA, 'finer train --report');
    const model = record(r, 'model', '', 'the model shape');
    const best = r.best;
    if (best !== null && best !== undefined && !isRecord(best)) throw new ReportError('best: expected {metric, value, step} or null');
    return {
      schema: TRAIN_SCHEMA,
      model: {
        n_layers: count(model, 'n_layers', 'model'),
        dim: count(model, 'dim', 'model'),
        n_heads: count(model, 'n_heads', 'model'),
        hidden_dim: count(model, 'hidden_dim', 'model'),
        vocab_size: count(model, 'vocab_size', 'model'),
        parameters: count(model, 'parameters', 'model'),
      },
      labels: strings(r, 'labels', ''),
      options: isRecord(r.options) ? r.options : {},
      steps: count(r, 'steps', ''),
      totalSteps: count(r, 'totalSteps', ''),
      epochs: num(r, 'epochs', ''),
      tokensSeen: count(r, 'tokensSeen', ''),
      wallSeconds: num(r, 'wallSeconds', ''),
      tokensPerSecond: num(r, 'tokensPerSecond', ''),
      history: list(r, 'history', '', 'steps').map((s, i) => trainStep(s, `history[${i}]`)),
      evals: list(r, 'evals', '', 'evaluations').map((e, i) => trainEval(e, `evals[${i}]`)),
      best: isRecord(best)
        ? {
            metric: best.metric === 'eval_f1' ? 'eval_f1' : 'eval_loss',
            value: num(best, 'value', 'best'),
            step: count(best, 'step', 'best'),
          }
        : null,
    };
  });
}

function optionalNum(obj: Record<string, unknown>, field: string, where: string): number | undefined {
  return obj[field] === undefined || obj[field] === null ? undefined : num(obj, field, where);
}

function optionalStr(obj: Record<string, unknown>, field: string, where: string): string | undefined {
  return obj[field] === undefined || obj[field] === null ? undefined : str(obj, field, where);
}

/** A carried row's origin: {from, date, missing}. */
function carried(v: unknown, where: string): AblationCarried {
  if (!isRecord(v)) throw new ReportError(`${where}: expected {from, date, missing}: the earlier report the row was carried from, its date, and the missing files`);
  return { from: str(v, 'from', where), date: str(v, 'date', where), missing: strings(v, 'missing', where) };
}

/** The test split's F1 of a row: {dataset, perTypeF1, microF1, precision, recall}, an F1 for each of `types`. */
function ablationTest(test: Record<string, unknown>, where: string, types: readonly string[]): AblationTest {
  const perTypeIn = record(test, 'perTypeF1', where, 'an object of F1 per type');
  const perTypeF1: Record<string, number> = {};
  for (const t of types) perTypeF1[t] = num(perTypeIn, t, `${where}.perTypeF1`);
  return {
    dataset: str(test, 'dataset', where),
    perTypeF1,
    microF1: num(test, 'microF1', where),
    precision: num(test, 'precision', where),
    recall: num(test, 'recall', where),
  };
}

/** A row's 139-tag stage: {validationF1, epochs, minutes?, labels?}. */
function stage139(v: unknown, where: string): AblationStage139 {
  if (!isRecord(v)) throw new ReportError(`${where}: expected {validationF1, epochs, minutes?, labels?}: the 139-tag stage's best validation entity F1, its epochs, minutes and tags`);
  const out: AblationStage139 = { validationF1: num(v, 'validationF1', where), epochs: num(v, 'epochs', where) };
  if (out.validationF1 < 0 || out.validationF1 > 1) throw new ReportError(`${at(where, 'validationF1')}: expected an F1 between 0 and 1, found ${out.validationF1}`);
  const minutes = optionalNum(v, 'minutes', where);
  if (minutes !== undefined) out.minutes = minutes;
  if (v.labels !== undefined && v.labels !== null) out.labels = count(v, 'labels', where);
  return out;
}

/** A row's labelled data: {companies, targetSentences}, whole numbers above 0. */
function labelled(v: unknown, where: string): AblationLabelled {
  if (!isRecord(v)) throw new ReportError(`${where}: expected {companies, targetSentences}: the train companies and target sentences of the fine-tune`);
  const out = { companies: count(v, 'companies', where), targetSentences: count(v, 'targetSentences', where) };
  for (const f of ['companies', 'targetSentences'] as const) {
    if (!Number.isInteger(out[f]) || out[f] < 1) throw new ReportError(`${at(where, f)}: expected a whole number above 0, found ${out[f]}`);
  }
  return out;
}

function ablationRow(v: unknown, where: string, types: readonly string[]): AblationRow {
  if (!isRecord(v)) throw new ReportError(`${where}: expected a row {name, group, pretraining, fineTune, test, finerSample, files}`);
  const pre = v.pretraining;
  if (pre !== null && !isRecord(pre)) throw new ReportError(`${where}.pretraining: expected {objective, subTokens, hours, runs} or null`);
  const fineTune = record(v, 'fineTune', where, '{description?, minutes?, subTokensPerSecond?, epochs?, steps?}');
  const stage = v.stage139 === undefined ? undefined : stage139(v.stage139, `${where}.stage139`);
  if (v.test === null && stage === undefined) {
    throw new ReportError(`${where}.test: null in a row without stage139; expected {dataset, perTypeF1, microF1, precision, recall} (null only in a row of the 139-tag stage alone)`);
  }
  const test = v.test === null ? null : ablationTest(record(v, 'test', where, '{dataset, perTypeF1, microF1, precision, recall}'), `${where}.test`, types);
  const sample = v.finerSample;
  if (sample !== null && !isRecord(sample)) throw new ReportError(`${where}.finerSample: expected {dataset, labelledTokens, microF1} or null`);
  const filesIn = record(v, 'files', where, '{eval?, encoder?, train?, stage139?}');
  const files: AblationRow['files'] = {};
  for (const f of ['eval', 'encoder', 'train', 'stage139'] as const) {
    // A row with the test split's F1 was built from an eval.json.
    const named = f === 'eval' && test !== null ? str(filesIn, f, `${where}.files`) : optionalStr(filesIn, f, `${where}.files`);
    if (named !== undefined) files[f] = named;
  }
  const ft = `${where}.fineTune`;
  const row: AblationRow = {
    name: str(v, 'name', where),
    group: str(v, 'group', where),
    inPlot: v.inPlot === true,
    electra: v.electra === true,
    pretraining: pre === null
      ? null
      : {
          objective: str(pre, 'objective', `${where}.pretraining`),
          subTokens: count(pre, 'subTokens', `${where}.pretraining`),
          hours: count(pre, 'hours', `${where}.pretraining`),
          runs: count(pre, 'runs', `${where}.pretraining`),
        },
    fineTune: {
      description: optionalStr(fineTune, 'description', ft),
      minutes: optionalNum(fineTune, 'minutes', ft),
      subTokensPerSecond: optionalNum(fineTune, 'subTokensPerSecond', ft),
      epochs: optionalNum(fineTune, 'epochs', ft),
      steps: optionalNum(fineTune, 'steps', ft),
    },
    test,
    finerSample: sample === null
      ? null
      : {
          dataset: str(sample, 'dataset', `${where}.finerSample`),
          labelledTokens: count(sample, 'labelledTokens', `${where}.finerSample`),
          microF1: num(sample, 'microF1', `${where}.finerSample`),
        },
    files,
  };
  const series = optionalStr(v, 'series', where);
  if (series !== undefined) row.series = series;
  if (stage !== undefined) row.stage139 = stage;
  const note = optionalStr(v, 'note', where);
  if (note !== undefined) row.note = note;
  const params = optionalStr(v, 'params', where);
  if (params !== undefined) row.params = params;
  const node = optionalNum(v, 'nodeSubTokensPerSecond', where);
  if (node !== undefined) row.nodeSubTokensPerSecond = node;
  if (v.labelled !== undefined) row.labelled = labelled(v.labelled, `${where}.labelled`);
  if (v.carried !== undefined) row.carried = carried(v.carried, `${where}.carried`);
  return row;
}

/** Check a parsed ablation.json (written by `finer ablation`). */
export function parseAblationReport(json: unknown, file: string): AblationReport {
  return inFile(file, () => {
    const r = checkSchema(json, ABLATION_SCHEMA, 'finer ablation');
    const types = strings(r, 'types', '');
    return {
      schema: ABLATION_SCHEMA,
      date: str(r, 'date', ''),
      manifest: str(r, 'manifest', ''),
      types,
      rows: list(r, 'rows', '', 'rows').map((row, i) => ablationRow(row, `rows[${i}]`, types)),
    };
  });
}
