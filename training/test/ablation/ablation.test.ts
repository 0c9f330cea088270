/**
 * `finer ablation` on hand-made reports: eval.json, train.json and an
 * encoder's pretraining.json written to a temporary folder. F1 values come
 * through exactly; a missing or wrong file is an error naming the manifest
 * row and the file; the Markdown table and the SVG show every row and point.
 * A row whose files are gone is carried from an earlier report (--previous);
 * --keep copies the eval.json and train.json of the rows built from files.
 */
import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAblation } from '../../src/ablation/ablation.ts';
import { ablationMarkdown } from '../../src/ablation/markdown.ts';
import { ablationPlot, POINT_MARK, plotPoints, SAMPLE_SERIES, TEST_SERIES, X_TITLE, Y_TITLE } from '../../src/ablation/plot.ts';
import { readKept, slugOf } from '../../src/ablation/keep.ts';
import type { AblationReport } from '../../../src/reports/ablation.ts';
import { parseAblationReport, ReportError } from '../../../src/reports/parse.ts';
import { FinerError } from '../../src/util/errors.ts';
import { expectOneLineError, runFiner } from '../cli-run.ts';

const TYPES = [
  'DebtInstrumentInterestRateStatedPercentage',
  'LineOfCreditFacilityMaximumBorrowingCapacity',
  'DebtInstrumentBasisSpreadOnVariableRate1',
  'DebtInstrumentFaceAmount',
];

/** Scores with the given F1 (the other figures only have to be well-formed). */
const scores = (f1: number) => ({ precision: f1, recall: f1, f1, tp: 1, fp: 0, fn: 0, support: 1 });
const confusion = { labels: ['O', ...TYPES], matrix: Array.from({ length: 5 }, () => [0, 0, 0, 0, 0]) };
const metrics = (perType: number[], micro: number) => ({
  types: TYPES,
  perType: Object.fromEntries(TYPES.map((t, i) => [t, scores(perType[i]!)])),
  micro: scores(micro),
  macro: { precision: 0, recall: 0, f1: 0 },
  confusion,
});

/** An eval.json as `finer evaluate` writes it: the test split and the FiNER sample. */
function evalJson(perType: number[], micro: number, sampleMicro: number | null) {
  return {
    schema: 1, model: 'm', date: '2026-01-01T00:00:00.000Z', backend: 'checkpoint', labels: ['O', ...TYPES.map((t) => `B-${t}`)],
    window: { maxLength: 128, stride: 32 },
    datasets: [
      { kind: 'dense', name: 'test', source: 'data/finer4', sentences: 10, words: 100, metrics: { ...metrics(perType, micro), tokenAccuracy: 0.9, tokens: 100 } },
      ...(sampleMicro === null ? [] : [{ kind: 'sparse', name: 'finer139_train_sample', source: 'sample.jsonl', sentences: 5, metrics: { ...metrics([0, 0, 0, 0], sampleMicro), labelledTokens: 42 } }]),
    ],
  };
}

const trainJson = {
  schema: 1, model: { n_layers: 4, dim: 256, n_heads: 4, hidden_dim: 1024, vocab_size: 16000, parameters: 7387909 }, labels: ['O'],
  options: { epochs: 12 }, steps: 2656, totalSteps: 3984, epochs: 8, tokensSeen: 3824392, wallSeconds: 2700, tokensPerSecond: 1365.25,
  history: [{ step: 1, loss: 2, lr: 1e-4, gradNorm: 1 }], evals: [], best: null,
};

const pretrainingJson = (objective: string, subTokens: number, minutes: number) => ({
  schema: 1, objective, sub_tokens_read: subTokens, sentences_read: 1000, steps: 100, minutes, loss: { final: 6, mean: 7 }, runs: [{}, {}],
});

// Values with many digits, so any rounding on the way would show.
const SCRATCH = { perType: [0.8601398601398601, 0.6875, 0.76, 0.4482758620689655], micro: 0.7141931302657161, sample: 0.7269303201506592 };
const MLM = { perType: [0.9, 0.7123456789, 0.8, 0.5], micro: 0.7512345678901234, sample: 0.7612345678901234 };
const ELECTRA = { perType: [0.91, 0.72, 0.81, 0.51], micro: 0.7654321, sample: null };

