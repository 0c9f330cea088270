/**
 * `lab ablation`: one table of the model-quality ablation, gathered from
 * the files each run left behind. A manifest lists the rows; each names the
 * model's eval.json (finer evaluate), and optionally the encoder it was
 * fine-tuned from (its pretraining.json), the fine-tune's train.json, and
 * for a staged model the 139-tag stage's train.json.
 *
 *   manifest row -> pretraining.json      -> { objective, sub-tokens, hours }
 *                -> train.json            -> { fine-tune minutes, sub-tokens/s }
 *                -> eval.json             -> { test F1 per type and micro, FiNER-sample micro F1 }
 *                -> stage139 (train.json) -> { best validation entity F1 on the 139 tags, epochs, minutes }
 *
 * A row may have no eval.json when it names a stage139: a point of the
 * 139-tag curve only (e.g. that stage from random weights, never fine-tuned
 * on the 4 types); its test figures are null.
 *
 * Paths in the manifest are relative to the manifest's folder. A row whose
 * files are gone is carried over from an earlier report (carry.ts).
 */
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { ABLATION_SCHEMA, type AblationLabelled, type AblationPretraining, type AblationReport, type AblationRow, type AblationStage139 } from '@finer-lens/core/reports/ablation.ts';
import type { DenseEvaluation, SparseEvaluation } from '@finer-lens/core/reports/eval.ts';
import { parseEvalReport, parseTrainReport } from '@finer-lens/core/reports/parse.ts';
import type { PretrainingRecord } from '@finer-lens/training/pretrain/checkpoint.ts';
import { readJsonFile, readReportFile } from '@finer-lens/training/infer/model-folder.ts';
import { FinerError } from '@finer-lens/training/util/errors.ts';
import { inPretrainingPlot, SERIES_CHARS } from './plot.ts';
import { carryRow, ENCODER_WHAT, EVAL_WHAT, missingFiles, previousReport, STAGE139_WHAT, TRAIN_WHAT } from './carry.ts';

/** One row of the manifest, as written. */
export interface ManifestRow {
  name: string;
  group: string;
  /** Encoder folder holding pretraining.json; absent for a model trained from random weights. */
  encoder?: string;
  /** The 4-type evaluation; absent only in a row of the 139-tag stage alone (then `stage139` is required). */
  eval?: string;
  train?: string;
  /** The 139-tag stage's train.json (finer train --report on the 139 tags, with an entity F1 per evaluation). */
  stage139?: string;
  /** The plot's line the row is on (one per metric, in the order of sub-tokens); implies inPlot. */
  series?: string;
  note?: string;
  params?: string;
  fineTune?: string;
  nodeSubTokensPerSecond?: number;
  /** A point of the F1-vs-pretraining plot although its group is not "pretraining" (or it has `labelled`). */
  inPlot?: boolean;
  /** The fine-tune's labelled data: a point of the F1-vs-labelled-data plot (its `series` then names its line there). */
  labelled?: AblationLabelled;
}

const STRING_FIELDS = ['encoder', 'train', 'note', 'params', 'fineTune'] as const;
/** Fields that, when given, are non-empty strings. */
const NAME_FIELDS = ['eval', 'stage139', 'series'] as const;
const FIELDS = new Set(['name', 'group', 'eval', 'stage139', 'series', 'nodeSubTokensPerSecond', 'inPlot', 'labelled', ...STRING_FIELDS]);

/** The name of the dense data set whose F1 the table shows. */
const TEST = 'test';

/** Pretraining objectives that are ELECTRA's (replaced-token detection): separately marked points. */
const ELECTRA_OBJECTIVE = /electra|rtd|replaced/i;

