// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { fallbackColors as colors } from './colors';
import { clipTraceChart } from './clip-trace';

const svgOf = (chart: Element) => (chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg')!);

describe('clipTraceChart', () => {
  const points = [1, 2, 3].map((step) => ({ step, before: step * 2, after: Math.min(step * 2, 3) }));

  test('draws the norm before and after clipping, and the global-norm threshold as a rule', () => {
    const svg = svgOf(clipTraceChart(points, { colors, threshold: 3, ariaLabel: 'trace' }));
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    expect(svg.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(1);
    expect(svg.getAttribute('aria-label')).toBe('trace');
  });

  test('draws no rule without a global-norm threshold, skips zeros and NaN, and rejects a bad threshold', () => {
    const svg = svgOf(clipTraceChart([...points, { step: 4, before: NaN, after: 0 }], { colors, threshold: null, ariaLabel: 'x' }));
    expect(svg.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(0);
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    expect(() => clipTraceChart(points, { colors, threshold: 0, ariaLabel: 'x' })).toThrow(/received 0/);
    expect(() => clipTraceChart(points, { colors, threshold: Infinity, ariaLabel: 'x' })).toThrow(/received Infinity/);
  });

  test('draws an empty chart before any point', () => {
    const svg = svgOf(clipTraceChart([], { colors, threshold: 1, ariaLabel: 'x' }));
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(0);
    expect(svg.querySelector('g.empty-note')?.textContent).toBe('No run yet: press Start');
  });
});
