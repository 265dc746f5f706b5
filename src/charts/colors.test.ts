// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fallbackColors, readChartColors } from './colors';

describe('chart colours', () => {
  it('readChartColors reads the --color-* custom properties', () => {
    const el = document.createElement('div');
    el.style.setProperty('--color-x', '#111111');
    el.style.setProperty('--color-series-2', '#222222');
    document.body.append(el);
    const colors = readChartColors(el);
    expect(colors.x).toBe('#111111');
    expect(colors.series[1]).toBe('#222222');
    expect(colors.y).toBe(fallbackColors.y);
    expect(colors.series).toHaveLength(6);
  });
});