/** Check the manifest's JSON: `{ "rows": [...] }` (or the bare array of rows). */
export function checkManifest(json: unknown, file: string): ManifestRow[] {
  const rows = Array.isArray(json) ? json : (json as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows) || rows.length === 0) throw new FinerError(`${file}: expected {"rows": [...]} with at least one row {name, group, eval, ...}`);
  const names = new Set<string>();
  return rows.map((r: unknown, i) => {
    const where = `${file}: rows[${i}]`;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new FinerError(`${where}: expected an object {name, group, eval, ...}`);
    const row = r as Record<string, unknown>;
    const at = typeof row.name === 'string' ? `${where} "${row.name}"` : where;
    for (const key of Object.keys(row)) {
      if (!FIELDS.has(key)) throw new FinerError(`${at}: unknown field "${key}"; expected ${[...FIELDS].join(', ')}`);
    }
    for (const f of ['name', 'group'] as const) {
      if (typeof row[f] !== 'string' || row[f] === '') throw new FinerError(`${at}: field "${f}" = ${JSON.stringify(row[f]) ?? 'missing'}; expected a non-empty string`);
    }
    if (row.eval === undefined && row.stage139 === undefined) {
      throw new FinerError(`${at}: field "eval" = missing; expected a non-empty string (or "stage139", in a row of the 139-tag stage alone)`);
    }
    for (const f of NAME_FIELDS) {
      if (row[f] !== undefined && (typeof row[f] !== 'string' || row[f] === '')) throw new FinerError(`${at}: field "${f}" = ${JSON.stringify(row[f])}; expected a non-empty string`);
    }
    if (typeof row.series === 'string' && row.series.length > SERIES_CHARS) {
      throw new FinerError(`${at}: field "series" = ${JSON.stringify(row.series)} (${row.series.length} characters); expected at most ${SERIES_CHARS}: it is a label of the plot's legend`);
    }
    if (row.eval === undefined && row.train !== undefined) {
      throw new FinerError(`${at}: field "train" without "eval"; expected "train" (the 4-type fine-tune's train.json) only in a row with its evaluation ("eval")`);
    }
    for (const f of STRING_FIELDS) {
      if (row[f] !== undefined && typeof row[f] !== 'string') throw new FinerError(`${at}: field "${f}" = ${JSON.stringify(row[f])}; expected a string`);
    }
    const speed = row.nodeSubTokensPerSecond;
    if (speed !== undefined && (typeof speed !== 'number' || !(speed > 0))) throw new FinerError(`${at}: field "nodeSubTokensPerSecond" = ${JSON.stringify(speed)}; expected a number > 0`);
    if (row.labelled !== undefined) checkLabelled(row.labelled, at);
    if (row.inPlot !== undefined && typeof row.inPlot !== 'boolean') throw new FinerError(`${at}: field "inPlot" = ${JSON.stringify(row.inPlot)}; expected true or false`);
    if (names.has(row.name as string)) throw new FinerError(`${at}: a second row named "${row.name}"; expected one row per name`);
    names.add(row.name as string);
    return row as unknown as ManifestRow;
  });
}

/** A manifest row's `labelled`: {companies, targetSentences}, whole numbers above 0, and nothing else. */
function checkLabelled(v: unknown, at: string): void {
  const expected = 'expected {"companies": N, "targetSentences": N}: the train companies and target sentences the fine-tune saw';
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new FinerError(`${at}: field "labelled" = ${JSON.stringify(v)}; ${expected}`);
  const l = v as Record<string, unknown>;
  for (const key of Object.keys(l)) if (key !== 'companies' && key !== 'targetSentences') throw new FinerError(`${at}: field "labelled.${key}" is unknown; ${expected}`);
  for (const f of ['companies', 'targetSentences']) {
    if (!Number.isInteger(l[f]) || (l[f] as number) < 1) throw new FinerError(`${at}: field "labelled.${f}" = ${JSON.stringify(l[f]) ?? 'missing'}; expected a whole number above 0`);
  }
}

/** A report file checked by the dashboard's parser; a problem with it names the row. */
async function readReport<T>(path: string, what: string, parse: (json: unknown, file: string) => T, row: string): Promise<T> {
  try {
    return await readReportFile(path, what, parse);
  } catch (err) {
    if (err instanceof FinerError) throw new FinerError(`${row}: ${err.message}`); // missing, not JSON, or a field: says what was expected
    throw err;
  }
}

