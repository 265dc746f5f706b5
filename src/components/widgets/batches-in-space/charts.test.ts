import { describe, expect, it } from 'vitest';
import { fallbackColors } from '@charts/colors';
import { defaultState } from '../params';
import { spaceChart } from './charts';
import { schema, view } from './model';

describe('spaceChart(state, view, colors)', () => {
  it('plots the view’s points and batch means, described by its summary', () => {
    const state = { ...defaultState(schema), t: 0.5 };
    const v = view(state);
    const { points, options } = spaceChart(state, v, fallbackColors);
    expect(points).toBe(v.points);
    expect(options.means).toBe(v.means);
    expect(options.ariaLabel).toBe(`Scatter plot of ${state.batches} mini-batches in two features, 50 % normalized`);
    expect(options.ariaDescription).toBe(v.summary);
  });
});
