import { afterEach, describe, expect, it, vi } from 'vitest';
import analysis from '../../public/reports/analysis.json';
import { fetchReport, parseAnalysisReport, ReportError } from './reports.ts';

const FILE = 'reports/analysis.json';
const clone = (): Record<string, any> => JSON.parse(JSON.stringify(analysis));

describe('parseAnalysisReport', () => {
  it('reads the committed report with its figures unchanged', () => {
    const report = parseAnalysisReport(analysis, FILE);
    expect(report.labelNames).toEqual(analysis.labelNames);
    expect(report.splits.train?.labels).toEqual(analysis.splits.train.labels);
    expect(report.overall.entities).toBe(analysis.overall.entities);
  });

  it('refuses another schema version, saying which it reads', () => {
    const json = { ...clone(), schema: 2 };
    expect(() => parseAnalysisReport(json, FILE)).toThrow(new ReportError(
      `${FILE}: schema 2, but this app reads schema 1: rebuild the report with this version of \`finer analyze\` (or update the app)`,
    ));
  });

  it('names the field that is wrong', () => {
    const json = clone();
    json.splits.validation.labels[2].tokens = 'many';
    expect(() => parseAnalysisReport(json, FILE)).toThrow(
      `${FILE}: splits.validation.labels[2].tokens: expected a count (a number >= 0), found "many"`,
    );
    const noOverall = clone();
    delete noOverall.overall;
    expect(() => parseAnalysisReport(noOverall, FILE)).toThrow(`${FILE}: overall: expected an object`);
  });
});

describe('fetchReport', () => {
  afterEach(() => vi.unstubAllGlobals());
  const serve = (response: Response) => vi.stubGlobal('fetch', vi.fn(async () => response));

  it('is missing on 404 and on an HTML fallback page', async () => {
    serve(new Response('nope', { status: 404 }));
    expect(await fetchReport('eval.json', (j) => j, '/')).toEqual({ status: 'missing', path: 'reports/eval.json' });
    serve(new Response('<!doctype html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    expect(await fetchReport('eval.json', (j) => j, '/')).toEqual({ status: 'missing', path: 'reports/eval.json' });
  });

  it('is an error for bad JSON or a bad report, ready otherwise', async () => {
    serve(new Response('{"schema":', { status: 200 }));
    expect(await fetchReport('analysis.json', parseAnalysisReport, '/')).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^reports\/analysis\.json is not valid JSON/),
    });
    serve(new Response(JSON.stringify({ schema: 7 }), { status: 200 }));
    expect(await fetchReport('analysis.json', parseAnalysisReport, '/')).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^reports\/analysis\.json: schema 7/),
    });
    serve(new Response(JSON.stringify(analysis), { status: 200, headers: { 'content-type': 'application/json' } }));
    const state = await fetchReport('analysis.json', parseAnalysisReport, '/');
    expect(state.status).toBe('ready');
  });
});
