/**
 * The ablation's plots. The first: F1 against pretraining sub-tokens, for the rows of
 * group "pretraining" and those flagged inPlot or on a series. Three metrics,
 * one colour each: the test split's entity F1, the FiNER sample's
 * labelled-token F1, and the 139-tag stage's validation entity F1 (rows with
 * stage139). The points of one series (a recipe: a row's `series`, or
 * DEFAULT_SERIES for the group "pretraining") are joined by a line per
 * metric, in the order of their sub-tokens, one stroke dash per series; other
 * points stand alone. ELECTRA rows are points of their own shape.
 *
 * The second: F1 against labelled train companies (log scale), for the rows
 * with `labelled` (the labelled-data curve), a line per series.
 *
 * Rendered by Vega in Node to a static SVG (no canvas, no browser): the spec
 * below is the whole chart, a data table of points and one of lines, and the
 * legends under the plot at fixed places.
 */
import { parse, View, type Spec } from 'vega';
import { PLOT_HEIGHT, PLOT_WIDTH, seriesOf, type AblationReport } from '../../../src/reports/ablation.ts';

/** A manifest row's say in whether it is a point of the F1-vs-pretraining plot. */
export interface PlotFlags {
  group: string;
  inPlot?: boolean;
  series?: string;
  labelled?: unknown;
}

/** A row of the F1-vs-pretraining plot: flagged inPlot, or (unless a point of the labelled-data curve) of group "pretraining", on a series, or ELECTRA. */
export const inPretrainingPlot = (m: PlotFlags, electra: boolean): boolean =>
  m.inPlot === true || (m.labelled === undefined && (m.group === 'pretraining' || m.series !== undefined || electra));

export const X_TITLE = 'Pretraining sub-tokens, millions (0 = random init)';
export const LABELLED_X_TITLE = 'Labelled train companies (log scale)';
export const Y_TITLE = 'Micro F1 (%)';
export const TEST_METRIC = 'Test split (4 types): entity F1';
export const SAMPLE_METRIC = 'FiNER sample: token F1';
export const STAGE139_METRIC = '139-tag stage: validation entity F1';
/** The metrics in the legend's order, and their colours. */
const METRICS = [TEST_METRIC, SAMPLE_METRIC, STAGE139_METRIC] as const;
const METRIC_COLOURS = ['#2f6db5', '#c2620f', '#2a8a4a'];
export type Metric = (typeof METRICS)[number];
/** The stroke dash of each series, in the order the series first appear in the report. */
const DASHES = [[1, 0], [7, 4], [2, 3], [10, 3, 2, 3], [4, 4, 1, 4]];
/** The longest series name the legend has room for (it is one label of it). */
export const SERIES_CHARS = 36;
/** The name of the symbol mark: one item (an SVG path) per point. */
export const POINT_MARK = 'f1-point';
/** The name of the line mark: one path per line (a series and a metric). */
export const LINE_MARK = 'f1-line';

/** One point of the plot. */
export interface PlotPoint {
  name: string;
  metric: Metric;
  /** The line the point is on (with the others of its metric); null: a point alone. */
  series: string | null;
  objective: 'MLM' | 'ELECTRA';
  /** Pretraining sub-tokens, millions; 0 for a model trained from random weights. */
  x: number;
  /** F1, percent. */
  f1: number;
}

/** The points of the plot, row by row in the report's order; a row without a test split (the 139-tag stage alone) has only its 139-tag point. */
export function plotPoints(report: AblationReport): PlotPoint[] {
  return report.rows
    .filter((r) => r.inPlot)
    .flatMap((r) => {
      const base = { name: r.name, series: seriesOf(r), objective: r.electra ? ('ELECTRA' as const) : ('MLM' as const), x: (r.pretraining?.subTokens ?? 0) / 1e6 };
      const points: PlotPoint[] = [];
      if (r.test) points.push({ ...base, metric: TEST_METRIC, f1: 100 * r.test.microF1 });
      if (r.finerSample) points.push({ ...base, metric: SAMPLE_METRIC, f1: 100 * r.finerSample.microF1 });
      if (r.stage139) points.push({ ...base, metric: STAGE139_METRIC, f1: 100 * r.stage139.validationF1 });
      return points;
    });
}

