// @vitest-environment happy-dom
import { describe, expect, test, vi } from 'vitest';
import { fallbackColors as colors } from './colors';
import { heatGrid, heatStrip } from './heat-strip';

describe('heatGrid and heatStrip', () => {
  test('heatGrid(columns, rows) resamples each column onto the common value range, spreading a bin over the cells it overlaps', () => {
    const grid = heatGrid(
      [
        { step: 20, min: 0, max: 4, counts: [0, 3, 1, 0] },
        { step: 10, min: -4, max: 4, counts: [1, 1] },
      ],
      4,
    );
    expect(grid).toMatchObject({ columns: 2, rows: 4, x1: 10, x2: 30, y1: -4, y2: 4 });
    const at = (row: number, col: number) => grid.values[row * grid.columns + col];
    // Step 10: half the values in [-4, 0] (rows 0 and 1), half in [0, 4] (rows 2 and 3).
    expect([0, 1, 2, 3].map((r) => at(r, 0))).toEqual([0.25, 0.25, 0.25, 0.25]);
    // Step 20: bins [1, 2] (3 of 4) and [2, 3] (1 of 4) both fall in row 2 ([0, 2]) and row 3 ([2, 4]).
    expect(at(2, 1)).toBeCloseTo(0.75);
    expect(at(3, 1)).toBeCloseTo(0.25);
    expect(at(0, 1)).toBeNaN();
    let sum = 0;
    for (let r = 0; r < 4; r++) sum += at(r, 1) || 0;
    expect(sum).toBeCloseTo(1);
  });

  test('heatGrid keeps a constant column visible, handles no columns, and rejects a non-finite range or bad rows', () => {
    const grid = heatGrid([{ step: 0, min: 2, max: 2, counts: [0, 5, 0] }], 3);
    expect(grid.y2).toBeGreaterThan(grid.y1);
    expect([...grid.values].filter((v) => v === 1)).toHaveLength(1);
    expect(heatGrid([], 8).columns).toBe(0);
    expect(() => heatGrid([{ step: 3, min: NaN, max: 1, counts: [1] }], 4)).toThrow(/step 3 .* received \[NaN, 1\]/);
    expect(() => heatGrid([], 0)).toThrow(/received 0/);
  });

  test('heatStrip(columns) draws the grid as one raster image on named axes', () => {
    // happy-dom has no 2-D canvas; Plot's raster only needs these three calls.
    const context = { createImageData: (w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4) }), putImageData: vi.fn() };
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(context as unknown as CanvasRenderingContext2D);
    vi.spyOn(HTMLCanvasElement.prototype, 'toDataURL').mockReturnValue('data:image/png;base64,AAAA');
    const chart = heatStrip(
      [
        { step: 0, min: -1, max: 1, counts: [1, 2, 3, 0] },
        { step: 5, min: -2, max: 2, counts: [4, 0, 0, 4] },
      ],
      { colors, label: 'activation', ariaLabel: 'Activations over time', rows: 8 },
    );
    expect(chart.getAttribute('aria-label')).toBe('Activations over time');
    expect(chart.querySelectorAll('image')).toHaveLength(1);
    expect(context.putImageData).toHaveBeenCalledTimes(1);
    expect(chart.querySelectorAll('rect:not([aria-label="frame"])')).toHaveLength(0); // one image, not a rect per cell
    vi.restoreAllMocks();
  });
});
