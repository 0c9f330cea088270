/**
 * Checking the JSON reports the training CLI writes to public/reports/
 * against their schemas (train.ts, eval.ts, compare.ts, analysis.ts,
 * ablation.ts): each parser takes parsed JSON and the file's name, and
 * returns the typed report or throws a ReportError naming the file and the
 * field (`reports/eval.json: datasets[0].metrics.micro.f1: expected a number,
 * found null`). The dashboard reads reports with them (src/app/reports.ts);
 * the CLI and the lab read eval.json, train.json and ablation.json with them.
 */
import type * as v from 'valibot';
import { ABLATION_SCHEMA, ablationReportSchema, type AblationReport } from './ablation.ts';
import { ANALYSIS_SCHEMA, analysisReportSchema, type AnalysisReport } from './analysis.ts';
import { COMPARE_SCHEMA, compareReportSchema, type CompareReport } from './compare.ts';
import { EVAL_SCHEMA, evalReportSchema, type EvalReport } from './eval.ts';
import { check } from './schema.ts';
import { TRAIN_SCHEMA, trainReportSchema, type TrainReport } from './train.ts';

/** Bad report content: the message names the file and the field. */
export class ReportError extends Error {
  override name = 'ReportError';
}

/**
 * `json` checked against a report's schema. The schema version comes first:
 * a report of another version is not malformed, it needs rebuilding (or a
 * newer app), and the message says so; `command` is what writes the report.
 */
function parseReport<S extends v.GenericSchema>(schema: S, version: number, command: string, json: unknown, file: string): v.InferOutput<S> {
  const versionOf = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as { schema?: unknown }).schema : version;
  if (versionOf !== version) {
    throw new ReportError(
      `${file}: schema ${JSON.stringify(versionOf) ?? 'missing'}, but this app reads schema ${version}: ` +
        `rebuild the report with this version of \`${command}\` (or update the app)`,
    );
  }
  return check(schema, json, (line) => new ReportError(`${file}: ${line}`));
}

/** Check a parsed analysis.json (written by `finer analyze`). */
export const parseAnalysisReport = (json: unknown, file: string): AnalysisReport =>
  parseReport(analysisReportSchema, ANALYSIS_SCHEMA, 'finer analyze', json, file);

/** Check a parsed eval.json (written by `finer evaluate`). */
export const parseEvalReport = (json: unknown, file: string): EvalReport => parseReport(evalReportSchema, EVAL_SCHEMA, 'finer evaluate', json, file);

/** Check a parsed compare.json (written by `finer compare`). */
export const parseCompareReport = (json: unknown, file: string): CompareReport =>
  parseReport(compareReportSchema, COMPARE_SCHEMA, 'finer compare', json, file);

/** Check a parsed train.json (written by `finer train --report`). */
export const parseTrainReport = (json: unknown, file: string): TrainReport => parseReport(trainReportSchema, TRAIN_SCHEMA, 'finer train --report', json, file);

/** Check a parsed ablation.json (written by `npm run lab -- ablation`). */
export const parseAblationReport = (json: unknown, file: string): AblationReport =>
  parseReport(ablationReportSchema, ABLATION_SCHEMA, 'npm run lab -- ablation', json, file);