const PRETRAINING_WHAT = 'pretraining record (pretraining.json of finer pretrain)';

/** Check a pretraining.json (`path`) for the totals the table shows; a FinerError names the file and field. */
function parsePretraining(json: unknown, path: string): AblationPretraining {
  const r = json as Partial<PretrainingRecord> | null;
  if (typeof r?.objective !== 'string') throw new FinerError(`${path}: field "objective" = ${JSON.stringify(r?.objective) ?? 'missing'}; expected the ${PRETRAINING_WHAT}`);
  for (const f of ['sub_tokens_read', 'minutes'] as const) {
    if (typeof r[f] !== 'number' || !(r[f] >= 0)) throw new FinerError(`${path}: field "${f}" = ${JSON.stringify(r[f]) ?? 'missing'}; expected a non-negative number`);
  }
  if (!Array.isArray(r.runs)) throw new FinerError(`${path}: field "runs" = ${JSON.stringify(r.runs) ?? 'missing'}; expected the list of pretraining runs`);
  return { objective: r.objective, subTokens: r.sub_tokens_read!, hours: r.minutes! / 60, runs: r.runs.length };
}

/** `<encoder>/pretraining.json`: the totals the table shows. */
async function readPretraining(encoder: string, row: string): Promise<AblationPretraining> {
  if (!existsSync(encoder)) throw new FinerError(`${row}: ${encoder}: no such encoder folder; expected ${ENCODER_WHAT}`);
  return readReport(join(encoder, 'pretraining.json'), PRETRAINING_WHAT, parsePretraining, row);
}

/** The 139-tag stage of a row from its train.json: the best entity F1 over its validation evaluations (not the last). */
async function readStage139(path: string, row: string): Promise<AblationStage139> {
  const train = await readReport(path, STAGE139_WHAT, parseTrainReport, row);
  const f1s = train.evals.flatMap((e) => (e.f1 === undefined ? [] : [e.f1]));
  if (f1s.length === 0) {
    throw new FinerError(`${row}: ${path}: no evaluation with an entity F1 (evals[].f1, ${train.evals.length} evaluations); expected the ${STAGE139_WHAT}, evaluated on its validation split`);
  }
  const tags = new Set(train.labels.filter((l) => l !== 'O').map((l) => l.replace(/^[BIES]-/, '')));
  return {
    validationF1: Math.max(...f1s),
    epochs: train.epochs,
    minutes: train.wallSeconds / 60,
    ...(tags.size > 0 ? { labels: tags.size } : {}),
  };
}


/** eval.json's test split (a dense data set named "test") and its FiNER sample (the first sparse data set, if any). */
async function readEvaluation(evalPath: string, label: string): Promise<{ test: DenseEvaluation; sample: SparseEvaluation | undefined }> {
  const evaluation = await readReport(evalPath, EVAL_WHAT, parseEvalReport, label);
  const test = evaluation.datasets.find((d): d is DenseEvaluation => d.kind === 'dense' && d.name === TEST);
  if (!test) {
    const found = evaluation.datasets.map((d) => `${d.kind} "${d.name}"`).join(', ') || 'none';
    throw new FinerError(`${label}: ${evalPath}: no dense data set named "${TEST}" (found ${found}); expected the evaluation of the test split`);
  }
  return { test, sample: evaluation.datasets.find((d): d is SparseEvaluation => d.kind === 'sparse') };
}

