// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { fallbackColors as colors } from './colors';
import { runningStatsChart, statPoints } from './running-stats';

const svgOf = (chart: Element) => (chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg')!);

describe('runningStatsChart', () => {
  const frames = [
    { step: 1, moving: [0.01, 0.02], batch: [1, 2] },
    { step: 2, moving: [0.02, 0.04], batch: [1.1, 2.1] },
    { step: 3, moving: [0.03, 0.06], batch: null },
  ];

  test('statPoints(frames, units) lists moving and batch values of the chosen units', () => {
    const { moving, batch } = statPoints(frames, [1]);
    expect(moving.map((p) => p.value)).toEqual([0.02, 0.04, 0.06]);
    expect(batch).toEqual([
      { unit: 'unit 1', step: 1, value: 2 },
      { unit: 'unit 1', step: 2, value: 2.1 },
    ]);
    expect(() => statPoints(frames, [2])).toThrow(/unit 2 .* 2 units/);
  });

  test('runningStatsChart draws one line per unit and the batch statistics as dots', () => {
    const svg = svgOf(runningStatsChart(frames, { colors, units: [0, 1], label: 'moving mean', ariaLabel: 'BN moving mean' }));
    expect(svg.querySelectorAll('g[aria-label="line"] path')).toHaveLength(2);
    expect(svg.querySelectorAll('g[aria-label="dot"] circle')).toHaveLength(4);
    expect(() => runningStatsChart(frames, { colors, units: [], label: 'm', ariaLabel: 'x' })).toThrow(/received 0/);
  });
});
