/**
 * `lab ablation` on hand-made reports: eval.json, train.json and an
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
import {
  ablationPlot, FRAME, LABELLED_X_TITLE, labelledPlot, labelledPoints, LINE_MARK, linearScale, plotLines, POINT_MARK, plotPoints, SAMPLE_METRIC, STAGE139_METRIC, TEST_METRIC, X_TITLE, Y_TITLE,
  type PlotPoint,
} from '../../src/ablation/plot.ts';
import { readKept, slugOf, writeKept } from '../../src/ablation/keep.ts';
import { DEFAULT_SERIES, type AblationReport } from '@finer-lens/core/reports/ablation.ts';
import { parseAblationReport, ReportError } from '@finer-lens/core/reports/parse.ts';
import { FinerError } from '@finer-lens/training/util/errors.ts';
import { expectOneLineError } from '@finer-lens/training/test/cli-run.ts';
import { runLab, runLabInProcess } from '../cli-run.ts';

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

/** The plot's lines as drawn: their aria-label ("series: metric") and the x of their points, in the order the path goes. */
const svgLines = (svg: string): { label: string; xs: number[] }[] =>
  [...svg.matchAll(new RegExp(`<path class="${LINE_MARK}" aria-label="([^"]*)" d="([^"]*)"`, 'g'))].map((m) => ({
    label: m[1]!,
    xs: [...m[2]!.matchAll(/[ML]([-\d.]+),/g)].map((x) => Number(x[1])),
  }));
const lineLabels = (svg: string): string[] => svgLines(svg).map((l) => l.label);

/** The plot's points as drawn: their aria-label ("name: F1% (metric)") and where they are in the plot area, px. */
const svgPoints = (svg: string): { label: string; x: number; y: number }[] =>
  [...svg.matchAll(new RegExp(`<path class="${POINT_MARK}" aria-label="([^"]*)" transform="translate\\(([-\\d.]+),([-\\d.]+)\\)"`, 'g'))].map((m) => ({
    label: m[1]!,
    x: Number(m[2]),
    y: Number(m[3]),
  }));

/** An axis's ticks as drawn: the label's text and the tick's place along the axis, px. */
function svgTicks(svg: string, axis: 'x' | 'y'): { label: string; at: number }[] {
  const section = svg.slice(svg.indexOf(`<g class="${axis}-axis">`), svg.indexOf(axis === 'x' ? '<g class="y-axis">' : '<g class="lines"'));
  return [...section.matchAll(/<g class="tick" transform="translate\(([-\d.]+),([-\d.]+)\)">.*?>([^<]*)<\/text>/g)].map((m) => ({
    label: m[3]!,
    at: Number(axis === 'x' ? m[1] : m[2]),
  }));
}

/** The data-to-px map an axis shows, from its first and last tick (log: of the labels' logarithms). */
function axisMap(svg: string, axis: 'x' | 'y', kind: 'linear' | 'log' = 'linear'): (v: number) => number {
  const ticks = svgTicks(svg, axis);
  const f = (label: string) => (kind === 'log' ? Math.log(Number(label.replace(/,/g, ''))) : Number(label));
  const [a, b] = [ticks[0]!, ticks.at(-1)!];
  return (v) => a.at + ((kind === 'log' ? Math.log(v) : v) - f(a.label)) / (f(b.label) - f(a.label)) * (b.at - a.at);
}

/** Every point is drawn where the axes say its x and F1 are, to 0.01 px, inside the plot area. */
function expectOnAxes(svg: string, points: PlotPoint[], xKind: 'linear' | 'log' = 'linear'): void {
  const [x, y] = [axisMap(svg, 'x', xKind), axisMap(svg, 'y')];
  const drawn = svgPoints(svg);
  expect(drawn.map((d) => d.label)).toEqual(points.map((p) => `${p.name}: ${p.f1.toFixed(1)}% (${p.metric})`));
  points.forEach((p, i) => {
    expect(drawn[i]!.x).toBeCloseTo(x(p.x), 2);
    expect(drawn[i]!.y).toBeCloseTo(y(p.f1), 2);
    expect(drawn[i]!.x).toBeGreaterThanOrEqual(0);
    expect(drawn[i]!.x).toBeLessThanOrEqual(FRAME.width);
    expect(drawn[i]!.y).toBeGreaterThanOrEqual(0);
    expect(drawn[i]!.y).toBeLessThanOrEqual(FRAME.height);
  });
}

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
    expect(scratch!.test!.perTypeF1).toEqual(Object.fromEntries(TYPES.map((t, i) => [t, SCRATCH.perType[i]])));
    expect(scratch!.test!.microF1).toBe(SCRATCH.micro);
    expect(scratch!.finerSample).toEqual({ dataset: 'sample.jsonl', labelledTokens: 42, microF1: SCRATCH.sample });
    expect(scratch!.pretraining).toBeNull();
    expect(scratch!.fineTune).toEqual({ description: '12 epochs | lr 5e-4', minutes: 45, subTokensPerSecond: 1365.25, epochs: 8, steps: 2656 });
    expect(scratch!.nodeSubTokensPerSecond).toBe(5400.5);
    expect(mlm!.test!.perTypeF1[TYPES[1]!]).toBe(MLM.perType[1]);
    expect(mlm!.test!.microF1).toBe(MLM.micro);
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
      new FinerError(`${manifest}: row 2 "wrong": ${join(dir, 'scratch/train.json')}: model: expected a string, found an object (expected the evaluation report (eval.json of finer evaluate))`),
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
      '| Model | Group | Params | Pretraining | Fine-tune | Interest rate F1 | Credit line max F1 | Spread over variable rate F1 | Face amount F1 | Test micro F1 | FiNER sample F1 | 139-tag val F1 | Node sub-tokens/s | Note |',
    );
    expect(lines[1]).toBe('| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    expect(lines[2]).toBe('| scratch | pretraining | 4x256 | none (random init) | 12 epochs \\| lr 5e-4; 45 min, 1,365 sub-tokens/s | 86.0 | 68.8 | 76.0 | 44.8 | 71.4 | 72.7 | – | 5,401 |  |');
    expect(lines[3]).toBe('| mlm 3M | pretraining |  | mlm, 2.97M sub-tokens, 0.35 h | – | 90.0 | 71.2 | 80.0 | 50.0 | 75.1 | 76.1 | – | – | first encoder |');
    expect(lines[4]).toContain('| electra | objective |  | electra, 1.50M sub-tokens, 0.50 h |');
  });
});

