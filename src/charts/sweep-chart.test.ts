// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { fallbackColors as colors } from './colors';
import { sweepChart, valueDomain } from './sweep-chart';

const svgOf = (chart: Element) => (chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg')!);

describe('sweepChart', () => {
  test('sweepChart(points) puts a tick at every batch size and one dot per finite point', () => {
    const chart = sweepChart(
      [
        { batchSize: 16, series: 'no BN', value: 0.97 },
        { batchSize: 32, series: 'no BN', value: 0.975 },
        { batchSize: 16, series: 'BN', value: 0.972 },
        { batchSize: 256, series: 'BN', value: Infinity },
      ],
      { colors, series: ['no BN', 'BN'], label: 'validation accuracy (%)', percent: true, batchSizes: [16, 32, 64, 128, 256], ariaLabel: 'Accuracy by batch size' },
    );
    const svg = svgOf(chart);
    const ticks = [...svg.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => t.textContent);
    expect(ticks).toEqual(['16', '32', '64', '128', '256']);
    expect(svg.querySelectorAll('g[aria-label="dot"] path, g[aria-label="dot"] circle')).toHaveLength(3);
  });

  test('sweepChart with one percent value keeps the point inside a readable axis', () => {
    const svg = svgOf(sweepChart([{ batchSize: 16, series: 'BN', value: 0.9038 }], { colors, series: ['BN'], label: 'accuracy (%)', percent: true, batchSizes: [16, 32], ariaLabel: 'x' }));
    const ticks = [...svg.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((t) => Number(t.textContent));
    expect(Math.min(...ticks)).toBeLessThan(90.38);
    expect(Math.max(...ticks)).toBeGreaterThan(90.38);
    expect(Math.max(...ticks) - Math.min(...ticks)).toBeLessThan(5);
  });

  test('sweepChart rejects non-integer batch sizes', () => {
    expect(() => sweepChart([], { colors, series: ['BN'], label: 's', batchSizes: [16, 0.5], ariaLabel: 'x' })).toThrow(/received \[16, 0.5\]/);
  });
});

describe('valueDomain', () => {
  test('widens a single value to a readable span and keeps a wide extent as it is', () => {
    expect(valueDomain([0.9], true)).toEqual([0.895, 0.905]);
    expect(valueDomain([2, 2], false)).toEqual([1.8, 2.2]);
    expect(valueDomain([0.8, 0.95], true)).toEqual([0.8, 0.95]);
    expect(valueDomain([], true)).toBeUndefined();
  });
});
