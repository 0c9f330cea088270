/**
 * Reading the JSON reports the training CLI writes to public/reports/ (the
 * app never computes metrics itself). A report is ready, missing (the command
 * that writes it has not been run), of another schema version, or malformed;
 * each state carries what the dashboard says about it.
 */

import { ANALYSIS_SCHEMA, type AnalysisReport, type Distribution } from '../reports/analysis.ts';
import { SPLITS, type SplitName } from '../ner/splits.ts';

export type { AnalysisReport, Distribution, LabelCount } from '../reports/analysis.ts';
export { SPLITS, type SplitName } from '../ner/splits.ts';

export type ReportState<T> =
  | { status: 'loading' }
  | { status: 'ready'; report: T }
  | { status: 'missing'; path: string }
  | { status: 'error'; message: string };

/** Bad report content: the message names the file and the field. */
export class ReportError extends Error {
  override name = 'ReportError';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function count(obj: Record<string, unknown>, field: string, where: string): number {
  const v = obj[field];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ReportError(`${where}.${field}: expected a count (a number >= 0), found ${JSON.stringify(v) ?? 'nothing'}`);
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

/** Check a parsed analysis.json; `file` names it in messages. */
export function parseAnalysisReport(json: unknown, file: string): AnalysisReport {
  try {
    if (!isRecord(json)) throw new ReportError('expected a JSON object');
    if (json.schema !== ANALYSIS_SCHEMA) {
      throw new ReportError(
        `schema ${JSON.stringify(json.schema) ?? 'missing'}, but this app reads schema ${ANALYSIS_SCHEMA}: ` +
          'rebuild the report with this version of `finer analyze` (or update the app)',
      );
    }
    const labelNames = json.labelNames;
    if (!Array.isArray(labelNames) || !labelNames.every((n) => typeof n === 'string')) {
      throw new ReportError('labelNames: expected an array of label names');
    }
    if (!isRecord(json.splits)) throw new ReportError('splits: expected an object with train, validation, test');
    const splits: Partial<Record<SplitName, Distribution>> = {};
    for (const split of SPLITS) {
      if (json.splits[split] !== undefined) splits[split] = distribution(json.splits[split], `splits.${split}`);
    }
    return {
      schema: ANALYSIS_SCHEMA,
      dataset: typeof json.dataset === 'string' ? json.dataset : '',
      labelNames,
      splits,
      overall: distribution(json.overall, 'overall'),
    };
  } catch (err) {
    if (err instanceof ReportError) throw new ReportError(`${file}: ${err.message}`);
    throw err;
  }
}

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
