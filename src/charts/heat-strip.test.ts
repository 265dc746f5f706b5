// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { fallbackColors as colors } from './colors';
import { heatCells, heatStrip } from './heat-strip';

const svgOf = (chart: Element) => (chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg')!);

describe('heatCells and heatStrip', () => {
  test('heatCells(columns) places each non-empty bin at its own edges with its share of the column', () => {
    const cells = heatCells([
      { step: 20, min: 0, max: 4, counts: [0, 3, 1, 0] },
      { step: 10, min: -1, max: 1, counts: [1, 1] },
    ]);
    expect(cells).toEqual([
      { x1: 10, x2: 20, y1: -1, y2: 0, share: 0.5 },
      { x1: 10, x2: 20, y1: 0, y2: 1, share: 0.5 },
      { x1: 20, x2: 30, y1: 1, y2: 2, share: 0.75 },
      { x1: 20, x2: 30, y1: 2, y2: 3, share: 0.25 },
    ]);
  });

  test('heatCells gives a constant column a visible sliver and rejects a non-finite range', () => {
    const [cell] = heatCells([{ step: 0, min: 2, max: 2, counts: [0, 5, 0] }]);
    expect(cell.y2).toBeGreaterThan(cell.y1);
    expect((cell.y1 + cell.y2) / 2).toBeLessThan(2.01);
    expect(() => heatCells([{ step: 3, min: NaN, max: 1, counts: [1] }])).toThrow(/step 3 .* received \[NaN, 1\]/);
  });

  test('heatStrip(columns) draws one rectangle per non-empty bin', () => {
    const chart = heatStrip(
      [
        { step: 0, min: -1, max: 1, counts: [1, 2, 3, 0] },
        { step: 5, min: -2, max: 2, counts: [4, 0, 0, 4] },
      ],
      { colors, label: 'activation', ariaLabel: 'Activations over time' },
    );
    expect(svgOf(chart).querySelectorAll('g[aria-label="rect"] rect')).toHaveLength(5);
    expect(svgOf(chart).getAttribute('aria-label')).toBe('Activations over time');
  });
});
