/**
 * Every report the repository holds passes its schema: public/reports/,
 * public/models/*, lab/ (reports, ablation runs), e2e/fixtures/. A report is
 * recognised by its fields, whatever its file is called; a schema that
 * rejects a committed report fails here, naming the file and the field.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAblationReport, parseAnalysisReport, parseCompareReport, parseEvalReport, parseTrainReport, ReportError } from './parse.ts';
import { check } from './schema.ts';
import { thresholdsReportSchema } from './thresholds.ts';
import { verifierReportSchema } from './verifier.ts';
import { parseTrainCompanies } from './trainCompanies.ts';

const ROOT = join(import.meta.dirname, '../../..');

/** Each kind: the fields that tell it apart, and its parser. */
const KINDS = {
  eval: { fields: ['datasets', 'backend'], parse: parseEvalReport },
  compare: { fields: ['paths', 'fastest'], parse: parseCompareReport },
  train: { fields: ['history', 'evals'], parse: parseTrainReport },
  analysis: { fields: ['labelNames', 'overall'], parse: parseAnalysisReport },
  ablation: { fields: ['rows', 'manifest'], parse: parseAblationReport },
  thresholds: { fields: ['thresholds', 'fittedOn'], parse: (json: unknown, file: string) => check(thresholdsReportSchema, json, (m) => new ReportError(`${file}: ${m}`)) },
  trainCompanies: { fields: ['companies', 'dataset'], parse: parseTrainCompanies },
  verifier: { fields: ['weights', 'trainedOn'], parse: (json: unknown, file: string) => check(verifierReportSchema, json, (m) => new ReportError(`${file}: ${m}`)) },
} as const;
type Kind = keyof typeof KINDS;

function kindOf(json: unknown): Kind | undefined {
  if (typeof json !== 'object' || json === null || !('schema' in json)) return undefined;
  return (Object.keys(KINDS) as Kind[]).find((k) => KINDS[k].fields.every((f) => f in json));
}

/** The committed JSON files (git's index), by kind. */
function committedReports(): Record<Kind, string[]> {
  const files = execFileSync('git', ['ls-files', '-z', '--', '*.json'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
  const byKind = Object.fromEntries(Object.keys(KINDS).map((k) => [k, []])) as unknown as Record<Kind, string[]>;
  for (const file of files) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
    } catch {
      continue; // removed from the working tree, or not JSON (a tsconfig with comments)
    }
    const kind = kindOf(json);
    if (kind) byKind[kind].push(file);
  }
  return byKind;
}

describe('the committed reports', () => {
  const reports = committedReports();

  it("are found for every kind, the dashboard's and the shipped model's among them", () => {
    for (const [kind, files] of Object.entries(reports)) expect(files.length, kind).toBeGreaterThan(0);
    expect(reports.eval).toContain('public/reports/eval.json');
    expect(reports.compare).toContain('public/reports/compare.json');
    expect(reports.train).toContain('public/reports/train.json');
    expect(reports.analysis).toContain('public/reports/analysis.json');
    expect(reports.ablation).toContain('public/reports/ablation.json');
    expect(reports.thresholds).toContain('public/models/finer-lens-small/thresholds.json');
    expect(reports.trainCompanies).toContain('public/models/finer-lens-small/train-companies.json');
    expect(reports.verifier).toContain('public/models/finer-lens-small/verifier.json');
  });

  for (const kind of Object.keys(KINDS) as Kind[]) {
    it(`pass the ${kind} schema`, () => {
      for (const file of reports[kind]) {
        const json: unknown = JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
        expect(() => KINDS[kind].parse(json, file)).not.toThrow();
      }
    });
  }
});
