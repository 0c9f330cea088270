/**
 * `finer ablation`: one table of the model-quality ablation, gathered from
 * the files each run left behind. A manifest lists the rows; each names the
 * model's eval.json (finer evaluate), and optionally the encoder it was
 * fine-tuned from (its pretraining.json) and the fine-tune's train.json.
 *
 *   manifest row -> pretraining.json -> { objective, sub-tokens, hours }
 *                -> train.json       -> { fine-tune minutes, sub-tokens/s }
 *                -> eval.json        -> { test F1 per type and micro, FiNER-sample micro F1 }
 *
 * Paths in the manifest are relative to the manifest's folder. A row whose
 * files are gone is carried over from an earlier report (carry.ts).
 */
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { ABLATION_SCHEMA, type AblationPretraining, type AblationReport, type AblationRow } from '../../../src/reports/ablation.ts';
import type { DenseEvaluation, SparseEvaluation } from '../../../src/reports/eval.ts';
import { parseEvalReport, parseTrainReport, ReportError } from '../../../src/reports/parse.ts';
import type { PretrainingRecord } from '../pretrain/checkpoint.ts';
import { readJsonFile } from '../infer/model-folder.ts';
import { FinerError } from '../util/errors.ts';
import { carryRow, ENCODER_WHAT, EVAL_WHAT, missingFiles, previousReport, TRAIN_WHAT } from './carry.ts';

/** One row of the manifest, as written. */
export interface ManifestRow {
  name: string;
  group: string;
  /** Encoder folder holding pretraining.json; absent for a model trained from random weights. */
  encoder?: string;
  eval: string;
  train?: string;
  note?: string;
  params?: string;
  fineTune?: string;
  nodeSubTokensPerSecond?: number;
  /** A point of the plot although its group is not "pretraining". */
  inPlot?: boolean;
}

const STRING_FIELDS = ['encoder', 'train', 'note', 'params', 'fineTune'] as const;
const FIELDS = new Set(['name', 'group', 'eval', 'nodeSubTokensPerSecond', 'inPlot', ...STRING_FIELDS]);

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
    for (const f of ['name', 'group', 'eval'] as const) {
      if (typeof row[f] !== 'string' || row[f] === '') throw new FinerError(`${at}: field "${f}" = ${JSON.stringify(row[f]) ?? 'missing'}; expected a non-empty string`);
    }
    for (const f of STRING_FIELDS) {
      if (row[f] !== undefined && typeof row[f] !== 'string') throw new FinerError(`${at}: field "${f}" = ${JSON.stringify(row[f])}; expected a string`);
    }
    const speed = row.nodeSubTokensPerSecond;
    if (speed !== undefined && (typeof speed !== 'number' || !(speed > 0))) throw new FinerError(`${at}: field "nodeSubTokensPerSecond" = ${JSON.stringify(speed)}; expected a number > 0`);
    if (row.inPlot !== undefined && typeof row.inPlot !== 'boolean') throw new FinerError(`${at}: field "inPlot" = ${JSON.stringify(row.inPlot)}; expected true or false`);
    if (names.has(row.name as string)) throw new FinerError(`${at}: a second row named "${row.name}"; expected one row per name`);
    names.add(row.name as string);
    return row as unknown as ManifestRow;
  });
}

/** A report file checked by the dashboard's parser; its ReportError becomes a FinerError naming the row. */
async function readReport<T>(path: string, what: string, parse: (json: unknown, file: string) => T, row: string): Promise<T> {
  try {
    return parse(await readJsonFile(path, what), path);
  } catch (err) {
    if (err instanceof FinerError) throw new FinerError(`${row}: ${err.message}`); // missing, or not JSON: says what was expected
    if (err instanceof ReportError) throw new FinerError(`${row}: ${err.message} (expected the ${what})`);
    throw err;
  }
}

/** `<encoder>/pretraining.json`: the totals the table shows. */
async function readPretraining(encoder: string, row: string): Promise<AblationPretraining> {
  if (!existsSync(encoder)) throw new FinerError(`${row}: ${encoder}: no such encoder folder; expected ${ENCODER_WHAT}`);
  const path = join(encoder, 'pretraining.json');
  const what = 'pretraining record (pretraining.json of finer pretrain)';
  let json: unknown;
  try {
    json = await readJsonFile(path, what);
  } catch (err) {
    if (err instanceof FinerError) throw new FinerError(`${row}: ${err.message}`);
    throw err;
  }
  const r = json as Partial<PretrainingRecord> | null;
  if (typeof r?.objective !== 'string') throw new FinerError(`${row}: ${path}: field "objective" = ${JSON.stringify(r?.objective) ?? 'missing'}; expected the ${what}`);
  for (const f of ['sub_tokens_read', 'minutes'] as const) {
    if (typeof r[f] !== 'number' || !(r[f] >= 0)) throw new FinerError(`${row}: ${path}: field "${f}" = ${JSON.stringify(r[f]) ?? 'missing'}; expected a non-negative number`);
  }
  if (!Array.isArray(r.runs)) throw new FinerError(`${row}: ${path}: field "runs" = ${JSON.stringify(r.runs) ?? 'missing'}; expected the list of pretraining runs`);
  return { objective: r.objective, subTokens: r.sub_tokens_read!, hours: r.minutes! / 60, runs: r.runs.length };
}