/** A line of the plot: the points of one series and metric, by sub-tokens (rows with the same sub-tokens in the report's order). */
export interface PlotLine {
  series: string;
  metric: Metric;
  points: PlotPoint[];
}

/** The lines of two points or more, series by series (in the order they first appear), then metric by metric. */
export function plotLines(points: readonly PlotPoint[]): PlotLine[] {
  const lines = new Map<string, PlotLine>();
  for (const series of seriesNames(points)) {
    for (const metric of METRICS) {
      const on = points.filter((p) => p.series === series && p.metric === metric);
      if (on.length >= 2) lines.set(JSON.stringify([series, metric]), { series, metric, points: [...on].sort((a, b) => a.x - b.x) }); // sort is stable
    }
  }
  return [...lines.values()];
}

/** The series of the points, in the order they first appear. */
export function seriesNames(points: readonly PlotPoint[]): string[] {
  return [...new Set(points.flatMap((p) => (p.series === null ? [] : [p.series])))];
}

/** The legends' rows: their entries under a title, the tallest of the three. */
const LEGEND_ROW = 21;
const legendRows = (metrics: number, series: number): number => Math.max(3, metrics, series);

/**
 * The Vega spec of the plot: PLOT_WIDTH x PLOT_HEIGHT px, taller by a legend row per series beyond
 * three; the legends under the plot, side by side at fixed places. The size is fixed (autosize none):
 * without a canvas Vega only estimates text widths, generously, and would pad the SVG with blank
 * space to fit them (and cut labels it thinks too long: hence the large labelLimit).
 */
/** What differs between the two plots: titles, the x axis, and whether the objective (symbol) has a legend. */
export interface PlotAxis {
  title: string;
  subtitle: string;
  xTitle: string;
  /** 'log': the ticks are the points' own x values. */
  xScale: 'linear' | 'log';
  objectiveLegend: boolean;
  /** The title of the legend of the lines (the series). */
  seriesTitle: string;
}

export const PRETRAINING_AXIS: PlotAxis = {
  title: 'Micro F1 vs pretraining budget',
  subtitle: 'finer-lens ablation: a line joins the rows of one recipe, in the order of their pretraining sub-tokens',
  xTitle: X_TITLE,
  xScale: 'linear',
  objectiveLegend: true,
  seriesTitle: 'Recipe (line)',
};

export const LABELLED_AXIS: PlotAxis = {
  title: 'Micro F1 vs labelled training data',
  subtitle: 'finer-lens ablation: the 4-type fine-tune on the labelled sentences of a share of the train companies; a line per run',
  xTitle: LABELLED_X_TITLE,
  xScale: 'log',
  objectiveLegend: false,
  seriesTitle: 'Run (line)',
};

