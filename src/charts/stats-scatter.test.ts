// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { fallbackColors as colors } from './colors';
import { statsScatter } from './stats-scatter';

const svgOf = (chart: Element) => (chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg')!);

describe('statsScatter', () => {
  test('draws one dot per unit and the diagonal; rejects mismatched lengths naming both', () => {
    const svg = svgOf(
      statsScatter(Float32Array.from([0, 1, 2]), Float32Array.from([0.5, 1, NaN]), { colors, stat: 'mean', ariaLabel: 'x' }),
    );
    expect(svg.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(2);
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(1);
    expect(() => statsScatter([1, 2], [1], { colors, stat: 'mean', ariaLabel: 'x' })).toThrow(/received 2 and 1/);
  });
});
