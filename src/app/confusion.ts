/**
 * The confusion matrix as the heatmap shows it: each cell's count, its share
 * of the gold row (what the colour shows in both modes, so the huge O row does
 * not wash out the rest), and the figure written in the cell.
 */
import type { ConfusionMatrix } from '@finer-lens/core/ner/metrics.ts';

export interface HeatCell {
  count: number;
  /** count / row total, 0 for an empty row. */
  rowShare: number;
}

export function heatCells(confusion: ConfusionMatrix): HeatCell[][] {
  return confusion.matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count) => ({ count, rowShare: total === 0 ? 0 : count / total }));
  });
}

/** The figure in a cell: the count, or the row share in percent. */
export function cellText(cell: HeatCell, mode: 'counts' | 'rows'): string {
  return mode === 'counts' ? cell.count.toLocaleString('en-US') : `${(cell.rowShare * 100).toFixed(1)}%`;
}

/** WCAG relative luminance of an sRGB colour (0-255 channels). */
function luminance([r, g, b]: readonly number[]): number {
  const lin = (c: number) => {
    const x = c / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}

const INK = [29, 34, 48];
const WHITE = [255, 255, 255];
const contrast = (a: number, b: number) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);

const mixRgb = (from: readonly number[], to: readonly number[], t: number) => from.map((c, i) => Math.round(c + (to[i]! - c) * t));

/**
 * Background of a cell by row share, and the text colour (ink or white) of
 * higher contrast. Two ramps, light (white to pale blue, ink text) below half
 * and dark (mid to dark blue, white text) above, skip the middle tones on
 * which neither text colour reaches a 4.5 contrast ratio.
 */
export function cellColours(rowShare: number): { background: string; color: string } {
  const t = Math.max(0, Math.min(1, rowShare));
  const bg = t < 0.5 ? mixRgb([255, 255, 255], [150, 180, 220], t * 2) : mixRgb([60, 100, 170], [20, 50, 110], (t - 0.5) * 2);
  const l = luminance(bg);
  const color = contrast(l, luminance(WHITE)) > contrast(l, luminance(INK)) ? '#ffffff' : '#1d2230';
  return { background: `rgb(${bg.join(', ')})`, color };
}

/** Contrast ratio of a cell's text on its background (for the test: WCAG AA wants 4.5). */
export function cellContrast(rowShare: number): number {
  const { background, color } = cellColours(rowShare);
  const bg = background.match(/\d+/g)!.map(Number);
  return contrast(luminance(bg), luminance(color === '#ffffff' ? WHITE : INK));
}
