// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { fallbackColors as colors } from './colors';
import { compareCurves, type CurvePoint } from './compare-curves';

const svgOf = (chart: Element) => (chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg')!);

describe('compareCurves', () => {
  const points: CurvePoint[] = [
    { run: 'no BN', split: 'train', epoch: 0.5, value: 0.8 },
    { run: 'no BN', split: 'train', epoch: 1, value: 0.9 },
    { run: 'no BN', split: 'validation', epoch: 1, value: 0.95 },
    { run: 'BN', split: 'train', epoch: 0.5, value: 0.82 },
    { run: 'BN', split: 'train', epoch: 1, value: 0.91 },
    { run: 'BN', split: 'validation', epoch: 1, value: 0.96 },
    { run: 'BN', split: 'validation', epoch: 2, value: NaN },
  ];

  test('compareCurves(points) draws a train line and a dashed validation line per run, named for assistive technology', () => {
    const chart = compareCurves(points, {
      colors,
      metric: 'accuracy',
      runs: ['no BN', 'BN'],
      epochs: 2,
      ariaLabel: 'Accuracy per epoch',
      ariaDescription: 'BN ends higher',
    });
    const svg = svgOf(chart);
    expect(chart.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe('Accuracy per epoch');
    expect(svg.querySelector('desc')?.textContent ?? svg.getAttribute('aria-description')).toContain('BN ends higher');
    const lines = [...svg.querySelectorAll('path')].filter((p) => p.closest('g[aria-label="line"]'));
    expect(lines).toHaveLength(4);
    expect(svg.querySelectorAll('g[aria-label="line"]')[1].getAttribute('stroke-dasharray')).toBe('5,3');
    expect(svg.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(2); // the NaN point is left out
    expect(svg.outerHTML).toContain(colors.series[0]);
    expect(svg.outerHTML).toContain(colors.series[1]);
  });

  test('compareCurves rejects a bad epoch count or metric with the value received', () => {
    expect(() => compareCurves(points, { colors, metric: 'loss', runs: ['BN'], epochs: 0, ariaLabel: 'x' })).toThrow(
      /epochs .* received 0/,
    );
    expect(() => compareCurves(points, { colors, metric: 'error' as 'loss', runs: ['BN'], epochs: 1, ariaLabel: 'x' })).toThrow(
      /received error/,
    );
    expect(() => compareCurves(points, { colors, metric: 'loss', runs: [], epochs: 1, ariaLabel: 'x' })).toThrow(/received 0/);
  });
});