describe('ablationPlot', () => {
  it('is an SVG with the axis titles and one mark per point', async () => {
    const { manifest } = await fixture();
    const report = await buildAblation(manifest);
    const points = plotPoints(report);
    // scratch and MLM: test and sample; ELECTRA: test only (no sample); shipped is not plotted.
    // scratch and mlm 3M (group "pretraining") are on the default series; ELECTRA is a point alone.
    expect(points.map((p) => [p.name, p.metric, p.series, p.x, p.objective])).toEqual([
      ['scratch', TEST_METRIC, DEFAULT_SERIES, 0, 'MLM'], ['scratch', SAMPLE_METRIC, DEFAULT_SERIES, 0, 'MLM'],
      ['mlm 3M', TEST_METRIC, DEFAULT_SERIES, 2.97, 'MLM'], ['mlm 3M', SAMPLE_METRIC, DEFAULT_SERIES, 2.97, 'MLM'],
      ['electra', TEST_METRIC, null, 1.5, 'ELECTRA'],
    ]);
    const svg = await ablationPlot(report);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="700" height="510"')).toBe(true);
    expect(svg).toContain(`>${X_TITLE}</text>`);
    expect(svg).toContain(`>${Y_TITLE}</text>`);
    expect(svg).toContain('>Micro F1 vs pretraining budget</text>');
    expect(svgPoints(svg)).toHaveLength(points.length);
    expect(svg).toContain(`aria-label="electra: 76.5% (${TEST_METRIC})"`);
    // A line per metric of the default series; the ELECTRA point is on none.
    expect(lineLabels(svg)).toEqual([`${DEFAULT_SERIES}: ${TEST_METRIC}`, `${DEFAULT_SERIES}: ${SAMPLE_METRIC}`]);
    // x from 0 (zero is in the domain) to 3.0, the first tick past 2.97; F1 padded by 12 px, then to whole ticks of 0.5.
    expect(svgTicks(svg, 'x').map((t) => t.label)).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0', '1.2', '1.4', '1.6', '1.8', '2.0', '2.2', '2.4', '2.6', '2.8', '3.0']);
    expect(svgTicks(svg, 'x').map((t) => t.at)).toEqual([0, 40, 80, 120, 160, 200, 240, 280, 320, 360, 400, 440, 480, 520, 560, 600]);
    expect(svgTicks(svg, 'y').map((t) => t.label)).toEqual(['71.0', '71.5', '72.0', '72.5', '73.0', '73.5', '74.0', '74.5', '75.0', '75.5', '76.0', '76.5', '77.0']);
    expect(svgTicks(svg, 'y').map((t) => t.at)).toEqual([300, 275, 250, 225, 200, 175, 150, 125, 100, 75, 50, 25, 0]);
    // mlm 3M's test point: x 2.97 of 3.0, F1 75.12 of 71..77 (up is higher)
    const mlm = svgPoints(svg)[2]!;
    expect(mlm.label).toBe(`mlm 3M: 75.1% (${TEST_METRIC})`);
    expect(mlm.x).toBe(594);
    expect(mlm.y).toBeCloseTo(300 - (300 * (100 * MLM.micro - 71)) / 6, 2);
    expectOnAxes(svg, points);
    // The same report, the same bytes.
    expect(await ablationPlot(report)).toBe(svg);
  });
});

describe('linearScale', () => {
  it("widens the domain to ticks of 1, 2 or 5 times a power of ten, about ten of them, as d3's nice does", () => {
    const ticks = (values: number[], opts?: { zero?: boolean; padding?: number }) => linearScale(values, 0, 300, opts).ticks;
    expect(ticks([0, 80])).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80]);
    expect(ticks([0, 72])).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80]);
    expect(ticks([57.6, 81.2])).toEqual([56, 58, 60, 62, 64, 66, 68, 70, 72, 74, 76, 78, 80, 82]);
    expect(ticks([0.13, 0.41])).toEqual([0.12, 0.14, 0.16, 0.18, 0.2, 0.22, 0.24, 0.26, 0.28, 0.3, 0.32, 0.34, 0.36, 0.38, 0.4, 0.42]);
    expect(ticks([5, 9], { zero: true })).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(ticks([50, 50])).toEqual([49, 49.2, 49.4, 49.6, 49.8, 50, 50.2, 50.4, 50.6, 50.8, 51]);
    const s = linearScale([10, 20], 300, 0);
    expect([s.at(10), s.at(15), s.at(20)]).toEqual([300, 150, 0]);
    expect(s.label(12)).toBe('12');
    // 12 px of room each side of [60, 80] on 300 px: 20 / 276 * 12 = 0.87 F1, then to whole ticks
    expect(ticks([60, 80], { padding: 12 })).toEqual([58, 60, 62, 64, 66, 68, 70, 72, 74, 76, 78, 80, 82]);
  });
});

