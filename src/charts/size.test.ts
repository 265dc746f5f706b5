import { describe, expect, it } from 'vitest';
import { chartShapes, fitChart, minChartWidth } from './size';

describe('fitChart(containerWidth, shape)', () => {
  it('fills the container (in 8 px steps) with a height that follows the width within limits', () => {
    expect(fitChart(805, chartShapes.wide)).toEqual({ width: 800, height: 340 });
    expect(fitChart(500, chartShapes.wide)).toEqual({ width: 496, height: 248 });
    expect(fitChart(300, chartShapes.compact)).toEqual({ width: 296, height: 160 });
  });

  it('never draws narrower than the minimum width', () => {
    expect(fitChart(100, chartShapes.compact).width).toBe(minChartWidth);
  });

  it('rejects a width that is not a finite number and an impossible shape', () => {
    expect(() => fitChart(Number.NaN, chartShapes.wide)).toThrow(/received NaN/);
    expect(() => fitChart(300, { aspect: 0.5, minHeight: 300, maxHeight: 200 })).toThrow(/minHeight ≤ maxHeight/);
  });
});
