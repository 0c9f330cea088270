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
 * Written as plain SVG text (no chart library, no canvas): a fixed layout of
 * PLOT_WIDTH px, the plot area, its two axes, and the legends under it at
 * fixed places. The same report gives the same bytes: coordinates are
 * rounded to 2 decimals and nothing depends on the machine's fonts.
 */
import { PLOT_HEIGHT, PLOT_WIDTH, seriesOf, type AblationReport } from '@finer-lens/core/reports/ablation.ts';

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
/** The class of a point's SVG element: one per point, a path translated to the point. */
export const POINT_MARK = 'f1-point';
/** The class of a line's SVG element: one path per line (a series and a metric). */
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

/** The plot area inside the SVG, px: left and top margins (the title above, the y axis's labels left), its size. */
export const FRAME = { left: 64, top: 64, width: PLOT_WIDTH - 64 - 36, height: 300 } as const;
/** The y scale's room above the highest and below the lowest point, px (before rounding the domain to ticks). */
const Y_PADDING = 12;
/** The legends' rows: their entries under a title, the tallest of the three; a row beyond three makes the SVG taller by LEGEND_ROW. */
const LEGEND_ROW = 21;
/** The legends' top (their titles' baseline is 9 px lower), and the left of each, px from the plot area's top left. */
const LEGEND_TOP = FRAME.height + 56;
const LEGEND_LEFT = { colour: -30, objective: 215, series: 360, seriesAlone: 240 };
/** The symbols' areas, px² (a circle's diameter and a diamond's diagonal are the area's square root). */
const POINT_SIZE = { MLM: 80, ELECTRA: 150 } as const;
const FONT = 'font-family="sans-serif"';

/** A linear or log map from data to px; `ticks` are the values the axis labels. */
export interface Scale {
  at(v: number): number;
  ticks: number[];
  label(v: number): string;
}

/** d3's tick step for [lo, hi] and about `count` ticks: 1, 2 or 5 times a power of ten. */
function tickStep(lo: number, hi: number, count: number): number {
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  return power * (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1);
}

/** k * step without the float noise of 0.1 * 3 (a step below 1 is 1 / an integer). */
const times = (k: number, step: number): number => (step >= 1 ? k * step : k / Math.round(1 / step));

/**
 * A linear scale of [lo, hi] onto [from, to] px, its domain widened by `padding` px each side and
 * then to whole ticks (d3's `nice`, about ten ticks); `zero` keeps 0 in it.
 */
export function linearScale(values: readonly number[], from: number, to: number, { zero = false, padding = 0 } = {}): Scale {
  let lo = Math.min(...values, ...(zero ? [0] : []));
  let hi = Math.max(...values, ...(zero ? [0] : []));
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  const pad = ((hi - lo) * padding) / (Math.abs(to - from) - 2 * padding);
  [lo, hi] = [lo - pad, hi + pad];
  let step = tickStep(lo, hi, 10);
  for (let i = 0; i < 10; i++) {
    [lo, hi] = [times(Math.floor(lo / step), step), times(Math.ceil(hi / step), step)];
    const next = tickStep(lo, hi, 10);
    if (next === step) break;
    step = next;
  }
  const ticks: number[] = [];
  for (let k = Math.round(lo / step); times(k, step) <= hi + step / 1e6; k++) ticks.push(times(k, step));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return { at: (v) => from + ((v - lo) / (hi - lo)) * (to - from), ticks, label: (v) => v.toFixed(decimals) };
}

/** A log scale onto [from, to] px, 15% wider than the values each way, ticked at the values themselves (whole numbers, thousands with commas). */
export function logScale(values: readonly number[], from: number, to: number): Scale {
  const lo = Math.log(Math.min(...values) / 1.15);
  const hi = Math.log(Math.max(...values) * 1.15);
  return {
    at: (v) => from + ((Math.log(v) - lo) / (hi - lo)) * (to - from),
    ticks: [...new Set(values)].sort((a, b) => a - b),
    label: (v) => Math.round(v).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ','),
  };
}