/** One row of the report from the files its manifest row names (`base`: the manifest's folder). */
export async function buildRow(m: ManifestRow, base: string, label: string): Promise<AblationRow> {
  const { test, sample } = m.eval === undefined ? { test: null, sample: undefined } : await readEvaluation(resolve(base, m.eval), label);
  const pretraining = m.encoder === undefined ? null : await readPretraining(resolve(base, m.encoder), label);
  const train = m.train === undefined ? undefined : await readReport(resolve(base, m.train), TRAIN_WHAT, parseTrainReport, label);
  const stage139 = m.stage139 === undefined ? undefined : await readStage139(resolve(base, m.stage139), label);
  const electra = pretraining !== null && ELECTRA_OBJECTIVE.test(pretraining.objective);
  const row: AblationRow = {
    name: m.name,
    group: m.group,
    inPlot: inPretrainingPlot(m, electra),
    ...(m.series !== undefined ? { series: m.series } : {}),
    electra,
    pretraining,
    fineTune: {
      ...(m.fineTune !== undefined ? { description: m.fineTune } : {}),
      ...(train ? { minutes: train.wallSeconds / 60, subTokensPerSecond: train.tokensPerSecond, epochs: train.epochs, steps: train.steps } : {}),
    },
    test: test === null
      ? null
      : {
          dataset: test.source,
          perTypeF1: Object.fromEntries(test.metrics.types.map((t) => [t, test.metrics.perType[t]!.f1])),
          microF1: test.metrics.micro.f1,
          precision: test.metrics.micro.precision,
          recall: test.metrics.micro.recall,
        },
    finerSample: sample ? { dataset: sample.source, labelledTokens: sample.metrics.labelledTokens, microF1: sample.metrics.micro.f1 } : null,
    ...(stage139 !== undefined ? { stage139 } : {}),
    files: {
      ...(m.eval !== undefined ? { eval: m.eval } : {}),
      ...(m.encoder !== undefined ? { encoder: m.encoder } : {}),
      ...(m.train !== undefined ? { train: m.train } : {}),
      ...(m.stage139 !== undefined ? { stage139: m.stage139 } : {}),
    },
  };
  if (m.note !== undefined) row.note = m.note;
  if (m.params !== undefined) row.params = m.params;
  if (m.nodeSubTokensPerSecond !== undefined) row.nodeSubTokensPerSecond = m.nodeSubTokensPerSecond;
  if (m.labelled !== undefined) row.labelled = { companies: m.labelled.companies, targetSentences: m.labelled.targetSentences };
  return row;
}

/**
 * The whole report: every row of the manifest, all on the test split's entity
 * types (those of the first row with a test split; a row of the 139-tag stage
 * alone has none). A row with a missing file is carried from the earlier
 * report `previous` (an ablation.json), when it has a row of that name.
 */
export async function buildAblation(manifestPath: string, opts: { now?: Date; previous?: string } = {}): Promise<AblationReport> {
  const manifest = checkManifest(await readJsonFile(manifestPath, 'ablation manifest ({"rows": [...]})'), manifestPath);
  const base = dirname(manifestPath);
  const previous = previousReport(opts.previous);
  const rows: AblationRow[] = [];
  /** The entity types, and the row (1-based) they come from: the first row with a test split. */
  let types: { types: string[]; row: number } | undefined;
  for (const [i, m] of manifest.entries()) {
    const label = `${manifestPath}: row ${i + 1} "${m.name}"`;
    const missing = missingFiles(m, base);
    const row = missing.length === 0 ? await buildRow(m, base, label) : await carryRow(m, missing, previous, label);
    if (row.test !== null) {
      const rowTypes = Object.keys(row.test.perTypeF1);
      types ??= { types: rowTypes, row: i + 1 };
      const lacking = types.types.filter((t) => !rowTypes.includes(t));
      if (lacking.length > 0) {
        const source = row.carried ? `${previous!.path}: its row "${m.name}"` : resolve(base, m.eval!);
        throw new FinerError(`${label}: ${source}: the test split has no F1 for ${lacking.join(', ')}; expected the entity types of row ${types.row} (${types.types.join(', ')})`);
      }
    }
    rows.push(row);
  }
  return { schema: ABLATION_SCHEMA, date: (opts.now ?? new Date()).toISOString(), manifest: manifestPath, types: types?.types ?? [], rows };
}