/** One row of the report from the files its manifest row names (`base`: the manifest's folder). */
export async function buildRow(m: ManifestRow, base: string, label: string): Promise<AblationRow> {
  const evalPath = resolve(base, m.eval);
  const evaluation = await readReport(evalPath, EVAL_WHAT, parseEvalReport, label);
  const test = evaluation.datasets.find((d): d is DenseEvaluation => d.kind === 'dense' && d.name === TEST);
  if (!test) {
    const found = evaluation.datasets.map((d) => `${d.kind} "${d.name}"`).join(', ') || 'none';
    throw new FinerError(`${label}: ${evalPath}: no dense data set named "${TEST}" (found ${found}); expected the evaluation of the test split`);
  }
  const sample = evaluation.datasets.find((d): d is SparseEvaluation => d.kind === 'sparse');
  const pretraining = m.encoder === undefined ? null : await readPretraining(resolve(base, m.encoder), label);
  const train = m.train === undefined ? undefined : await readReport(resolve(base, m.train), TRAIN_WHAT, parseTrainReport, label);
  const electra = pretraining !== null && ELECTRA_OBJECTIVE.test(pretraining.objective);
  const row: AblationRow = {
    name: m.name,
    group: m.group,
    inPlot: m.group === 'pretraining' || m.inPlot === true || electra,
    electra,
    pretraining,
    fineTune: {
      ...(m.fineTune !== undefined ? { description: m.fineTune } : {}),
      ...(train ? { minutes: train.wallSeconds / 60, subTokensPerSecond: train.tokensPerSecond, epochs: train.epochs, steps: train.steps } : {}),
    },
    test: {
      dataset: test.source,
      perTypeF1: Object.fromEntries(test.metrics.types.map((t) => [t, test.metrics.perType[t]!.f1])),
      microF1: test.metrics.micro.f1,
      precision: test.metrics.micro.precision,
      recall: test.metrics.micro.recall,
    },
    finerSample: sample ? { dataset: sample.source, labelledTokens: sample.metrics.labelledTokens, microF1: sample.metrics.micro.f1 } : null,
    files: { eval: m.eval, ...(m.encoder !== undefined ? { encoder: m.encoder } : {}), ...(m.train !== undefined ? { train: m.train } : {}) },
  };
  if (m.note !== undefined) row.note = m.note;
  if (m.params !== undefined) row.params = m.params;
  if (m.nodeSubTokensPerSecond !== undefined) row.nodeSubTokensPerSecond = m.nodeSubTokensPerSecond;
  return row;
}

/**
 * The whole report: every row of the manifest, all on the test split's entity
 * types. A row with a missing file is carried from the earlier report
 * `previous` (an ablation.json), when it has a row of that name.
 */
export async function buildAblation(manifestPath: string, opts: { now?: Date; previous?: string } = {}): Promise<AblationReport> {
  const manifest = checkManifest(await readJsonFile(manifestPath, 'ablation manifest ({"rows": [...]})'), manifestPath);
  const base = dirname(manifestPath);
  const previous = previousReport(opts.previous);
  const rows: AblationRow[] = [];
  let types: string[] = [];
  for (const [i, m] of manifest.entries()) {
    const label = `${manifestPath}: row ${i + 1} "${m.name}"`;
    const missing = missingFiles(m, base);
    const row = missing.length === 0 ? await buildRow(m, base, label) : await carryRow(m, missing, previous, label);
    const rowTypes = Object.keys(row.test.perTypeF1);
    if (i === 0) types = rowTypes;
    const lacking = types.filter((t) => !rowTypes.includes(t));
    if (lacking.length > 0) {
      const source = row.carried ? `${opts.previous}: its row "${m.name}"` : resolve(base, m.eval);
      throw new FinerError(`${label}: ${source}: the test split has no F1 for ${lacking.join(', ')}; expected the entity types of row 1 (${types.join(', ')})`);
    }
    rows.push(row);
  }
  return { schema: ABLATION_SCHEMA, date: (opts.now ?? new Date()).toISOString(), manifest: manifestPath, types, rows };
}
