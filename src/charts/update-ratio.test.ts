// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { fallbackColors as colors } from './colors';
import { updateRatioChart } from './update-ratio';

const svgOf = (chart: Element) => (chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg')!);

describe('updateRatioChart', () => {
  test('updateRatioChart draws the reference band, the 1e-3 rule and one line per parameter, skipping ratios a log axis cannot show', () => {
    const chart = updateRatioChart(
      [
        { param: 'dense kernel', step: 1, ratio: 2e-3 },
        { param: 'dense kernel', step: 2, ratio: 1e-3 },
        { param: 'dense_1 kernel', step: 1, ratio: NaN },
        { param: 'dense_1 kernel', step: 2, ratio: 0 },
        { param: 'dense_1 kernel', step: 3, ratio: 5e-4 },
      ],
      { colors, params: ['dense kernel', 'dense_1 kernel'], ariaLabel: 'Update ratios' },
    );
    const svg = svgOf(chart);
    expect(svg.querySelectorAll('g[aria-label="rect"] rect')).toHaveLength(1);
    expect(svg.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(1);
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
  });

  test('updateRatioChart rejects an empty or inverted band', () => {
    expect(() => updateRatioChart([], { colors, params: [], band: [1e-2, 1e-4], ariaLabel: 'x' })).toThrow(/received \[0.01, 0.0001\]/);
  });
});
