// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { fallbackColors as colors } from './colors';
import { gradNormChart } from './grad-norm';
import { layerLinesChart } from './layer-lines';

const svgOf = (chart: Element) => (chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg')!);

describe('layerLinesChart', () => {
  test('draws one line per layer, however many (9 Dense layers of an 8-deep model), and the band when asked', () => {
    const layers = Array.from({ length: 9 }, (_, i) => (i === 0 ? 'dense' : `dense_${i}`));
    const points = layers.flatMap((layer, i) => [1, 2, 3].map((step) => ({ layer, step, value: 10 ** -(i + step / 3) })));
    const svg = svgOf(layerLinesChart(points, { colors, layers, label: 'gradient norm', ariaLabel: 'x' }));
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(9);
    expect(svg.querySelectorAll('g[aria-label="rect"] rect')).toHaveLength(0);
    const banded = svgOf(
      layerLinesChart(points, {
        colors,
        layers,
        label: 'ratio',
        band: { lo: 10 ** -3.5, hi: 10 ** -2.5, reference: 1e-3 },
        ariaLabel: 'x',
      }),
    );
    expect(banded.querySelectorAll('g[aria-label="rect"] rect')).toHaveLength(1);
    expect(banded.querySelectorAll('g[aria-label="rule"] line')).toHaveLength(1);
  });

  test('skips zeros and NaN, and rejects a band that does not hold its reference', () => {
    const svg = svgOf(
      layerLinesChart(
        [
          { layer: 'a', step: 1, value: 0 },
          { layer: 'a', step: 2, value: NaN },
        ],
        { colors, layers: ['a'], label: 'n', ariaLabel: 'x' },
      ),
    );
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(0);
    expect(() => layerLinesChart([], { colors, layers: ['a'], label: 'n', band: { lo: 1, hi: 2, reference: 3 }, ariaLabel: 'x' })).toThrow(
      /received \{"lo":1,"hi":2,"reference":3\}/,
    );
  });
});

describe('gradNormChart', () => {
  test('draws the norm over steps and the clipping threshold as a rule; no rule without clipping', () => {
    const points = [1, 2, 3].map((step) => ({ step, gradNorm: step * 2 }));
    expect(
      svgOf(gradNormChart(points, { colors, threshold: 3, ariaLabel: 'x' })).querySelectorAll('g[aria-label="rule"] line'),
    ).toHaveLength(1);
    expect(
      svgOf(gradNormChart(points, { colors, threshold: null, ariaLabel: 'x' })).querySelectorAll('g[aria-label="rule"] line'),
    ).toHaveLength(0);
    expect(() => gradNormChart(points, { colors, threshold: 0, ariaLabel: 'x' })).toThrow(/received 0/);
  });
});
