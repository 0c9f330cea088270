/**
 * The ablation's plot: micro F1 against pretraining sub-tokens, two series
 * (the test split's entity F1, the FiNER sample's labelled-token F1), for the
 * rows of group "pretraining" and those flagged inPlot; ELECTRA rows are
 * points of their own shape, not joined by the MLM line.
 *
 * Rendered by Vega in Node to a static SVG (no canvas, no browser): the spec
 * below is the whole chart, one data table of points, two scales per axis
 * and legend, a line per series and a symbol per point.
 */
import { parse, View, type Spec } from 'vega';
import type { AblationReport } from '../../../src/reports/ablation.ts';

export const X_TITLE = 'Pretraining sub-tokens, millions (0 = random init)';
export const Y_TITLE = 'Micro F1 (%)';
export const TEST_SERIES = 'Test split (entity F1)';
export const SAMPLE_SERIES = 'FiNER sample (token F1)';
/** The name of the symbol mark: one item (an SVG path) per point. */
export const POINT_MARK = 'f1-point';

/** One point of the plot. */
export interface PlotPoint {
  name: string;
  series: typeof TEST_SERIES | typeof SAMPLE_SERIES;
  objective: 'MLM' | 'ELECTRA';
  /** Pretraining sub-tokens, millions; 0 for a model trained from random weights. */
  x: number;
  /** Micro F1, percent. */
  f1: number;
}

export function plotPoints(report: AblationReport): PlotPoint[] {
  return report.rows
    .filter((r) => r.inPlot)
    .flatMap((r) => {
      const base = { name: r.name, objective: r.electra ? ('ELECTRA' as const) : ('MLM' as const), x: (r.pretraining?.subTokens ?? 0) / 1e6 };
      const points: PlotPoint[] = [{ ...base, series: TEST_SERIES, f1: 100 * r.test.microF1 }];
      if (r.finerSample) points.push({ ...base, series: SAMPLE_SERIES, f1: 100 * r.finerSample.microF1 });
      return points;
    });
}

/**
 * The Vega spec of the plot: 700 x 440 px, the legends to the right of the plot. The size is fixed
 * (autosize none): without a canvas Vega only estimates text widths, generously, and would pad the
 * SVG with blank space to fit them.
 */
export function plotSpec(points: readonly PlotPoint[]): Spec {
  const x = { scale: 'x', field: 'x' };
  const y = { scale: 'y', field: 'f1' };
  const axis = { titleFontSize: 13, labelFontSize: 12, grid: true, gridOpacity: 0.5 };
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width: 440,
    height: 320,
    autosize: 'none',
    padding: { left: 64, right: 196, top: 64, bottom: 48 },
    background: 'white',
    title: {
      text: 'Micro F1 vs pretraining budget',
      subtitle: 'finer-lens ablation: fine-tuned on the 4-entity train split, same protocol for every point',
      fontSize: 16,
      subtitleFontSize: 12,
      anchor: 'start',
      frame: 'group',
    },
    data: [
      { name: 'points', values: points.map((p) => ({ ...p })) },
      // The MLM points of each series, joined left to right; ELECTRA points stand alone.
      { name: 'mlm', source: 'points', transform: [{ type: 'filter', expr: "datum.objective === 'MLM'" }, { type: 'collect', sort: { field: 'x' } }] },
    ],
    scales: [
      { name: 'x', type: 'linear', domain: { data: 'points', field: 'x' }, range: 'width', zero: true, nice: true },
      { name: 'y', type: 'linear', domain: { data: 'points', field: 'f1' }, range: 'height', zero: false, nice: true, padding: 12 },
      { name: 'color', type: 'ordinal', domain: [TEST_SERIES, SAMPLE_SERIES], range: ['#2f6db5', '#c2620f'] },
      { name: 'shape', type: 'ordinal', domain: ['MLM', 'ELECTRA'], range: ['circle', 'diamond'] },
    ],
    axes: [
      { orient: 'bottom', scale: 'x', title: X_TITLE, ...axis },
      { orient: 'left', scale: 'y', title: Y_TITLE, ...axis },
    ],
    legends: [
      { fill: 'color', title: 'Micro F1 on', orient: 'right', titleFontSize: 12, labelFontSize: 12, labelLimit: 400, symbolType: 'circle' },
      { shape: 'shape', title: 'Pretraining', orient: 'right', titleFontSize: 12, labelFontSize: 12, labelLimit: 400 },
    ],
    marks: [
      {
        type: 'group',
        from: { facet: { name: 'series', data: 'mlm', groupby: 'series' } },
        marks: [
          {
            type: 'line',
            from: { data: 'series' },
            encode: { enter: { x, y, stroke: { scale: 'color', field: 'series' }, strokeWidth: { value: 2 }, strokeOpacity: { value: 0.7 } } },
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
            fill: { scale: 'color', field: 'series' },
            size: { signal: "datum.objective === 'ELECTRA' ? 150 : 80" },
            stroke: { value: 'white' },
            strokeWidth: { value: 1 },
            description: { signal: "datum.name + ': ' + format(datum.f1, '.1f') + '% (' + datum.series + ')'" },
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