describe('lab ablation (CLI)', () => {
  it('writes the report, the SVG and the Markdown; a bad row writes nothing', async () => {
    const { dir, manifest } = await fixture();
    const out = join(dir, 'out');
    // lab ablation once as a real process; the other runs in this process, faster
    const ok = await runLab(['ablation', '--runs', manifest, '--out', join(out, 'ablation.json'), '--plot', join(out, 'plot.svg'), '--markdown', join(out, 'table.md')]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(JSON.parse(await readFile(join(out, 'ablation.json'), 'utf8')).rows).toHaveLength(4);
    expect(await readFile(join(out, 'plot.svg'), 'utf8')).toContain(X_TITLE);
    expect(await readFile(join(out, 'table.md'), 'utf8')).toContain('| shipped | shipped |');

    const { dir: d2, manifest: bad } = await fixture([{ name: 'ok', group: 'size', eval: 'scratch/eval.json' }, { name: 'lost', group: 'size', eval: 'gone.json' }]);
    const failed = await runLabInProcess(['ablation', '--runs', bad, '--out', join(d2, 'out/ablation.json'), '--plot', join(d2, 'out/plot.svg')]);
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
    expect(mlm!.test!.microF1).toBe(ELECTRA.micro); // the earlier report's figures
    expect(mlm!.note).toBe('as it was');
    expect(mlm!.fineTune.minutes).toBe(45);
    expect(scratch!.carried).toBeUndefined();
    expect(scratch!.test!.microF1).toBe(SCRATCH.micro);
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
    expect(report.rows[1]!.test!.microF1).toBe(ELECTRA.micro); // not mlm/eval.json's, which is there
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
    expect(twice.rows[1]!.test!.microF1).toBe(ELECTRA.micro);
  });

  it('rebuilds a row whose files are all there, even when the earlier report has it', async () => {
    const { dir, manifest } = await fixture([
      { name: 'scratch', group: 'pretraining', eval: 'scratch/eval.json', train: 'scratch/train.json' },
      { name: 'mlm 3M', group: 'pretraining', encoder: 'enc-mlm', eval: 'mlm/eval.json' },
    ]);
    const previous = await previousReport(dir);
    const report = await buildAblation(manifest, { previous: previous.path });
    expect(report.rows.map((r) => r.carried)).toEqual([undefined, undefined]);
    expect(report.rows[0]!.test!.microF1).toBe(SCRATCH.micro);
    expect(report.rows[0]!.note).toBeUndefined();
    expect(report.rows[1]!.test!.microF1).toBe(MLM.micro);
    expect(previous.report.rows[1]!.test!.microF1).toBe(ELECTRA.micro); // what carrying would have given
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
      new FinerError(`${path}: rows[0].group: expected a string, found nothing (expected the earlier ablation report (ablation.json of lab ablation) to carry rows from)`),
    );
    await expect(buildAblation(manifest, { previous: join(dir, 'none.json') })).rejects.toThrow(/none\.json: missing; expected the earlier ablation report/);
    // Read only when a row needs it: a report whose rows are all there is built whatever the earlier file holds.
    const { manifest: complete } = await fixture([{ name: 'scratch', group: 'pretraining', eval: 'scratch/eval.json' }]);
    await writeFile(path, 'not JSON');
    expect((await buildAblation(complete, { previous: path })).rows[0]!.test!.microF1).toBe(SCRATCH.micro);
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

describe('lab ablation --previous --keep (CLI)', () => {
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
    const run = await runLabInProcess(['ablation', '--runs', manifest, '--out', out, '--plot', join(dir, 'out/plot.svg'), '--keep', kept]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`lab: ${manifest}: row 2 "mlm 3M": gone/eval.json missing; its figures are carried from ${out} (2026-01-02T03:04:05.000Z)\n`);
    const report = JSON.parse(await readFile(out, 'utf8')) as AblationReport;
    expect(report.rows.map((r) => r.carried?.from ?? null)).toEqual([null, out, null]);
    expect(report.rows[1]!.test!.microF1).toBe(ELECTRA.micro);
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
    const failed = await runLabInProcess(['ablation', '--runs', bad, '--previous', previous.path, '--out', join(d2, 'out/ablation.json'), '--plot', join(d2, 'out/plot.svg'), '--keep', join(d2, 'kept')]);
    expectOneLineError(failed, /row 2 "lost": .*gone\.json: missing; .*previous\.json has no row "lost" to carry/);
    expect(existsSync(join(d2, 'out'))).toBe(false);
    expect(existsSync(join(d2, 'kept'))).toBe(false);
  });
});

/** The 139 tags' BIO labels as a 139-tag train.json lists them: O, then B- and I- of each tag. */
const LABELS_139 = ['O', ...Array.from({ length: 139 }, (_, i) => [`B-Tag${i}`, `I-Tag${i}`]).flat()];

/** A 139-tag stage's train.json: its validation entity F1 per evaluation, in order (null: an evaluation without F1). */
const stage139Json = (f1s: (number | null)[], labels: string[] = LABELS_139) => ({
  ...trainJson,
  labels,
  epochs: 2,
  wallSeconds: 775.5,
  evals: f1s.map((f1, i) => ({ step: 712 * (i + 1), epoch: i + 1, loss: 0.1, accuracy: 0.97, tokens: 113242, ...(f1 === null ? {} : { f1 }) })),
  best: null,
});

// The best of each stage is not its last evaluation.
const STAGE_3M = [0.4782282282282283, 0.6030173903028907, 0.5912];
const STAGE_8M = [0.51, 0.6221234567];
const STAGE_SCRATCH = [0.3111, 0.4522222];

/**
 * The fixture, plus the 139-tag stages of a staged recipe: from the 2.97 M encoder, from an 8.13 M one, and from
 * random weights (the last never fine-tuned on the 4 types: no eval.json).
 */
async function stagedFixture(rows?: unknown[]): Promise<{ dir: string; manifest: string }> {
  const staged = rows ?? [
    { name: 'scratch', group: 'pretraining', eval: 'scratch/eval.json', train: 'scratch/train.json' },
    // Listed out of the order of their sub-tokens: the line goes by sub-tokens.
    { name: 'staged 8M', group: 'stages', series: 'staged', encoder: 'enc-8m', eval: 'mlm/eval.json', stage139: 's8/train.json' },
    { name: 'staged 3M', group: 'stages', series: 'staged', encoder: 'enc-mlm', eval: 'electra/eval.json', stage139: 's3/train.json' },
    { name: '139-tag stage alone', group: 'stages', series: 'staged', stage139: 's0/train.json', fineTune: '139 tags, 2 epochs' },
    { name: 'mlm 3M', group: 'pretraining', encoder: 'enc-mlm', eval: 'mlm/eval.json' },
    { name: 'alone', group: 'size', inPlot: true, eval: 'scratch/eval.json' },
    { name: 'not plotted', group: 'shipped', eval: 'mlm/eval.json', stage139: 's3/train.json' },
  ];
  const { dir, manifest } = await fixture(staged);
  await writeJson(join(dir, 'enc-8m/pretraining.json'), pretrainingJson('mlm', 8_130_000, 60));
  await writeJson(join(dir, 's3/train.json'), stage139Json(STAGE_3M));
  await writeJson(join(dir, 's8/train.json'), stage139Json(STAGE_8M));
  await writeJson(join(dir, 's0/train.json'), stage139Json(STAGE_SCRATCH));
  return { dir, manifest };
}

describe('stage139: the 139-tag stage of a staged model', () => {
  it("reads the stage's train.json: the best validation entity F1 over its evaluations (not the last), epochs, minutes, tags", async () => {
    const report = await buildAblation((await stagedFixture()).manifest);
    const byName = new Map(report.rows.map((r) => [r.name, r]));
    expect(byName.get('staged 3M')!.stage139).toEqual({ validationF1: 0.6030173903028907, epochs: 2, minutes: 775.5 / 60, labels: 139 });
    expect(byName.get('staged 8M')!.stage139!.validationF1).toBe(0.6221234567);
    expect(byName.get('staged 3M')!.files).toEqual({ eval: 'electra/eval.json', encoder: 'enc-mlm', stage139: 's3/train.json' });
    expect(byName.get('scratch')!.stage139).toBeUndefined();
    expect('stage139' in byName.get('scratch')!).toBe(false);
    // Written and read back by the dashboard's parser.
    const json = JSON.parse(JSON.stringify(report));
    expect(parseAblationReport(json, 'ablation.json')).toEqual(json);
  });

  it('ignores evaluations without F1 and leaves out the tags when train.json names none; refuses a stage without any F1', async () => {
    const { dir, manifest } = await stagedFixture([{ name: 'x', group: 'stages', stage139: 's/train.json' }]);
    await writeJson(join(dir, 's/train.json'), stage139Json([null, 0.25, null], ['O']));
    expect((await buildAblation(manifest)).rows[0]!.stage139).toEqual({ validationF1: 0.25, epochs: 2, minutes: 775.5 / 60 });
    await writeJson(join(dir, 's/train.json'), stage139Json([null, null]));
    await expect(buildAblation(manifest)).rejects.toThrow(
      new FinerError(
        `${manifest}: row 1 "x": ${join(dir, 's/train.json')}: no evaluation with an entity F1 (evals[].f1, 2 evaluations); ` +
          "expected the 139-tag stage's training report (train.json of finer train --report on the 139 FiNER tags), evaluated on its validation split",
      ),
    );
    await writeJson(join(dir, 's/train.json'), evalJson(MLM.perType, MLM.micro, null));
    await expect(buildAblation(manifest)).rejects.toThrow(/row 1 "x": .*s\/train\.json: model: expected the model shape \(expected the 139-tag stage's training report/);
  });

  it('carries a row whose stage139 file is missing from the earlier report, or names the file when none holds the row', async () => {
    const { dir, manifest } = await stagedFixture([
      { name: 'staged 3M', group: 'stages', encoder: 'enc-mlm', eval: 'mlm/eval.json', stage139: 's3/train.json', note: 'as it was' },
    ]);
    const earlier = await buildAblation(manifest, { now: new Date('2026-01-02T03:04:05Z') });
    const previous = join(dir, 'previous.json');
    await writeJson(previous, earlier);
    await writeJson(manifest, { rows: [{ name: 'staged 3M', group: 'stages', encoder: 'enc-mlm', eval: 'mlm/eval.json', stage139: 'gone/train.json' }] });
    const report = await buildAblation(manifest, { previous });
    expect(report.rows[0]!.carried).toEqual({ from: previous, date: '2026-01-02T03:04:05.000Z', missing: ['gone/train.json'] });
    expect(report.rows[0]!.stage139!.validationF1).toBe(0.6030173903028907);
    expect(report.rows[0]!.note).toBe('as it was');
    const err = await buildAblation(manifest).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FinerError);
    expect((err as Error).message).toBe(
      `${manifest}: row 1 "staged 3M": ${join(dir, 'gone/train.json')}: missing; expected the 139-tag stage's training report ` +
        '(train.json of finer train --report on the 139 FiNER tags); and no earlier report to carry the row from (--previous)',
    );
  });
});

describe('a row of the 139-tag stage alone (no eval.json)', () => {
  it('has no test figures in the report, "–" cells in the Markdown, and only its 139-tag point in the plot', async () => {
    const report = await buildAblation((await stagedFixture()).manifest);
    const alone = report.rows.find((r) => r.name === '139-tag stage alone')!;
    expect(alone.test).toBeNull();
    expect(alone.finerSample).toBeNull();
    expect(alone.stage139!.validationF1).toBe(0.4522222);
    expect(alone.files).toEqual({ stage139: 's0/train.json' });
    expect(alone.inPlot).toBe(true);
    expect(report.types).toEqual(TYPES);

    const md = ablationMarkdown(report).split('\n').filter((l) => l.startsWith('|'));
    expect(md.find((l) => l.startsWith('| 139-tag stage alone '))).toBe('| 139-tag stage alone | stages |  | none (random init) | 139 tags, 2 epochs | – | – | – | – | – | – | 45.2 | – |  |');
    expect(md.find((l) => l.startsWith('| staged 3M '))).toBe('| staged 3M | stages |  | mlm, 2.97M sub-tokens, 0.35 h | – | 91.0 | 72.0 | 81.0 | 51.0 | 76.5 | – | 60.3 | – |  |');

    expect(plotPoints(report).filter((p) => p.name === '139-tag stage alone').map((p) => [p.metric, p.x, p.f1])).toEqual([[STAGE139_METRIC, 0, 100 * 0.4522222]]);
  });

  it('takes the entity types from the first row with a test split', async () => {
    const { manifest } = await stagedFixture([
      { name: 'alone', group: 'stages', stage139: 's0/train.json' },
      { name: 'scratch', group: 'pretraining', eval: 'scratch/eval.json' },
    ]);
    const report = await buildAblation(manifest);
    expect(report.types).toEqual(TYPES);
    expect(report.rows.map((r) => r.test?.microF1 ?? null)).toEqual([null, SCRATCH.micro]);
    const { manifest: only } = await stagedFixture([{ name: 'alone', group: 'stages', stage139: 's0/train.json' }]);
    expect((await buildAblation(only)).types).toEqual([]);
  });

  it('refuses a row with neither eval nor stage139, a train.json without eval, and a bad series', async () => {
    const bad = async (row: unknown) => buildAblation((await stagedFixture([row])).manifest);
    await expect(bad({ name: 'x', group: 'stages' })).rejects.toThrow(/rows\[0\] "x": field "eval" = missing; expected a non-empty string \(or "stage139", in a row of the 139-tag stage alone\)$/);
    await expect(bad({ name: 'x', group: 'stages', stage139: 's0/train.json', train: 'scratch/train.json' })).rejects.toThrow(/rows\[0\] "x": field "train" without "eval"/);
    await expect(bad({ name: 'x', group: 'stages', stage139: 7 })).rejects.toThrow(/rows\[0\] "x": field "stage139" = 7; expected a non-empty string/);
    await expect(bad({ name: 'x', group: 'stages', eval: 'scratch/eval.json', series: '' })).rejects.toThrow(/field "series" = ""; expected a non-empty string/);
    await expect(bad({ name: 'x', group: 'stages', eval: 'scratch/eval.json', series: 'a'.repeat(37) })).rejects.toThrow(/field "series" = "a{37}" \(37 characters\); expected at most 36: it is a label of the plot's legend/);
  });
});

describe('plot series', () => {
  it('joins the rows of one series by a line per metric, in the order of their sub-tokens; group "pretraining" is the default series', async () => {
    const report = await buildAblation((await stagedFixture()).manifest);
    const points = plotPoints(report);
    const at = (p: { name: string; x: number }) => `${p.name} @${p.x}`;
    expect(points.map((p) => [p.name, p.metric, p.series])).toEqual([
      ['scratch', TEST_METRIC, DEFAULT_SERIES], ['scratch', SAMPLE_METRIC, DEFAULT_SERIES],
      ['staged 8M', TEST_METRIC, 'staged'], ['staged 8M', SAMPLE_METRIC, 'staged'], ['staged 8M', STAGE139_METRIC, 'staged'],
      ['staged 3M', TEST_METRIC, 'staged'], ['staged 3M', STAGE139_METRIC, 'staged'], // no FiNER sample in its eval.json
      ['139-tag stage alone', STAGE139_METRIC, 'staged'],
      ['mlm 3M', TEST_METRIC, DEFAULT_SERIES], ['mlm 3M', SAMPLE_METRIC, DEFAULT_SERIES],
      ['alone', TEST_METRIC, null], ['alone', SAMPLE_METRIC, null], // inPlot without a series: points alone
    ]);
    expect(plotLines(points).map((l) => [l.series, l.metric, l.points.map(at)])).toEqual([
      [DEFAULT_SERIES, TEST_METRIC, ['scratch @0', 'mlm 3M @2.97']],
      [DEFAULT_SERIES, SAMPLE_METRIC, ['scratch @0', 'mlm 3M @2.97']],
      ['staged', TEST_METRIC, ['staged 3M @2.97', 'staged 8M @8.13']],
      // ['staged', SAMPLE_METRIC]: one point, no line
      ['staged', STAGE139_METRIC, ['139-tag stage alone @0', 'staged 3M @2.97', 'staged 8M @8.13']],
    ]);
    // The SVG draws those lines, each left to right.
    const svg = await ablationPlot(report);
    const lines = svgLines(svg);
    expect(lines.map((l) => l.label)).toEqual([
      `${DEFAULT_SERIES}: ${TEST_METRIC}`, `${DEFAULT_SERIES}: ${SAMPLE_METRIC}`, `staged: ${TEST_METRIC}`, `staged: ${STAGE139_METRIC}`,
    ]);
    expect(lines.map((l) => l.xs.length)).toEqual([2, 2, 2, 3]);
    for (const l of lines) expect(l.xs).toEqual([...l.xs].sort((a, b) => a - b));
    expect(lines[0]!.xs[0]).toBe(0);
    expect(svg).toContain(`aria-label="139-tag stage alone: 45.2% (${STAGE139_METRIC})"`);
    expect(svg).toContain('aria-label="Recipe (line): 3-epoch fine-tune, staged"');
    expect(svg).toContain(`aria-label="F1 on (colour): ${TEST_METRIC}, ${SAMPLE_METRIC}, ${STAGE139_METRIC}"`);
    expect(svg).toContain('aria-label="Objective (symbol): MLM, ELECTRA"');
    expectOnAxes(svg, points);
    // A line goes through its points: the path's corners are the points' places.
    const drawn = svgPoints(svg);
    const staged139 = svg.match(new RegExp(`aria-label="staged: ${STAGE139_METRIC}" d="([^"]*)"`))![1]!;
    const corners = plotLines(points)[3]!.points.map((p) => drawn[points.indexOf(p)]!).map((d) => `${d.x},${d.y}`);
    expect(staged139).toBe(`M${corners.join('L')}`);
  });

  it('puts rows of group "pretraining" with their own series on that series, and keeps ELECTRA off the default one', async () => {
    const { manifest } = await stagedFixture([
      { name: 'scratch', group: 'pretraining', eval: 'scratch/eval.json', series: 'other' },
      { name: 'mlm 3M', group: 'pretraining', encoder: 'enc-mlm', eval: 'mlm/eval.json', series: 'other' },
      { name: 'electra', group: 'pretraining', encoder: 'enc-electra', eval: 'electra/eval.json' },
      { name: 'electra on a series', group: 'objective', encoder: 'enc-electra', eval: 'electra/eval.json', series: 'other' },
    ]);
    const points = plotPoints(await buildAblation(manifest));
    expect(points.filter((p) => p.metric === TEST_METRIC).map((p) => [p.name, p.series, p.objective])).toEqual([
      ['scratch', 'other', 'MLM'], ['mlm 3M', 'other', 'MLM'], ['electra', null, 'ELECTRA'], ['electra on a series', 'other', 'ELECTRA'],
    ]);
    expect(plotLines(points).map((l) => [l.series, l.metric, l.points.map((p) => p.name)])).toEqual([
      ['other', TEST_METRIC, ['scratch', 'electra on a series', 'mlm 3M']],
      ['other', SAMPLE_METRIC, ['scratch', 'mlm 3M']],
    ]);
  });

  it("gives a carried row today's manifest's series", async () => {
    const { dir, manifest } = await stagedFixture([{ name: 'staged 3M', group: 'stages', encoder: 'enc-mlm', eval: 'mlm/eval.json', stage139: 's3/train.json' }]);
    const previous = join(dir, 'previous.json');
    const earlier = await buildAblation(manifest);
    expect(earlier.rows[0]!.inPlot).toBe(false);
    await writeJson(previous, earlier);
    await writeJson(manifest, { rows: [{ name: 'staged 3M', group: 'stages', series: 'staged', encoder: 'enc-mlm', eval: 'gone/eval.json', stage139: 's3/train.json' }] });
    const carried = (await buildAblation(manifest, { previous })).rows[0]!;
    expect([carried.carried?.missing, carried.series, carried.inPlot]).toEqual([['gone/eval.json'], 'staged', true]);
  });
});

describe('parseAblationReport: stage139, series, a row without a test split', () => {
  const TEST = { dataset: 't', perTypeF1: {}, microF1: 0.5, precision: 0.5, recall: 0.5 };
  const withRow = (fields: Record<string, unknown>) => ({
    schema: 1, date: 'd', manifest: 'm', types: [],
    rows: [{ name: 'r', group: 'g', pretraining: null, fineTune: {}, test: TEST, finerSample: null, files: { eval: 'e.json' }, ...fields }],
  });
  const parse = (fields: Record<string, unknown>) => parseAblationReport(withRow(fields), 'ablation.json').rows[0]!;

  it('accepts a row with stage139 and a series, and one of the 139-tag stage alone (test null, no eval)', () => {
    const stage139 = { validationF1: 0.603, epochs: 2, minutes: 12.9, labels: 139 };
    expect(parse({ stage139, series: 's' })).toMatchObject({ stage139, series: 's', test: TEST });
    expect(parse({ stage139: { validationF1: 0.603, epochs: 2 } }).stage139).toEqual({ validationF1: 0.603, epochs: 2 });
    const alone = parse({ test: null, stage139, files: { stage139: 's.json' } });
    expect(alone.test).toBeNull();
    expect(alone.files).toEqual({ stage139: 's.json' });
    const plain = parse({});
    expect('stage139' in plain || 'series' in plain).toBe(false);
  });

  it('rejects a malformed one, naming the field', () => {
    const bad = (fields: Record<string, unknown>) => () => parse(fields);
    expect(bad({ stage139: { validationF1: 'x', epochs: 2 } })).toThrow(new ReportError('ablation.json: rows[0].stage139.validationF1: expected a number, found "x"'));
    expect(bad({ stage139: { validationF1: 0.6 } })).toThrow(new ReportError('ablation.json: rows[0].stage139.epochs: expected a number, found nothing'));
    expect(bad({ stage139: { validationF1: 60.3, epochs: 2 } })).toThrow(new ReportError('ablation.json: rows[0].stage139.validationF1: expected an F1 between 0 and 1, found 60.3'));
    expect(bad({ stage139: { validationF1: 0.6, epochs: 2, labels: -1 } })).toThrow(/^ablation\.json: rows\[0\]\.stage139\.labels: expected a count/);
    expect(bad({ stage139: { validationF1: 0.6, epochs: 2, minutes: '12' } })).toThrow(/^ablation\.json: rows\[0\]\.stage139\.minutes: expected a number/);
    expect(bad({ stage139: 0.6 })).toThrow(/^ablation\.json: rows\[0\]\.stage139: expected \{validationF1, epochs, minutes\?, labels\?\}/);
    expect(bad({ series: 3 })).toThrow(new ReportError('ablation.json: rows[0].series: expected a string, found 3'));
    expect(bad({ test: null })).toThrow(/^ablation\.json: rows\[0\]\.test: null in a row without stage139/);
    expect(bad({ files: { stage139: 's.json' } })).toThrow(new ReportError('ablation.json: rows[0].files.eval: expected a string, found nothing'));
    expect(bad({ test: undefined })).toThrow(/^ablation\.json: rows\[0\]\.test: expected \{dataset, perTypeF1/);
  });
});

describe('the labelled-data curve: rows with labelled', () => {
  // Two seeds at 50 and 100 train companies, listed out of order.
  const CURVE = [
    { name: 'c100 s7', group: 'labelled data', series: 'seed 7', encoder: 'enc-mlm', eval: 'mlm/eval.json', labelled: { companies: 100, targetSentences: 900 } },
    { name: 'c50 s7', group: 'labelled data', series: 'seed 7', encoder: 'enc-mlm', eval: 'scratch/eval.json', labelled: { companies: 50, targetSentences: 450 } },
    { name: 'c50 s42', group: 'labelled data', series: 'seed 42', encoder: 'enc-mlm', eval: 'electra/eval.json', labelled: { companies: 50, targetSentences: 440 } },
    { name: 'c100 s42, also in the pretraining plot', group: 'seed', series: 'seed 42', inPlot: true, encoder: 'enc-mlm', eval: 'mlm/eval.json', labelled: { companies: 100, targetSentences: 900 } },
    { name: 'scratch', group: 'pretraining', eval: 'scratch/eval.json' },
  ];

  it('plots them against train companies, a line per series, and keeps them out of the pretraining plot unless flagged', async () => {
    const { manifest } = await fixture(CURVE);
    const report = await buildAblation(manifest);
    expect(report.rows.map((r) => r.labelled?.companies)).toEqual([100, 50, 50, 100, undefined]);
    expect(report.rows.map((r) => r.inPlot)).toEqual([false, false, false, true, true]);
    const points = labelledPoints(report);
    // electra/eval.json has no FiNER sample: a test point only
    expect(points.map((p) => [p.name, p.metric, p.series, p.x])).toEqual([
      ['c100 s7', TEST_METRIC, 'seed 7', 100], ['c100 s7', SAMPLE_METRIC, 'seed 7', 100],
      ['c50 s7', TEST_METRIC, 'seed 7', 50], ['c50 s7', SAMPLE_METRIC, 'seed 7', 50],
      ['c50 s42', TEST_METRIC, 'seed 42', 50],
      ['c100 s42, also in the pretraining plot', TEST_METRIC, 'seed 42', 100], ['c100 s42, also in the pretraining plot', SAMPLE_METRIC, 'seed 42', 100],
    ]);
    expect(plotPoints(report).map((p) => p.name)).toEqual(['c100 s42, also in the pretraining plot', 'c100 s42, also in the pretraining plot', 'scratch', 'scratch']);
    const svg = (await labelledPlot(report))!;
    expect(svg).toContain(LABELLED_X_TITLE);
    expect(svg).toContain('Micro F1 vs labelled training data');
    expect(svg).not.toContain('Objective (symbol)');
    // seed 7: a line per metric, left to right; seed 42: a test line (its sample has one point)
    const lines = svgLines(svg);
    expect(lines.map((l) => l.label)).toEqual([`seed 7: ${TEST_METRIC}`, `seed 7: ${SAMPLE_METRIC}`, `seed 42: ${TEST_METRIC}`]);
    for (const l of lines) expect(l.xs[0]).toBeLessThan(l.xs[1]!);
    expect(svg).toContain(`aria-label="c50 s7: ${(100 * SCRATCH.micro).toFixed(1)}% (${TEST_METRIC})"`);
    // the log axis is ticked at the points' own companies, 50 and 100 a log apart
    expect(svgTicks(svg, 'x').map((t) => t.label)).toEqual(['50', '100']);
    const [t50, t100] = svgTicks(svg, 'x').map((t) => t.at);
    // the domain is 50 / 1.15 .. 100 * 1.15: 50 sits log(1.15) / log(2 * 1.15²) of the width in
    expect(t50! / FRAME.width).toBeCloseTo(Math.log(1.15) / Math.log(2 * 1.15 ** 2), 4);
    expect((t100! - t50!) / FRAME.width).toBeCloseTo(Math.log(2) / Math.log(2 * 1.15 ** 2), 4);
    expectOnAxes(svg, points, 'log');
    // written and read back by the dashboard's parser
    const json = JSON.parse(JSON.stringify(report));
    expect(parseAblationReport(json, 'ablation.json')).toEqual(json);
  });

  it('draws no labelled-data plot without such rows, and the CLI writes it only when there are', async () => {
    const { dir, manifest } = await fixture();
    expect(await labelledPlot(await buildAblation(manifest))).toBeUndefined();
    const run = await runLabInProcess(['ablation', '--runs', manifest, '--out', join(dir, 'o/a.json'), '--plot', join(dir, 'o/p.svg'), '--labelled-plot', join(dir, 'o/l.svg')]);
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, 'o/l.svg'))).toBe(false);
    const { dir: d2, manifest: m2 } = await fixture(CURVE);
    const ok = await runLabInProcess(['ablation', '--runs', m2, '--out', join(d2, 'o/a.json'), '--plot', join(d2, 'o/p.svg'), '--labelled-plot', join(d2, 'o/l.svg')]);
    expect(ok.stdout).toContain(`${join(d2, 'o/l.svg')} (7 points)`);
    expect(await readFile(join(d2, 'o/l.svg'), 'utf8')).toContain(LABELLED_X_TITLE);
  });

  it('rejects a malformed labelled in the manifest and in the report, naming the field', async () => {
    const bad = async (labelled: unknown) => buildAblation((await fixture([{ name: 'x', group: 'g', eval: 'scratch/eval.json', labelled }])).manifest);
    await expect(bad(50)).rejects.toThrow(/rows\[0\] "x": field "labelled" = 50; expected \{"companies": N, "targetSentences": N\}/);
    await expect(bad({ companies: 50 })).rejects.toThrow(/rows\[0\] "x": field "labelled.targetSentences" = missing; expected a whole number above 0/);
    await expect(bad({ companies: 0.5, targetSentences: 3 })).rejects.toThrow(/field "labelled.companies" = 0.5; expected a whole number above 0/);
    await expect(bad({ companies: 5, targetSentences: 3, seed: 7 })).rejects.toThrow(/field "labelled.seed" is unknown/);
    const report = (fields: unknown) => () =>
      parseAblationReport({ schema: 1, date: 'd', manifest: 'm', types: [], rows: [{ name: 'r', group: 'g', pretraining: null, fineTune: {}, test: { dataset: 't', perTypeF1: {}, microF1: 0.5, precision: 0.5, recall: 0.5 }, finerSample: null, files: { eval: 'e.json' }, labelled: fields }] }, 'ablation.json');
    expect(report({ companies: 0, targetSentences: 3 })).toThrow(new ReportError('ablation.json: rows[0].labelled.companies: expected a whole number above 0, found 0'));
    expect(report('50')).toThrow(/^ablation\.json: rows\[0\]\.labelled: expected \{companies, targetSentences\}/);
    expect(report({ companies: 5, targetSentences: 3 })().rows[0]!.labelled).toEqual({ companies: 5, targetSentences: 3 });
  });

  it("gives a carried row today's manifest's labelled", async () => {
    const { dir, manifest } = await fixture([{ name: 'c', group: 'g', eval: 'scratch/eval.json' }]);
    const previous = join(dir, 'previous.json');
    await writeJson(previous, await buildAblation(manifest));
    await writeJson(manifest, { rows: [{ name: 'c', group: 'g', series: 's', eval: 'gone/eval.json', labelled: { companies: 9, targetSentences: 90 } }] });
    const carried = (await buildAblation(manifest, { previous })).rows[0]!;
    expect([carried.carried?.missing, carried.labelled, carried.series, carried.inPlot]).toEqual([['gone/eval.json'], { companies: 9, targetSentences: 90 }, 's', false]);
  });
});

describe('--keep: the 139-tag stage', () => {
  it("copies a row's stage139 train.json to <dir>/<slug>/stage139.train.json, byte for byte", async () => {
    const { dir, manifest } = await stagedFixture([
      { name: 'staged 3M', group: 'stages', encoder: 'enc-mlm', eval: 'mlm/eval.json', train: 'scratch/train.json', stage139: 's3/train.json' },
      { name: '139-tag stage alone', group: 'stages', stage139: 's0/train.json' },
    ]);
    const kept = join(dir, 'kept');
    const files = await readKept(await buildAblation(manifest), manifest, kept);
    expect(files.map((f) => [f.row, f.to])).toEqual([
      ['staged 3M', join(kept, 'staged-3m/eval.json')],
      ['staged 3M', join(kept, 'staged-3m/train.json')],
      ['staged 3M', join(kept, 'staged-3m/stage139.train.json')],
      ['139-tag stage alone', join(kept, '139-tag-stage-alone/stage139.train.json')],
    ]);
    const lines = await writeKept(files, manifest);
    expect(lines[1]).toBe(`kept "139-tag stage alone": ${join(kept, '139-tag-stage-alone/stage139.train.json')} (from the manifest: "kept/139-tag-stage-alone/stage139.train.json")`);
    expect(await readFile(join(kept, 'staged-3m/stage139.train.json'), 'utf8')).toBe(await readFile(join(dir, 's3/train.json'), 'utf8'));
    expect(await readFile(join(kept, '139-tag-stage-alone/stage139.train.json'), 'utf8')).toBe(await readFile(join(dir, 's0/train.json'), 'utf8'));
    // The kept copy rebuilds the row.
    await writeJson(manifest, { rows: [{ name: 'alone again', group: 'stages', stage139: 'kept/139-tag-stage-alone/stage139.train.json' }] });
    expect((await buildAblation(manifest)).rows[0]!.stage139!.validationF1).toBe(0.4522222);
  });
});
