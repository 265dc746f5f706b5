// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { fallbackColors as colors } from './colors';
import { landscapeBands, landscapeChart, logTicks } from './landscape-bands';

const svgOf = (chart: Element) => (chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg')!);

const sample = (step: number, loss: number, losses: number[], gradChanges: number[]) => ({
  step,
  multiples: [1, 2],
  loss,
  losses,
  gradChanges,
  stepNorm: 0.5,
});

describe('landscapeBands', () => {
  test('landscapeBands(run, samples, quantity) spans the losses along the step, or the gradient change per unit distance', () => {
    const samples = [sample(1, 2.3, [2.1, 2.6], [1, 4]), sample(6, 1.9, [1.8, 1.7], [0.5, 0.5]), sample(11, NaN, [1, 1], [1, 1])];
    expect(landscapeBands('BN', samples, 'loss')).toEqual([
      { run: 'BN', step: 1, low: 2.1, high: 2.6 },
      { run: 'BN', step: 6, low: 1.7, high: 1.9 },
    ]);
    // gradChanges / (t·‖Δ‖): 1 / 0.5 = 2 and 4 / 1 = 4; 0.5 / 0.5 = 1 and 0.5 / 1 = 0.5.
    expect(landscapeBands('BN', samples, 'smoothness').slice(0, 2)).toEqual([
      { run: 'BN', step: 1, low: 2, high: 4 },
      { run: 'BN', step: 6, low: 0.5, high: 1 },
    ]);
  });
});

describe('landscapeChart', () => {
  const points = [
    { run: 'no BN', step: 1, low: 2, high: 4 },
    { run: 'no BN', step: 6, low: 1, high: 3 },
    { run: 'BN', step: 1, low: 0.5, high: 1 },
    { run: 'BN', step: 6, low: 0.2, high: 0.4 },
    { run: 'not listed', step: 1, low: 1, high: 2 },
  ];

  test('landscapeChart(points) draws one band per listed run, named for assistive technology, with the label on the y axis', () => {
    const chart = landscapeChart(points, {
      colors,
      runs: ['no BN', 'BN'],
      label: 'gradient change per unit distance',
      log: true,
      steps: 10,
      ariaLabel: 'Smoothness over training',
    });
    const svg = svgOf(chart);
    expect(chart.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe('Smoothness over training');
    expect(svg.querySelectorAll('g[aria-label="area"] path')).toHaveLength(2);
    expect(svg.textContent).toContain('gradient change per unit distance');
    // Every tick of the log axis is labelled, also on a domain narrower than a decade.
    const ticks = [...svg.querySelectorAll('g[aria-label="y-axis tick label"] text')].map((t) => t.textContent);
    expect(ticks.length).toBeGreaterThan(2);
    expect(ticks).toEqual(['0.2', '0.5', '1', '2']);
    expect(svg.outerHTML).toContain(colors.series[1]);
    expect(svg.querySelector('.empty-note')).toBeNull();
  });

  test('logTicks(points) takes 1, 2 and 5 times powers of ten, or every integer multiple on a range narrower than that', () => {
    expect(logTicks(points)).toEqual([0.2, 0.5, 1, 2]);
    expect(logTicks([{ run: 'a', step: 1, low: 2.1, high: 6.2 }])).toEqual([3, 4, 5, 6]);
  });

  test('landscapeChart shows an empty note before any sample, and rejects a bad step count or run list with the value received', () => {
    expect(svgOf(landscapeChart([], { colors, runs: ['a'], label: 'loss', log: false, steps: 3, ariaLabel: 'x' })).textContent).toContain(
      'No run yet',
    );
    expect(() => landscapeChart(points, { colors, runs: ['BN'], label: 'x', log: false, steps: 0, ariaLabel: 'x' })).toThrow(
      'landscapeChart: steps must be an integer ≥ 1, received 0',
    );
    expect(() => landscapeChart(points, { colors, runs: [], label: 'x', log: false, steps: 1, ariaLabel: 'x' })).toThrow(/received 0/);
  });
});