const writeJson = async (path: string, json: unknown) => {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, JSON.stringify(json));
};

/** A run folder with three rows (scratch, MLM, ELECTRA) and a shipped row; returns the manifest's path. */
async function fixture(rows?: unknown[]): Promise<{ dir: string; manifest: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ablation-'));
  await writeJson(join(dir, 'scratch/eval.json'), evalJson(SCRATCH.perType, SCRATCH.micro, SCRATCH.sample));
  await writeJson(join(dir, 'scratch/train.json'), trainJson);
  await writeJson(join(dir, 'mlm/eval.json'), evalJson(MLM.perType, MLM.micro, MLM.sample));
  await writeJson(join(dir, 'enc-mlm/pretraining.json'), pretrainingJson('mlm', 2_970_000, 21));
  await writeJson(join(dir, 'electra/eval.json'), evalJson(ELECTRA.perType, ELECTRA.micro, ELECTRA.sample));
  await writeJson(join(dir, 'enc-electra/pretraining.json'), pretrainingJson('electra', 1_500_000, 30));
  const manifest = join(dir, 'manifest.json');
  await writeJson(manifest, {
    rows: rows ?? [
      { name: 'scratch', group: 'pretraining', eval: 'scratch/eval.json', train: 'scratch/train.json', fineTune: '12 epochs | lr 5e-4', params: '4x256', nodeSubTokensPerSecond: 5400.5 },
      { name: 'mlm 3M', group: 'pretraining', encoder: 'enc-mlm', eval: 'mlm/eval.json', note: 'first encoder' },
      { name: 'electra', group: 'objective', encoder: 'enc-electra', eval: 'electra/eval.json' },
      { name: 'shipped', group: 'shipped', eval: 'scratch/eval.json' },
    ],
  });
  return { dir, manifest };
}

