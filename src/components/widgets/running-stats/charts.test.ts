import { describe, expect, it } from 'vitest';
import { fallbackColors } from '@charts/colors';
import { defaultState } from '../params';
import { statsCharts } from './charts';
import { schema, series, view } from './model';

describe('statsCharts(state, sim, comparison, mean, variance, colors)', () => {
  it('draws the mean and the variance series, both marking the compared step', () => {
    const state = { ...defaultState(schema), at: 120 };
    const { sim, comparison } = view(state);
    const mean = series(state, sim, 'mean');
    const variance = series(state, sim, 'variance');
    const charts = statsCharts(state, sim, comparison, mean, variance, fallbackColors);
    expect(charts.map((c) => [c.name, c.data])).toEqual([
      ['mean', mean],
      ['variance', { ...variance, expectedLabel: expect.stringContaining('(m−1)/m·σ²') }],
    ]);
    expect(charts.map((c) => c.options.marker)).toEqual([120, 120]);
    expect(charts[0].options.ariaDescription).toContain('After step 120 it is');
  });
});
