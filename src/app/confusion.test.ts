import { describe, expect, it } from 'vitest';
import { cellColours, cellContrast, cellText, heatCells } from './confusion.ts';

describe('heatCells', () => {
  it('gives each cell its count and its share of the gold row', () => {
    const cells = heatCells({ labels: ['O', 'A'], matrix: [[90, 10], [0, 0]] });
    expect(cells).toEqual([
      [{ count: 90, rowShare: 0.9 }, { count: 10, rowShare: 0.1 }],
      [{ count: 0, rowShare: 0 }, { count: 0, rowShare: 0 }],
    ]);
    expect(cellText(cells[0][0], 'counts')).toBe('90');
    expect(cellText(cells[0][1], 'rows')).toBe('10.0%');
    expect(cellText({ count: 50123, rowShare: 1 }, 'counts')).toBe('50,123');
  });

  it('keeps text readable on the colour', () => {
    expect(cellColours(0)).toEqual({ background: 'rgb(255, 255, 255)', color: '#1d2230' });
    expect(cellColours(1)).toEqual({ background: 'rgb(20, 50, 110)', color: '#ffffff' });
    for (let share = 0; share <= 1; share += 0.01) expect(cellContrast(share)).toBeGreaterThanOrEqual(4.5);
  });
});