describe('buildAblation', () => {
  it('gathers pretraining, fine-tune and F1 per row, the F1 values exactly as eval.json has them', async () => {
    const { manifest } = await fixture();
    const report = await buildAblation(manifest, { now: new Date('2026-02-03T04:05:06Z') });
    expect(report.schema).toBe(1);
    expect(report.date).toBe('2026-02-03T04:05:06.000Z');
    expect(report.types).toEqual(TYPES);
    const [scratch, mlm, electra, shipped] = report.rows;
    expect(scratch!.test.perTypeF1).toEqual(Object.fromEntries(TYPES.map((t, i) => [t, SCRATCH.perType[i]])));
    expect(scratch!.test.microF1).toBe(SCRATCH.micro);
    expect(scratch!.finerSample).toEqual({ dataset: 'sample.jsonl', labelledTokens: 42, microF1: SCRATCH.sample });
    expect(scratch!.pretraining).toBeNull();
    expect(scratch!.fineTune).toEqual({ description: '12 epochs | lr 5e-4', minutes: 45, subTokensPerSecond: 1365.25, epochs: 8, steps: 2656 });
    expect(scratch!.nodeSubTokensPerSecond).toBe(5400.5);
    expect(mlm!.test.perTypeF1[TYPES[1]!]).toBe(MLM.perType[1]);
    expect(mlm!.test.microF1).toBe(MLM.micro);
    expect(mlm!.finerSample!.microF1).toBe(MLM.sample);
    expect(mlm!.pretraining).toEqual({ objective: 'mlm', subTokens: 2_970_000, hours: 21 / 60, runs: 2 });
    expect(mlm!.fineTune).toEqual({});
    expect(mlm!.note).toBe('first encoder');
    expect(electra!.electra).toBe(true);
    expect(electra!.finerSample).toBeNull();
    expect(report.rows.map((r) => r.inPlot)).toEqual([true, true, true, false]);
    expect(shipped!.files).toEqual({ eval: 'scratch/eval.json' });
    // The dashboard reads back what the CLI wrote.
    expect(parseAblationReport(JSON.parse(JSON.stringify(report)), 'ablation.json')).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('names the manifest row and the file when a file is missing', async () => {
    const { manifest } = await fixture([{ name: 'lost', group: 'size', eval: 'nowhere/eval.json' }]);
    const err = await buildAblation(manifest).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FinerError);
    expect((err as Error).message).toMatch(/manifest\.json: row 1 "lost": .*nowhere\/eval\.json: missing; expected the evaluation report/);
  });

  it('names the row, the file and the field when a file has the wrong schema', async () => {
    const { dir, manifest } = await fixture([
      { name: 'ok', group: 'size', eval: 'scratch/eval.json' },
      { name: 'wrong', group: 'size', eval: 'scratch/train.json' },
    ]);
    await expect(buildAblation(manifest)).rejects.toThrow(
      new FinerError(`${manifest}: row 2 "wrong": ${join(dir, 'scratch/train.json')}: window: expected {maxLength, stride} (expected the evaluation report (eval.json of finer evaluate))`),
    );
    const { manifest: m2 } = await fixture([{ name: 'enc', group: 'pretraining', encoder: 'scratch', eval: 'scratch/eval.json' }]);
    await expect(buildAblation(m2)).rejects.toThrow(/row 1 "enc": .*scratch\/pretraining\.json: missing; expected the pretraining record/);
    const { dir: d3, manifest: m3 } = await fixture([{ name: 'bad pretraining', group: 'pretraining', encoder: 'enc-mlm', eval: 'mlm/eval.json' }]);
    await writeJson(join(d3, 'enc-mlm/pretraining.json'), { schema: 1, objective: 'mlm', sub_tokens_read: 'many' });
    await expect(buildAblation(m3)).rejects.toThrow(/row 1 "bad pretraining": .*pretraining\.json: field "sub_tokens_read" = "many"; expected a non-negative number/);
  });

  it('refuses a manifest row with a typo or without eval', async () => {
    const { manifest } = await fixture([{ name: 'x', group: 'size', evl: 'scratch/eval.json' }]);
    await expect(buildAblation(manifest)).rejects.toThrow(/rows\[0\] "x": unknown field "evl"; expected name, group, eval/);
    const { manifest: m2 } = await fixture([{ name: 'x', group: 'size' }]);
    await expect(buildAblation(m2)).rejects.toThrow(/rows\[0\] "x": field "eval" = missing; expected a non-empty string/);
  });
});

describe('ablationMarkdown', () => {
  it('is a table with a row per model, F1 in percent, pipes escaped', async () => {
    const { manifest } = await fixture();
    const md = ablationMarkdown(await buildAblation(manifest));
    const lines = md.split('\n').filter((l) => l.startsWith('|'));
    expect(lines).toHaveLength(2 + 4);
    expect(lines[0]).toBe(
      '| Model | Group | Params | Pretraining | Fine-tune | Interest rate F1 | Credit line max F1 | Spread over variable rate F1 | Face amount F1 | Test micro F1 | FiNER sample F1 | Node sub-tokens/s | Note |',
    );
    expect(lines[2]).toBe('| scratch | pretraining | 4x256 | none (random init) | 12 epochs \\| lr 5e-4; 45 min, 1,365 sub-tokens/s | 86.0 | 68.8 | 76.0 | 44.8 | 71.4 | 72.7 | 5,401 |  |');
    expect(lines[3]).toBe('| mlm 3M | pretraining |  | mlm, 2.97M sub-tokens, 0.35 h | – | 90.0 | 71.2 | 80.0 | 50.0 | 75.1 | 76.1 | – | first encoder |');
    expect(lines[4]).toContain('| electra | objective |  | electra, 1.50M sub-tokens, 0.50 h |');
  });
});

describe('ablationPlot', () => {
  it('is an SVG with the axis titles and one mark per point', async () => {
    const { manifest } = await fixture();
    const report = await buildAblation(manifest);
    const points = plotPoints(report);
    // scratch and MLM: test and sample; ELECTRA: test only (no sample); shipped is not plotted.
    expect(points.map((p) => [p.name, p.series, p.x, p.objective])).toEqual([
      ['scratch', TEST_SERIES, 0, 'MLM'], ['scratch', SAMPLE_SERIES, 0, 'MLM'],
      ['mlm 3M', TEST_SERIES, 2.97, 'MLM'], ['mlm 3M', SAMPLE_SERIES, 2.97, 'MLM'],
      ['electra', TEST_SERIES, 1.5, 'ELECTRA'],
    ]);
    const svg = await ablationPlot(report);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain(X_TITLE);
    expect(svg).toContain(Y_TITLE);
    expect(svg).toContain('Micro F1 vs pretraining budget');
    const mark = new RegExp(`<g class="mark-symbol role-mark ${POINT_MARK}"[^>]*>(.*?)</g>`).exec(svg);
    expect(mark).not.toBeNull();
    expect(mark![1]!.match(/<path /g)).toHaveLength(points.length);
    expect(svg).toContain('aria-label="electra: 76.5% (Test split (entity F1))"');
  });
});

describe('finer ablation (CLI)', () => {
  it('writes the report, the SVG and the Markdown; a bad row writes nothing', async () => {
    const { dir, manifest } = await fixture();
    const out = join(dir, 'out');
    const ok = await runFiner(['ablation', '--runs', manifest, '--out', join(out, 'ablation.json'), '--plot', join(out, 'plot.svg'), '--markdown', join(out, 'table.md')]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(JSON.parse(await readFile(join(out, 'ablation.json'), 'utf8')).rows).toHaveLength(4);
    expect(await readFile(join(out, 'plot.svg'), 'utf8')).toContain(X_TITLE);
    expect(await readFile(join(out, 'table.md'), 'utf8')).toContain('| shipped | shipped |');

    const { dir: d2, manifest: bad } = await fixture([{ name: 'ok', group: 'size', eval: 'scratch/eval.json' }, { name: 'lost', group: 'size', eval: 'gone.json' }]);
    const failed = await runFiner(['ablation', '--runs', bad, '--out', join(d2, 'out/ablation.json'), '--plot', join(d2, 'out/plot.svg')]);
    expectOneLineError(failed, /row 2 "lost": .*gone\.json: missing; expected the evaluation report/);
    expect(existsSync(join(d2, 'out'))).toBe(false);
  });
});

/** An earlier report, built from the fixture's files and written to `<dir>/previous.json`; `mlm 3M`'s figures are ELECTRA's there, so a carried row shows where its figures came from. */
async function previousReport(dir: string): Promise<{ path: string; report: AblationReport }> {
  const manifest = join(dir, 'previous-manifest.json');
  await writeJson(manifest, {
    rows: [
      { name: 'scratch', group: 'pretraining', eval: 'electra/eval.json', note: 'an older scratch run' },
      { name: 'mlm 3M', group: 'pretraining', encoder: 'enc-mlm', eval: 'electra/eval.json', train: 'scratch/train.json', note: 'as it was' },
    ],
  });
  const report = await buildAblation(manifest, { now: new Date('2026-01-02T03:04:05Z') });
  const path = join(dir, 'previous.json');
  await writeJson(path, report);
  return { path, report: JSON.parse(JSON.stringify(report)) as AblationReport };
}

describe('buildAblation --previous (rows whose files are gone)', () => {
  it('carries a row whose eval.json is missing from the earlier report, unchanged but for `carried`', async () => {
    const { dir, manifest } = await fixture([
      { name: 'scratch', group: 'pretraining', eval: 'scratch/eval.json' },
      { name: 'mlm 3M', group: 'pretraining', encoder: 'enc-mlm', eval: 'gone/eval.json', note: 'a new note' },
    ]);
    const previous = await previousReport(dir);
    const report = await buildAblation(manifest, { previous: previous.path, now: new Date('2026-03-01T00:00:00Z') });
    const [scratch, mlm] = report.rows;
    expect(mlm!.carried).toEqual({ from: previous.path, date: '2026-01-02T03:04:05.000Z', missing: ['gone/eval.json'] });
    const { carried, ...figures } = mlm!;
    expect(JSON.parse(JSON.stringify(figures))).toEqual(previous.report.rows[1]);
    expect(mlm!.test.microF1).toBe(ELECTRA.micro); // the earlier report's figures
    expect(mlm!.note).toBe('as it was');
    expect(mlm!.fineTune.minutes).toBe(45);
    expect(scratch!.carried).toBeUndefined();
    expect(scratch!.test.microF1).toBe(SCRATCH.micro);
    // Written and read back: the dashboard's parser keeps `carried`.
    expect(parseAblationReport(JSON.parse(JSON.stringify(report)), 'ablation.json').rows[1]!.carried).toEqual(carried);
  });

  it('carries a row whose train.json or encoder folder is missing, listing every missing file as the manifest names it', async () => {
    const { dir, manifest } = await fixture([
      { name: 'scratch', group: 'pretraining', eval: 'scratch/eval.json' },
      { name: 'mlm 3M', group: 'pretraining', encoder: 'enc-gone', eval: 'mlm/eval.json', train: 'gone/train.json' },
    ]);
    const previous = await previousReport(dir);
    const report = await buildAblation(manifest, { previous: previous.path });
    expect(report.rows[1]!.carried!.missing).toEqual(['enc-gone', 'gone/train.json']);
    expect(report.rows[1]!.test.microF1).toBe(ELECTRA.micro); // not mlm/eval.json's, which is there
  });

  it('keeps where and when the figures were built when the earlier row was itself carried', async () => {
    const { dir, manifest } = await fixture([
      { name: 'scratch', group: 'pretraining', eval: 'scratch/eval.json' },
      { name: 'mlm 3M', group: 'pretraining', eval: 'gone/eval.json', train: 'gone/train.json' },
    ]);
    const previous = await previousReport(dir);
    const once = await buildAblation(manifest, { previous: previous.path, now: new Date('2026-05-05T00:00:00Z') });
    const second = join(dir, 'second.json');
    await writeJson(second, once);
    const twice = await buildAblation(manifest, { previous: second });
    expect(twice.rows[1]!.carried).toEqual({ from: previous.path, date: '2026-01-02T03:04:05.000Z', missing: ['gone/eval.json', 'gone/train.json'] });
    expect(twice.rows[1]!.test.microF1).toBe(ELECTRA.micro);
  });

  it('rebuilds a row whose files are all there, even when the earlier report has it', async () => {
    const { dir, manifest } = await fixture([
      { name: 'scratch', group: 'pretraining', eval: 'scratch/eval.json', train: 'scratch/train.json' },
      { name: 'mlm 3M', group: 'pretraining', encoder: 'enc-mlm', eval: 'mlm/eval.json' },
    ]);
    const previous = await previousReport(dir);
    const report = await buildAblation(manifest, { previous: previous.path });
    expect(report.rows.map((r) => r.carried)).toEqual([undefined, undefined]);
    expect(report.rows[0]!.test.microF1).toBe(SCRATCH.micro);
    expect(report.rows[0]!.note).toBeUndefined();
    expect(report.rows[1]!.test.microF1).toBe(MLM.micro);
    expect(previous.report.rows[1]!.test.microF1).toBe(ELECTRA.micro); // what carrying would have given
  });

  it('names the row and the missing file when no earlier report holds the row', async () => {
    const { dir, manifest } = await fixture([
      { name: 'scratch', group: 'pretraining', eval: 'scratch/eval.json' },
      { name: 'lost', group: 'size', eval: 'nowhere/eval.json' },
    ]);
    const previous = await previousReport(dir);
    const err = await buildAblation(manifest, { previous: previous.path }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FinerError);
    expect((err as Error).message).toBe(
      `${manifest}: row 2 "lost": ${join(dir, 'nowhere/eval.json')}: missing; expected the evaluation report (eval.json of finer evaluate); ` +
        `and the earlier report ${previous.path} has no row "lost" to carry`,
    );
    await expect(buildAblation(manifest)).rejects.toThrow(/row 2 "lost": .*nowhere\/eval\.json: missing; .*; and no earlier report to carry the row from \(--previous\)$/);
  });

  it('refuses an earlier report that is not JSON or not an ablation report, naming the file', async () => {
    const { dir, manifest } = await fixture([{ name: 'mlm 3M', group: 'pretraining', eval: 'gone/eval.json' }]);
    const path = join(dir, 'previous.json');
    await writeFile(path, '{"schema": 1, "rows": [');
    await expect(buildAblation(manifest, { previous: path })).rejects.toThrow(new RegExp(`^${path}: not valid JSON \\(.*\\); expected the earlier ablation report`));
    await writeJson(path, { schema: 1, date: 'd', manifest: 'm', types: TYPES, rows: [{ name: 'mlm 3M' }] });
    await expect(buildAblation(manifest, { previous: path })).rejects.toThrow(
      new FinerError(`${path}: rows[0].pretraining: expected {objective, subTokens, hours, runs} or null (expected the earlier ablation report (ablation.json of finer ablation) to carry rows from)`),
    );
    await expect(buildAblation(manifest, { previous: join(dir, 'none.json') })).rejects.toThrow(/none\.json: missing; expected the earlier ablation report/);
    // Read only when a row needs it: a report whose rows are all there is built whatever the earlier file holds.
    const { manifest: complete } = await fixture([{ name: 'scratch', group: 'pretraining', eval: 'scratch/eval.json' }]);
    await writeFile(path, 'not JSON');
    expect((await buildAblation(complete, { previous: path })).rows[0]!.test.microF1).toBe(SCRATCH.micro);
  });
});

describe('parseAblationReport: carried', () => {
  const withCarried = (carried: unknown) => {
    const report = { schema: 1, date: 'd', manifest: 'm', types: [], rows: [{ name: 'r', group: 'g', pretraining: null, fineTune: {}, test: { dataset: 't', perTypeF1: {}, microF1: 0.5, precision: 0.5, recall: 0.5 }, finerSample: null, files: { eval: 'e.json' } }] };
    if (carried !== undefined) (report.rows[0] as Record<string, unknown>).carried = carried;
    return report;
  };

  it('accepts a row with {from, date, missing}, and one without', () => {
    const carried = { from: 'public/reports/ablation.json', date: '2026-01-02T03:04:05.000Z', missing: ['../../runs/x/eval.json'] };
    expect(parseAblationReport(withCarried(carried), 'ablation.json').rows[0]!.carried).toEqual(carried);
    expect('carried' in parseAblationReport(withCarried(undefined), 'ablation.json').rows[0]!).toBe(false);
  });

  it('rejects a malformed one, naming the field', () => {
    const bad = (carried: unknown) => () => parseAblationReport(withCarried(carried), 'ablation.json');
    expect(bad({ from: 'a', date: 'd', missing: 'x.json' })).toThrow(new ReportError('ablation.json: rows[0].carried.missing: expected an array of strings'));
    expect(bad({ from: 'a', missing: [] })).toThrow(new ReportError('ablation.json: rows[0].carried.date: expected a string, found nothing'));
    expect(bad(true)).toThrow(/^ablation\.json: rows\[0\]\.carried: expected \{from, date, missing\}/);
    expect(bad(null)).toThrow(ReportError);
  });
});

describe('ablationMarkdown: carried rows', () => {
  it('marks a carried row with a dagger and says under the table where its figures come from', async () => {
    const { dir, manifest } = await fixture([
      { name: 'scratch', group: 'pretraining', eval: 'scratch/eval.json' },
      { name: 'mlm 3M', group: 'pretraining', encoder: 'enc-mlm', eval: 'gone/eval.json', train: 'gone/train.json' },
    ]);
    const previous = await previousReport(dir);
    const md = ablationMarkdown(await buildAblation(manifest, { previous: previous.path }));
    const rows = md.split('\n').filter((l) => l.startsWith('|')).slice(2);
    expect(rows[0]).toMatch(/^\| scratch \| pretraining \|/);
    expect(rows[1]).toMatch(/^\| mlm 3M † \| pretraining \|/);
    expect(md.split('\n').filter((l) => l.startsWith('†'))).toEqual([
      `† figures carried from ${previous.path} (2026-01-02): the run files are not kept (gone/eval.json, gone/train.json)`,
    ]);
    const plain = ablationMarkdown(await buildAblation((await fixture()).manifest));
    expect(plain).not.toContain('†');
  });

  it('has one footnote per earlier report, naming at most four of the missing files', async () => {
    const report = await buildAblation((await fixture()).manifest);
    const from = { from: 'old.json', date: '2026-01-02T03:04:05.000Z' };
    report.rows[0]!.carried = { ...from, missing: ['a/eval.json', 'a/train.json', 'b/eval.json'] };
    report.rows[1]!.carried = { ...from, missing: ['b/eval.json', 'c/eval.json', 'd/eval.json', 'e/eval.json'] };
    report.rows[3]!.carried = { from: 'older.json', date: '2025-12-31T00:00:00.000Z', missing: ['f/eval.json'] };
    const notes = ablationMarkdown(report).split('\n').filter((l) => l.startsWith('†'));
    expect(notes).toEqual([
      '† figures carried from old.json (2026-01-02): the run files are not kept (a/eval.json, a/train.json, b/eval.json, c/eval.json and 2 more)',
      '† figures carried from older.json (2025-12-31): the run files are not kept (f/eval.json)',
    ]);
    expect(ablationMarkdown(report).split('\n').filter((l) => l.includes(' † |')).length).toBe(3);
  });
});

describe('--keep', () => {
  it('names a row folder by its letters and digits', () => {
    expect(slugOf('MLM 4.77 M + 139-tag stage (shipped)')).toBe('mlm-4-77-m-139-tag-stage-shipped');
    expect(slugOf('négatives R = 0')).toBe('negatives-r-0');
  });

  it('refuses two rows that would share a folder, before writing anything', async () => {
    const { dir, manifest } = await fixture([
      { name: 'MLM 3M', group: 'pretraining', eval: 'scratch/eval.json' },
      { name: 'mlm-3m', group: 'pretraining', eval: 'mlm/eval.json' },
    ]);
    const report = await buildAblation(manifest);
    await expect(readKept(report, manifest, join(dir, 'kept'))).rejects.toThrow(/rows "MLM 3M" and "mlm-3m" would both be kept in .*kept\/mlm-3m/);
  });
});

describe('finer ablation --previous --keep (CLI)', () => {
  it('carries the row whose files are gone from the --out report, warns, and keeps the reports of the rows built from files', async () => {
    const { dir, manifest } = await fixture([
      { name: 'scratch', group: 'pretraining', eval: 'scratch/eval.json', train: 'scratch/train.json' },
      { name: 'mlm 3M', group: 'pretraining', encoder: 'enc-mlm', eval: 'gone/eval.json' },
      { name: 'shipped', group: 'shipped', eval: 'mlm/eval.json' },
    ]);
    const previous = await previousReport(dir);
    const out = join(dir, 'out/ablation.json');
    await writeJson(out, previous.report); // the default earlier report: the --out file
    const kept = join(dir, 'kept');
    const run = await runFiner(['ablation', '--runs', manifest, '--out', out, '--plot', join(dir, 'out/plot.svg'), '--keep', kept]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`finer: ${manifest}: row 2 "mlm 3M": gone/eval.json missing; its figures are carried from ${out} (2026-01-02T03:04:05.000Z)\n`);
    const report = JSON.parse(await readFile(out, 'utf8')) as AblationReport;
    expect(report.rows.map((r) => r.carried?.from ?? null)).toEqual([null, out, null]);
    expect(report.rows[1]!.test.microF1).toBe(ELECTRA.micro);
    // Copies of the built rows' files, byte for byte; nothing for the carried row.
    expect((await readdir(kept)).sort()).toEqual(['scratch', 'shipped']);
    expect(await readFile(join(kept, 'scratch/eval.json'), 'utf8')).toBe(await readFile(join(dir, 'scratch/eval.json'), 'utf8'));
    expect(await readFile(join(kept, 'scratch/train.json'), 'utf8')).toBe(await readFile(join(dir, 'scratch/train.json'), 'utf8'));
    expect(await readdir(join(kept, 'shipped'))).toEqual(['eval.json']);
    expect(await readFile(join(kept, 'shipped/eval.json'), 'utf8')).toBe(await readFile(join(dir, 'mlm/eval.json'), 'utf8'));
    expect(run.stdout).toContain(`kept "scratch": ${join(kept, 'scratch/eval.json')}, ${join(kept, 'scratch/train.json')} (from the manifest: "kept/scratch/eval.json")`);
    expect(run.stdout).toContain(`kept "shipped": ${join(kept, 'shipped/eval.json')} (from the manifest: "kept/shipped/eval.json")`);

    // A row neither there nor in the earlier report: one line of error, and nothing written or kept.
    const { dir: d2, manifest: bad } = await fixture([
      { name: 'scratch', group: 'pretraining', eval: 'scratch/eval.json' },
      { name: 'lost', group: 'size', eval: 'gone.json' },
    ]);
    const failed = await runFiner(['ablation', '--runs', bad, '--previous', previous.path, '--out', join(d2, 'out/ablation.json'), '--plot', join(d2, 'out/plot.svg'), '--keep', join(d2, 'kept')]);
    expectOneLineError(failed, /row 2 "lost": .*gone\.json: missing; .*previous\.json has no row "lost" to carry/);
    expect(existsSync(join(d2, 'out'))).toBe(false);
    expect(existsSync(join(d2, 'kept'))).toBe(false);
  });
});
