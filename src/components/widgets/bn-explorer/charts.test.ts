import { describe, expect, it } from 'vitest';
import { cssVarColors, fallbackColors } from '@charts/colors';
import { defaultState } from '../params';
import { explorerCharts } from './charts';
import { explore, moved, schema, worked } from './model';

const defaults = defaultState(schema);

describe('explorerCharts(state, view, colors)', () => {
  it('describes the x, x̂ and y histograms, x and y on one shared domain, each marking the moved and the worked sample', () => {
    const view = explore(defaults);
    const charts = explorerCharts(defaults, view, fallbackColors);
    expect(charts.map((c) => c.name)).toEqual(['x', 'xhat', 'y']);
    const [x, xhat, y] = charts;
    expect(x.values).toBe(view.x);
    expect(y.values).toBe(view.result.y);
    expect(x.options.domain).toEqual(y.options.domain);
    expect(xhat.options.domain).toEqual(view.xhatDomain);
    expect(xhat.options.markers).toEqual([
      { value: view.result.xhat[moved], label: 'x̂₁' },
      { value: view.result.xhat[worked], label: 'x̂₂' },
    ]);
    expect(x.options.ariaLabel).toBe('Histogram of the input batch x (32 values, skewed)');
  });

  it('colours each chart from the colours it is given (CSS variables at build time)', () => {
    const charts = explorerCharts(defaults, explore(defaults), cssVarColors);
    expect(charts.map((c) => c.options.fill)).toEqual(['var(--color-x, #2b63c6)', 'var(--color-xhat, #b8520f)', 'var(--color-y, #12805c)']);
  });

  it('says when y reproduces x', () => {
    const state = { ...defaults, gamma: 1, beta: 0 };
    const view = { ...explore(state), recovered: true };
    expect(explorerCharts(state, view, fallbackColors)[2].options.ariaDescription).toBe('Identical to the input x.');
  });
});
