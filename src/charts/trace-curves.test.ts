// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { fallbackColors as colors } from './colors';
import { traceCurves, type TraceCurvePoint } from './trace-curves';

const svgOf = (chart: Element) => (chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg')!);

describe('traceCurves', () => {
  const points: TraceCurvePoint[] = [
    { run: 'Adam', epoch: 0.1, value: 15.4 },
    { run: 'Adam', epoch: 40, value: 24.6 },
    { run: 'Adam + L2', epoch: 0.1, value: 15.4 },
    { run: 'Adam + L2', epoch: 40, value: 10.9 },
    { run: 'Adam + L2', epoch: 41, value: NaN },
    { run: 'not listed', epoch: 1, value: 3 },
  ];

  test('traceCurves(points) draws one line per listed run, named for assistive technology, with the label on the y axis', () => {
    const chart = traceCurves(points, {
      colors,
      runs: ['Adam', 'Adam + L2'],
      label: 'weight norm',
      percent: false,
      epochs: 40,
      ariaLabel: 'Weight norm over training',
      ariaDescription: 'L2 ends lower',
    });
    const svg = svgOf(chart);
    expect(chart.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe('Weight norm over training');
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    expect(svg.textContent).toContain('weight norm');
    expect(svg.outerHTML).toContain(colors.series[1]);
    expect(svg.querySelector('.empty-note')).toBeNull();
  });

  test('traceCurves shows shares as percentages and an empty note before any point', () => {
    const chart = traceCurves([], { colors, runs: ['a'], label: 'dead units', percent: true, epochs: 3, ariaLabel: 'x' });
    const svg = svgOf(chart);
    expect(svg.textContent).toContain('dead units (%)');
    expect(svg.textContent).toContain('No run yet');
  });

  test('traceCurves rejects a bad epoch count or run list with the value received', () => {
    expect(() => traceCurves(points, { colors, runs: ['Adam'], label: 'x', percent: false, epochs: 0, ariaLabel: 'x' })).toThrow(
      'traceCurves: epochs must be an integer ≥ 1, received 0',
    );
    expect(() => traceCurves(points, { colors, runs: [], label: 'x', percent: false, epochs: 1, ariaLabel: 'x' })).toThrow(/received 0/);
  });
});
