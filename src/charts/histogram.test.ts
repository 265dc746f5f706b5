// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fallbackColors } from './colors';
import { histogram, type HistogramOptions } from './histogram';

const options: HistogramOptions = {
  colors: fallbackColors,
  fill: fallbackColors.x,
  label: 'x',
  domain: [0, 10],
  ariaLabel: 'Histogram of x',
  ariaDescription: 'Ten values',
};

describe('histogram(values, options)', () => {
  it('draws one bar per non-empty bin, with counts as heights', () => {
    const chart = histogram([1, 1.2, 1.4, 5, 9], { ...options, bins: 10 });
    const bars = chart.querySelectorAll('g.bars rect');
    expect(bars).toHaveLength(3);
    const heights = [...bars].map((r) => Number(r.getAttribute('height')));
    expect(Math.max(...heights) / Math.min(...heights)).toBeCloseTo(3, 0);
  });

  it('is an image with an accessible name and description; labelled inner groups carry a role', () => {
    const chart = histogram([1, 2, 3], options);
    expect(chart.getAttribute('role')).toBe('img');
    expect(chart.getAttribute('aria-label')).toBe('Histogram of x');
    expect(chart.getAttribute('aria-description')).toBe('Ten values');
    expect(chart.querySelectorAll('[aria-label]:not([role])')).toHaveLength(0);
  });

  it('uses the colours it is given (so dark mode reaches the chart)', () => {
    const chart = histogram([1, 2], { ...options, fill: '#123456', colors: { ...fallbackColors, fg: '#abcdef' } });
    expect(chart.querySelector('g.bars')!.getAttribute('fill')).toBe('#123456');
    expect((chart as SVGSVGElement).style.color).toMatch(/#abcdef|rgb\(171, 205, 239\)/);
    expect((chart as SVGSVGElement).style.background).toBe('transparent');
  });

  it('labels marker rules', () => {
    const chart = histogram([1, 2], { ...options, markers: [{ value: 4, label: 'x₂' }] });
    expect(chart.textContent).toContain('x₂');
  });

  it.each([
    [{ bins: 0 }, 'histogram: bins must be a positive integer, received 0'],
    [{ domain: [5, 5] as [number, number] }, 'histogram: domain must be two finite numbers [lo, hi] with lo < hi, received [5, 5]'],
    [{ domain: [0, NaN] as [number, number] }, 'received [0, NaN]'],
    [{ width: -1 }, 'histogram: width and height must be positive, received -1×170'],
  ])('rejects bad options %j', (bad, message) => {
    expect(() => histogram([1], { ...options, ...bad })).toThrow(message);
  });
});
