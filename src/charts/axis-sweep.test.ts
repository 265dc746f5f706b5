// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { axisSweepChart, meansAtEachX, valueDomain } from './axis-sweep';
import { fallbackColors as colors } from './colors';

const svgOf = (chart: Element) => (chart.tagName.toLowerCase() === 'svg' ? chart : chart.querySelector('svg')!);

describe('axisSweepChart', () => {
  test('axisSweepChart(points) ticks every swept value on a log axis and draws runs that did not train as crosses', () => {
    const chart = axisSweepChart(
      [
        { x: 0.01, series: 'no BN', value: 0.95 },
        { x: 0.01, series: 'BN', value: 0.96 },
        { x: 1, series: 'no BN', value: null },
        { x: 1, series: 'BN', value: 0.95 },
      ],
      {
        colors,
        series: ['no BN', 'BN'],
        axis: { label: 'learning rate', scale: 'log', ticks: [0.01, 0.1, 1] },
        label: 'validation accuracy (%)',
        percent: true,
        ariaLabel: 'Accuracy by learning rate',
      },
    );
    const svg = svgOf(chart);
    const ticks = [...svg.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => t.textContent);
    expect(ticks).toEqual(['0.01', '0.1', '1']);
    const dots = [...svg.querySelectorAll('g[aria-label="dot"]')];
    expect(dots).toHaveLength(2);
    expect(dots[0].querySelectorAll('path, circle')).toHaveLength(3);
    expect(dots[1].querySelectorAll('path, circle')).toHaveLength(1);
  });

  test('a depth axis is linear with integer ticks', () => {
    const svg = svgOf(
      axisSweepChart([{ x: 4, series: 'BN', value: 0.9 }], {
        colors,
        series: ['BN'],
        axis: { label: 'hidden layers', scale: 'linear', ticks: [1, 2, 4, 8] },
        label: 'a',
        ariaLabel: 'x',
      }),
    );
    expect([...svg.querySelectorAll('g[aria-label="x-axis tick label"] text')].map((t) => t.textContent)).toEqual(['1', '2', '4', '8']);
  });

  test('rejects a log axis with a zero tick, naming the ticks', () => {
    expect(() =>
      axisSweepChart([], { colors, series: ['BN'], axis: { label: 'lr', scale: 'log', ticks: [0, 1] }, label: 's', ariaLabel: 'x' }),
    ).toThrow(/positive on a log axis, received \[0, 1\]/);
  });
});

describe('meansAtEachX', () => {
  test('averages the seeds of one series at one x, keeps series apart and sorts by x', () => {
    const points = [
      { x: 0.01, series: 'a', value: 3 },
      { x: 0.001, series: 'a', value: 1 },
      { x: 0.001, series: 'a', value: 2 },
      { x: 0.001, series: 'b', value: 10 },
    ];
    expect(meansAtEachX(points)).toEqual([
      { x: 0.001, series: 'a', value: 1.5 },
      { x: 0.001, series: 'b', value: 10 },
      { x: 0.01, series: 'a', value: 3 },
    ]);
  });
});

describe('valueDomain', () => {
  test('widens a single value to a readable span and keeps a wide extent as it is', () => {
    expect(valueDomain([0.9], true)).toEqual([0.895, 0.905]);
    expect(valueDomain([2, 2], false)).toEqual([1.8, 2.2]);
    expect(valueDomain([0.8, 0.95], true)).toEqual([0.8, 0.95]);
    expect(valueDomain([], true)).toBeUndefined();
  });
});
