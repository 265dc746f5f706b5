// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fallbackColors as colors } from './colors';
import { movingEstimateChart, type MovingEstimateData } from './moving-estimate';

const data: MovingEstimateData = {
  batch: [
    { step: 1, value: 2.5 },
    { step: 2, value: 3.5 },
    { step: 3, value: 2.9 },
  ],
  moving: [
    { step: 0, value: 0 },
    { step: 1, value: 1.25 },
    { step: 2, value: 2.38 },
    { step: 3, value: 2.64 },
  ],
  truth: [
    { step: 0, value: 3 },
    { step: 3, value: 3 },
  ],
  domain: [0, 3.5],
};
const options = { colors, label: 'mean', ariaLabel: 'Moving mean', ariaDescription: 'Converges to 3' };

describe('movingEstimateChart(data, options)', () => {
  it('draws batch dots, the moving line, the dashed truth and the step marker', () => {
    const chart = movingEstimateChart(data, { ...options, marker: 2 });
    expect(chart.querySelectorAll('g.batch circle')).toHaveLength(3);
    expect(chart.querySelectorAll('g.moving path')).toHaveLength(1);
    expect(chart.querySelector('g.truth')!.getAttribute('stroke-dasharray')).toBe('5 4');
    expect(chart.querySelectorAll('g.marker line')).toHaveLength(1);
    expect(chart.querySelectorAll('g.expected path')).toHaveLength(0);
  });

  it('draws the second reference line only when given one', () => {
    const chart = movingEstimateChart({ ...data, expected: data.truth.map((p) => ({ ...p, value: 2.8 })) }, options);
    expect(chart.querySelectorAll('g.expected path')).toHaveLength(1);
    expect(chart.querySelectorAll('g.marker line')).toHaveLength(0);
  });

  it('is an image named and described for assistive technology, in the colours it is given', () => {
    const chart = movingEstimateChart(data, { ...options, colors: { ...colors, eval: '#123456' } });
    expect(chart.getAttribute('role')).toBe('img');
    expect(chart.getAttribute('aria-label')).toBe('Moving mean');
    expect(chart.getAttribute('aria-description')).toBe('Converges to 3');
    expect(chart.querySelector('g.moving')!.getAttribute('stroke')).toBe('#123456');
    expect(chart.querySelectorAll('[aria-label]:not([role])')).toHaveLength(0);
  });

  it.each([
    [{ ...data, domain: [2, 1] as [number, number] }, {}, 'domain must be two finite numbers [lo, hi] with lo ≤ hi, received [2, 1]'],
    [{ ...data, domain: [0, Infinity] as [number, number] }, {}, 'received [0, Infinity]'],
    [{ ...data, moving: [] }, {}, 'moving must hold at least one point, received none'],
    [data, { width: 0 }, 'width and height must be positive, received 0×210'],
  ])('rejects bad input %#', (bad, extra, message) => {
    expect(() => movingEstimateChart(bad, { ...options, ...extra })).toThrow(message);
  });

  it('labels the dotted reference line at its end and offers a tip with the distance to the truth', () => {
    const chart = movingEstimateChart(
      {
        ...data,
        expected: [
          { step: 0, value: 2.8 },
          { step: 3, value: 2.8 },
        ],
        expectedLabel: 'biased settles here',
      },
      options,
    );
    expect(chart.querySelector('g.expected-label')?.textContent).toBe('biased settles here');
    expect(chart.querySelector('g[aria-label="tip"]')).not.toBeNull();
    expect(movingEstimateChart(data, options).querySelector('g.expected-label text')).toBeNull();
  });
});
