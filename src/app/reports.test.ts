import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import analysis from '../../public/reports/analysis.json';
import { fetchReport, parseAnalysisReport, parseCompareReport, parseEvalReport, parseTrainReport, ReportError } from './reports.ts';

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

describe('the model reports (fixtures in e2e/fixtures/reports, the shape the training CLI writes)', () => {
  const fixture = (name: string): Record<string, any> =>
    JSON.parse(readFileSync(new URL(`../../e2e/fixtures/reports/${name}`, import.meta.url), 'utf8'));

  it('reads eval.json: dense and sparse datasets, per-type scores and the confusion matrix', () => {
    const json = fixture('eval.json');
    const report = parseEvalReport(json, 'reports/eval.json');
    expect(report.datasets.map((d) => d.kind)).toEqual(['dense', 'sparse', 'dense']);
    const [dense, sparse] = report.datasets;
    expect(dense.metrics.perType).toEqual(json.datasets[0].metrics.perType);
    expect(dense.metrics.confusion).toEqual(json.datasets[0].metrics.confusion);
    expect(dense.kind === 'dense' && dense.metrics.tokenAccuracy).toBe(json.datasets[0].metrics.tokenAccuracy);
    expect(sparse.kind === 'sparse' && sparse.metrics.labelledTokens).toBe(json.datasets[1].metrics.labelledTokens);
  });

  it('names the wrong field of eval.json', () => {
    const json = fixture('eval.json');
    json.datasets[0].metrics.confusion.matrix[2].pop();
    expect(() => parseEvalReport(json, 'reports/eval.json')).toThrow(
      'reports/eval.json: datasets[0].metrics.confusion.matrix[2]: expected 5 counts, one per label',
    );
    const other = fixture('eval.json');
    other.datasets[1].kind = 'weird';
    expect(() => parseEvalReport(other, 'reports/eval.json')).toThrow('reports/eval.json: datasets[1].kind: expected "dense" or "sparse", found "weird"');
    expect(() => parseEvalReport({ ...fixture('eval.json'), schema: 3 }, 'reports/eval.json')).toThrow(
      'reports/eval.json: schema 3, but this app reads schema 1: rebuild the report with this version of `finer evaluate`',
    );
  });

  it('reads the per-type thresholds and the whole-document measures of eval.json as written', () => {
    const json = fixture('eval.json');
    const report = parseEvalReport(json, 'reports/eval.json');
    expect(report.thresholds).toEqual(json.thresholds);
    expect(report.wholeDocument).toEqual(json.wholeDocument);
    expect(report.datasets[2]).toEqual(json.datasets[2]);
    // both are optional: an eval.json without them (raw scores, no --whole-doc) reads as before
    delete json.thresholds;
    delete json.wholeDocument;
    const plain = parseEvalReport(json, 'reports/eval.json');
    expect(plain).not.toHaveProperty('thresholds');
    expect(plain).not.toHaveProperty('wholeDocument');
  });

  it('names the wrong field of the thresholds and the whole-document measures', () => {
    const bad = (change: (json: Record<string, any>) => void) => () => {
      const json = fixture('eval.json');
      change(json);
      parseEvalReport(json, 'reports/eval.json');
    };
    expect(bad((j) => (j.thresholds = [0.5]))).toThrow('reports/eval.json: thresholds: expected {"<entity type>": <score 0..1>}');
    expect(bad((j) => (j.thresholds.DebtInstrumentFaceAmount = 1.2))).toThrow(
      'reports/eval.json: thresholds.DebtInstrumentFaceAmount: expected a score from 0 to 1, found 1.2',
    );
    expect(bad((j) => (j.wholeDocument = 'yes'))).toThrow('reports/eval.json: wholeDocument: expected {source, split, filings');
    expect(bad((j) => delete j.wholeDocument.filings)).toThrow('reports/eval.json: wholeDocument.filings: expected a count (a number >= 0), found nothing');
    expect(bad((j) => (j.wholeDocument.sentences.untagged = -1))).toThrow('wholeDocument.sentences.untagged: expected a count (a number >= 0), found -1');
    expect(bad((j) => j.wholeDocument.tagged.confusion.matrix[1].pop())).toThrow('wholeDocument.tagged.confusion.matrix[1]: expected 5 counts, one per label');
    expect(bad((j) => (j.wholeDocument.untagged.others.perType.DebtInstrumentFaceAmount = '510'))).toThrow(
      'wholeDocument.untagged.others.perType.DebtInstrumentFaceAmount: expected a count (a number >= 0), found "510"',
    );
    expect(bad((j) => delete j.wholeDocument.untagged.othersNoDebt)).toThrow('wholeDocument.untagged.othersNoDebt: expected {total, perType}');
    expect(bad((j) => (j.wholeDocument.perFiling.others = null))).toThrow('wholeDocument.perFiling.others: expected a count (a number >= 0), found null');
    expect(bad((j) => (j.wholeDocument.examples[1].score = 'high'))).toThrow('wholeDocument.examples[1].score: expected a score from 0 to 1, found "high"');
    expect(bad((j) => delete j.wholeDocument.examples[2].sentence)).toThrow('wholeDocument.examples[2].sentence: expected a string, found nothing');
  });

  it('reads compare.json: every path with agreement, logit difference and speed', () => {
    const json = fixture('compare.json');
    const report = parseCompareReport(json, 'reports/compare.json');
    expect(report.paths).toEqual(json.paths);
    expect(report.checks).toEqual(json.checks);
    expect(report.fastest).toEqual(json.fastest);
    const older = fixture('compare.json'); // before best-of-rounds timings: one round
    delete older.settings.rounds;
    for (const p of older.paths) delete p.speed.rounds;
    const read = parseCompareReport(older, 'reports/compare.json');
    // (typed loosely: the schema gains `rounds` in the same change as the writer)
    expect(read.paths.map((p) => (p.speed as { rounds?: number[] }).rounds)).toEqual(older.paths.map((p: { speed: { seconds: number } }) => [p.speed.seconds]));
    expect((read.settings as { rounds?: number }).rounds).toBe(1);
    const bad = fixture('compare.json');
    bad.paths[1].speed.subTokensPerSecond = null;
    expect(() => parseCompareReport(bad, 'reports/compare.json')).toThrow(
      'reports/compare.json: paths[1].speed.subTokensPerSecond: expected a number, found null',
    );
  });

  it("reads int8's batch dependence from compare.json; a report from before it has none, a bad one is named", () => {
    const json = fixture('compare.json');
    const int8 = parseCompareReport(json, 'reports/compare.json').paths.find((p) => p.path === 'onnx-int8')!;
    expect(int8.batchDependence).toEqual({ different: 5, sentencesDifferent: 2 });
    const older = fixture('compare.json');
    for (const p of older.paths) delete p.batchDependence;
    expect(parseCompareReport(older, 'reports/compare.json').paths.every((p) => p.batchDependence === undefined)).toBe(true);
    const bad = fixture('compare.json');
    bad.paths[2].batchDependence = { different: -1, sentencesDifferent: 0 };
    expect(() => parseCompareReport(bad, 'reports/compare.json')).toThrow(
      'reports/compare.json: paths[2].batchDependence.different: expected a count (a number >= 0), found -1',
    );
  });

  it('reads train.json: loss history and evaluations with F1', () => {
    const json = fixture('train.json');
    const report = parseTrainReport(json, 'reports/train.json');
    expect(report.history).toEqual(json.history);
    expect(report.evals).toEqual(json.evals);
    expect(report.best).toEqual(json.best);
    delete json.history;
    expect(() => parseTrainReport(json, 'reports/train.json')).toThrow('reports/train.json: history: expected an array of steps');
  });
});