export function plotSpec(points: readonly PlotPoint[], axes: PlotAxis = PRETRAINING_AXIS): Spec {
  const x = { scale: 'x', field: 'x' };
  const y = { scale: 'y', field: 'f1' };
  const axis = { titleFontSize: 13, labelFontSize: 12, grid: true, gridOpacity: 0.5 };
  const legend = { orient: 'none' as const, titleFontSize: 12, labelFontSize: 12, titleLimit: 1000, labelLimit: 1000, rowPadding: 5 };
  const present = METRICS.filter((m) => points.some((p) => p.metric === m));
  const metrics = present.length > 0 ? present : [...METRICS];
  const series = seriesNames(points);
  const lines = plotLines(points).flatMap((l, line) => l.points.map((p, order) => ({ ...p, line, order })));
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  const width = PLOT_WIDTH - 64 - 36;
  const height = 300;
  const legendY = { ...legend, legendY: height + 56 };
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width,
    height,
    autosize: 'none',
    padding: { left: 64, right: 36, top: 64, bottom: PLOT_HEIGHT - 64 - height + LEGEND_ROW * (legendRows(metrics.length, series.length) - 3) },
    background: 'white',
    title: {
      text: axes.title,
      subtitle: axes.subtitle,
      fontSize: 16,
      subtitleFontSize: 12,
      anchor: 'start',
      frame: 'group',
    },
    data: [
      { name: 'points', values: points.map((p) => ({ ...p })) },
      { name: 'lines', values: lines },
    ],
    scales: [
      axes.xScale === 'log'
        ? { name: 'x', type: 'log', domain: { data: 'points', field: 'x' }, range: 'width', zero: false, nice: false, domainMin: Math.min(...xs) / 1.15, domainMax: Math.max(...xs) * 1.15 }
        : { name: 'x', type: 'linear', domain: { data: 'points', field: 'x' }, range: 'width', zero: true, nice: true },
      { name: 'y', type: 'linear', domain: { data: 'points', field: 'f1' }, range: 'height', zero: false, nice: true, padding: 12 },
      { name: 'color', type: 'ordinal', domain: metrics, range: metrics.map((m) => METRIC_COLOURS[METRICS.indexOf(m)]!) },
      { name: 'dash', type: 'ordinal', domain: series.length > 0 ? series : ['none'], range: DASHES },
      { name: 'shape', type: 'ordinal', domain: ['MLM', 'ELECTRA'], range: ['circle', 'diamond'] },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: axes.xTitle, ...axis, ...(axes.xScale === 'log' ? { values: xs, format: ',d' } : {}) },
      { orient: 'left', scale: 'y', title: Y_TITLE, ...axis },
    ],
    legends: [
      { fill: 'color', title: 'F1 on (colour)', symbolType: 'circle', ...legendY, legendX: -30 },
      ...(axes.objectiveLegend ? [{ shape: 'shape', title: 'Objective (symbol)', ...legendY, legendX: 215 }] : []),
      ...(series.length > 0
        ? [{ strokeDash: 'dash', title: axes.seriesTitle, symbolType: 'stroke', symbolStrokeColor: '#444', symbolStrokeWidth: 2, symbolSize: 300, ...legendY, legendX: axes.objectiveLegend ? 360 : 240 }]
        : []),
    ],
    marks: [
      {
        type: 'group',
        from: { facet: { name: 'line', data: 'lines', groupby: 'line' } },
        marks: [
          {
            type: 'line',
            name: LINE_MARK,
            from: { data: 'line' },
            sort: { field: 'datum.order' },
            encode: {
              enter: {
                x,
                y,
                stroke: { scale: 'color', field: 'metric' },
                strokeDash: { scale: 'dash', field: 'series' },
                strokeWidth: { value: 2 },
                strokeOpacity: { value: 0.75 },
                description: { signal: "datum.series + ': ' + datum.metric" },
              },
            },
          },
        ],
      },
      {
        type: 'symbol',
        name: POINT_MARK,
        from: { data: 'points' },
        encode: {
          enter: {
            x,
            y,
            shape: { scale: 'shape', field: 'objective' },
            fill: { scale: 'color', field: 'metric' },
            size: { signal: "datum.objective === 'ELECTRA' ? 150 : 80" },
            stroke: { value: 'white' },
            strokeWidth: { value: 1 },
            description: { signal: "datum.name + ': ' + format(datum.f1, '.1f') + '% (' + datum.metric + ')'" },
          },
        },
      },
    ],
  };
}

/** Render the spec to an SVG document, headless (Vega's 'none' renderer; no canvas needed). */
export async function renderSvg(spec: Spec): Promise<string> {
  const view = new View(parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function ablationPlot(report: AblationReport): Promise<string> {
  return renderSvg(plotSpec(plotPoints(report)));
}

/**
 * The points of the labelled-data plot: the rows with `labelled` and a test split, x their train
 * companies, on the line of their `series` (or alone); test and FiNER-sample F1.
 */
export function labelledPoints(report: AblationReport): PlotPoint[] {
  return report.rows.flatMap((r) => {
    if (r.labelled === undefined || r.test === null) return [];
    const base = { name: r.name, series: r.series ?? null, objective: r.electra ? ('ELECTRA' as const) : ('MLM' as const), x: r.labelled.companies };
    const points: PlotPoint[] = [{ ...base, metric: TEST_METRIC, f1: 100 * r.test.microF1 }];
    if (r.finerSample) points.push({ ...base, metric: SAMPLE_METRIC, f1: 100 * r.finerSample.microF1 });
    return points;
  });
}

/** The F1-vs-labelled-data SVG; undefined when no row has `labelled`. */
export async function labelledPlot(report: AblationReport): Promise<string | undefined> {
  const points = labelledPoints(report);
  return points.length === 0 ? undefined : renderSvg(plotSpec(points, LABELLED_AXIS));
}
