// @vitest-environment happy-dom
import { describe, expect, test, vi } from 'vitest';
import { fallbackColors as colors } from './colors';
import { featureMapGrid } from './feature-map-grid';

describe('featureMapGrid(maps, options)', () => {
  test('draws one raster image per channel on a shared diverging scale, with the chart named', () => {
    const context = { createImageData: (w: number, h: number) => ({ data: new Uint8ClampedArray(w * h * 4) }), putImageData: vi.fn() };
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(context as unknown as CanvasRenderingContext2D);
    const maps = [new Float32Array([1, -2, 3, 0]), new Float32Array([0, 0, 0, 4])];
    const chart = featureMapGrid(maps, { colors, rows: 2, cols: 2, width: 300, ariaLabel: 'maps' });
    expect(chart.getAttribute('aria-label')).toBe('maps');
    expect(chart.getAttribute('role')).toBe('img');
    expect(chart.querySelectorAll('image')).toHaveLength(2);
  });

  test('rejects no maps, maps of the wrong size and a bad layout, naming what it received', () => {
    expect(() => featureMapGrid([], { colors, rows: 2, cols: 2, ariaLabel: 'x' })).toThrow(/received none/);
    expect(() => featureMapGrid([new Float32Array(3)], { colors, rows: 2, cols: 2, ariaLabel: 'x' })).toThrow(
      /rows·cols = 4 values, map 0 holds 3/,
    );
    expect(() => featureMapGrid([new Float32Array(4)], { colors, rows: 2, cols: 2, ariaLabel: 'x', perRow: 0 })).toThrow(/received 0/);
  });
});