/** A coordinate in the SVG: 2 decimals, no "-0". */
const px = (v: number): string => String(Math.round(v * 100) / 100 || 0);
const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const text = (x: number, y: number, s: string, attrs = ''): string => `<text x="${px(x)}" y="${px(y)}"${attrs ? ` ${attrs}` : ''}>${escape(s)}</text>`;

/** A symbol's path around (0, 0): a circle or a diamond of the given area. */
function symbolPath(objective: PlotPoint['objective'], size: number): string {
  const r = Math.sqrt(size) / 2;
  return objective === 'ELECTRA'
    ? `M${px(-r)},0L0,${px(-r)}L${px(r)},0L0,${px(r)}Z`
    : `M${px(r)},0A${px(r)},${px(r)},0,1,1,${px(-r)},0A${px(r)},${px(r)},0,1,1,${px(r)},0`;
}

/** A legend at (x, y): a bold title, then a row per entry, rowHeight px apart: its symbol at the row's left, its label from labelX. */
function legend(x: number, y: number, title: string, rowHeight: number, labelX: number, entries: { label: string; symbol: string }[]): string {
  const rows = entries.map((e, i) => `<g transform="translate(0,${17 + i * rowHeight})">${e.symbol}${text(labelX, 10, e.label)}</g>`);
  return `<g class="legend" aria-label="${escape(`${title}: ${entries.map((e) => e.label).join(', ')}`)}" transform="translate(${px(x)},${px(y)})" font-size="12">${text(0, 9, title, 'font-weight="bold"')}${rows.join('')}</g>`;
}

/**
 * The plot as an SVG document: PLOT_WIDTH x PLOT_HEIGHT px, taller by LEGEND_ROW per series beyond three.
 * Under the title, the plot area (FRAME) with its grid, axes, lines and points; under it the legends,
 * side by side: colour (metric), symbol (objective; not on the labelled-data plot) and dash (series).
 */
