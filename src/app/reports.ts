/**
 * Reading the JSON reports the training CLI writes to public/reports/ (the
 * app never computes metrics itself). A report is ready, missing (the command
 * that writes it has not been run), of another schema version, or malformed;
 * each state carries what the dashboard says about it. The report schemas
 * (valibot) and their parsers live in core/src/reports/, shared with the
 * training CLI and the lab.
 */

export type { AblationReport, AblationRow } from '@finer-lens/core/reports/ablation.ts';
export type { AnalysisReport, Distribution, LabelCount } from '@finer-lens/core/reports/analysis.ts';
export type { CompareReport, PathResult } from '@finer-lens/core/reports/compare.ts';
export type { DenseEvaluation, EvalReport, FalseAlarmExample, SparseEvaluation, WholeDocEvaluation } from '@finer-lens/core/reports/eval.ts';
export type { TrainEval, TrainReport, TrainStep } from '@finer-lens/core/reports/train.ts';
export {
  parseAblationReport,
  parseAnalysisReport,
  parseCompareReport,
  parseEvalReport,
  parseTrainReport,
  ReportError,
} from '@finer-lens/core/reports/parse.ts';
export { SPLITS, type SplitName } from '@finer-lens/core/ner/splits.ts';

/** What the dashboard calls an eval.json data set whose name alone says little. */
const DATASET_TITLES: Readonly<Record<string, string>> = {
  'whole-doc': 'Whole-document dev set (hand-labelled)',
};

/** The name of an eval.json data set as the dashboard shows it. */
export function datasetTitle(name: string): string {
  return DATASET_TITLES[name] ?? name;
}

export type ReportState<T> =
  | { status: 'loading' }
  | { status: 'ready'; report: T }
  | { status: 'missing'; path: string }
  | { status: 'error'; message: string };

/**
 * Fetch a report relative to the app's base URL. 404 (or the dev server's
 * HTML fallback page) is 'missing', not an error.
 */
export async function fetchReport<T>(
  name: string,
  parse: (json: unknown, file: string) => T,
  baseUrl: string = import.meta.env.BASE_URL,
): Promise<ReportState<T>> {
  const path = `reports/${name}`;
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, { headers: { accept: 'application/json' }, cache: 'no-cache' });
  } catch (err) {
    return { status: 'error', message: `${path} could not be fetched: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (response.status === 404 || (response.headers.get('content-type') ?? '').includes('text/html')) {
    return { status: 'missing', path };
  }
  if (!response.ok) return { status: 'error', message: `${path}: HTTP ${response.status} ${response.statusText}` };
  let json: unknown;
  try {
    json = JSON.parse(await response.text());
  } catch (err) {
    return { status: 'error', message: `${path} is not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  try {
    return { status: 'ready', report: parse(json, path) };
  } catch (err) {
    return { status: 'error', message: err instanceof Error ? err.message : String(err) };
  }
}
