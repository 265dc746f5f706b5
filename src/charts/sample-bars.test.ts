// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fallbackColors as colors } from './colors';
import { sampleBars, type SampleBarsOptions } from './sample-bars';

const options: SampleBarsOptions = { colors, fill: colors.y, label: 'dx', ariaLabel: 'Input gradient', ariaDescription: 'Sums to zero' };

describe('sampleBars(values, options)', () => {
  it('draws one bar per sample, with dots and ticks when given', () => {
    const chart = sampleBars([0.5, -0.2, -0.3], { ...options, dots: [0.5, -0.2, -0.3], ticks: [1, 0, 0] });
    expect(chart.querySelectorAll('g.bars rect')).toHaveLength(3);
    expect(chart.querySelectorAll('g.dots circle')).toHaveLength(3);
    expect(chart.querySelectorAll('g.ticks line')).toHaveLength(3);
    expect(chart.textContent).toContain('sample i');
  });

  it('bars of opposite values have equal heights on either side of zero', () => {
    const chart = sampleBars([1, -1], options);
    const [a, b] = [...chart.querySelectorAll('g.bars rect')].map((r) => Number(r.getAttribute('height')));
    expect(a).toBeCloseTo(b, 6);
    expect(chart.querySelectorAll('g.dots circle')).toHaveLength(0);
  });

  it('is an image named and described, in the colours it is given', () => {
    const chart = sampleBars([1], { ...options, fill: '#123456' });
    expect(chart.getAttribute('role')).toBe('img');
    expect(chart.getAttribute('aria-label')).toBe('Input gradient');
    expect(chart.getAttribute('aria-description')).toBe('Sums to zero');
    expect(chart.querySelector('g.bars')!.getAttribute('fill')).toBe('#123456');
  });

  it('all-zero values still get an axis', () => {
    expect(() => sampleBars([0, 0], options)).not.toThrow();
  });

  it.each([
    [[], {}, 'sampleBars: values must hold at least one value, received none'],
    [[1, 2], { dots: [1] }, 'sampleBars: dots must hold 2 values like values, received 1'],
    [[1, 2], { ticks: [1, 2, 3] }, 'sampleBars: ticks must hold 2 values like values, received 3'],
    [[1], { height: 0 }, 'sampleBars: width and height must be positive, received 340×0'],
  ])('rejects bad input %#', (values, extra, message) => {
    expect(() => sampleBars(values, { ...options, ...extra })).toThrow(message);
  });
});