export function plotSvg(points: readonly PlotPoint[], axes: PlotAxis = PRETRAINING_AXIS): string {
  const present = METRICS.filter((m) => points.some((p) => p.metric === m));
  const metrics = present.length > 0 ? present : [...METRICS];
  const colour = (m: Metric): string => METRIC_COLOURS[METRICS.indexOf(m)]!;
  const series = seriesNames(points);
  const dash = (s: string): string => {
    const d = DASHES[series.indexOf(s) % DASHES.length]!;
    return d[1] === 0 ? '' : ` stroke-dasharray="${d.join(',')}"`;
  };
  const xs = points.map((p) => p.x);
  const f1s = points.map((p) => p.f1);
  const { width: w, height: h } = FRAME;
  const x = axes.xScale === 'log' && xs.length > 0 ? logScale(xs, 0, w) : linearScale(xs.length > 0 ? xs : [0, 1], 0, w, { zero: true });
  const y = linearScale(f1s.length > 0 ? f1s : [0, 100], h, 0, { padding: Y_PADDING });
  const svgHeight = PLOT_HEIGHT + LEGEND_ROW * (Math.max(3, metrics.length, series.length) - 3);

  const grid = [
    ...x.ticks.map((t) => `<line x1="${px(x.at(t))}" y1="0" x2="${px(x.at(t))}" y2="${h}"/>`),
    ...y.ticks.map((t) => `<line x1="0" y1="${px(y.at(t))}" x2="${w}" y2="${px(y.at(t))}"/>`),
  ];
  const xAxis = [
    `<line x1="0" y1="${h}" x2="${w}" y2="${h}" stroke="#888"/>`,
    ...x.ticks.map((t) => `<g class="tick" transform="translate(${px(x.at(t))},${h})"><line y2="5" stroke="#888"/>${text(0, 16, x.label(t), 'text-anchor="middle"')}</g>`),
    text(w / 2, h + 32, axes.xTitle, 'text-anchor="middle" font-size="13" font-weight="bold"'),
  ];
  const yAxis = [
    `<line x1="0" y1="0" x2="0" y2="${h}" stroke="#888"/>`,
    ...y.ticks.map((t) => `<g class="tick" transform="translate(0,${px(y.at(t))})"><line x2="-5" stroke="#888"/>${text(-7, 4, y.label(t), 'text-anchor="end"')}</g>`),
    `<text transform="translate(-33,${h / 2}) rotate(-90)" text-anchor="middle" font-size="13" font-weight="bold">${escape(Y_TITLE)}</text>`,
  ];
  const lines = plotLines(points).map((l) => {
    const d = l.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(x.at(p.x))},${px(y.at(p.f1))}`).join('');
    return `<path class="${LINE_MARK}" aria-label="${escape(`${l.series}: ${l.metric}`)}" d="${d}" stroke="${colour(l.metric)}"${dash(l.series)}/>`;
  });
  const marks = points.map(
    (p) =>
      `<path class="${POINT_MARK}" aria-label="${escape(`${p.name}: ${p.f1.toFixed(1)}% (${p.metric})`)}" transform="translate(${px(x.at(p.x))},${px(y.at(p.f1))})" ` +
      `d="${symbolPath(p.objective, POINT_SIZE[p.objective])}" fill="${colour(p.metric)}"/>`,
  );
  const circle = (fill: string): string => `<path transform="translate(6,6)" d="${symbolPath('MLM', 100)}" fill="${fill}"/>`;
  const legends = [
    legend(LEGEND_LEFT.colour, LEGEND_TOP, 'F1 on (colour)', 17, 16, metrics.map((m) => ({ label: m, symbol: circle(colour(m)) }))),
    ...(axes.objectiveLegend
      ? [legend(LEGEND_LEFT.objective, LEGEND_TOP, 'Objective (symbol)', 17, 16, (['MLM', 'ELECTRA'] as const).map((o) => ({ label: o, symbol: `<path transform="translate(6,6)" d="${symbolPath(o, 100)}" fill="none" stroke="#666" stroke-width="1.5"/>` })))]
      : []),
    ...(series.length > 0
      ? [
          legend(axes.objectiveLegend ? LEGEND_LEFT.series : LEGEND_LEFT.seriesAlone, LEGEND_TOP, axes.seriesTitle, LEGEND_ROW, 24, series.map((s) => ({
            label: s,
            symbol: `<line x1="0" y1="10" x2="18" y2="10" stroke="#444" stroke-width="2"${dash(s)}/>`,
          }))),
        ]
      : []),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PLOT_WIDTH}" height="${svgHeight}" viewBox="0 0 ${PLOT_WIDTH} ${svgHeight}" role="img" aria-label="${escape(axes.title)}" ${FONT} font-size="12">`,
    `<rect width="${PLOT_WIDTH}" height="${svgHeight}" fill="white"/>`,
    text(FRAME.left, FRAME.top - 27, axes.title, 'font-size="16" font-weight="bold"'),
    text(FRAME.left, FRAME.top - 12, axes.subtitle),
    `<g transform="translate(${FRAME.left},${FRAME.top})">`,
    `<g class="grid" stroke="#ddd" stroke-opacity="0.5">${grid.join('')}</g>`,
    `<g class="x-axis">${xAxis.join('')}</g>`,
    `<g class="y-axis">${yAxis.join('')}</g>`,
    `<g class="lines" fill="none" stroke-width="2" stroke-opacity="0.75">${lines.join('')}</g>`,
    `<g class="points" stroke="white" stroke-width="1">${marks.join('')}</g>`,
    ...legends,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}

/** The F1-vs-pretraining SVG. */
export async function ablationPlot(report: AblationReport): Promise<string> {
  return plotSvg(plotPoints(report));
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
  return points.length === 0 ? undefined : plotSvg(points, LABELLED_AXIS);
}
