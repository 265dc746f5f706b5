import { describe, expect, it } from 'vitest';
import { fallbackColors } from '@charts/colors';
import { defaultState } from '../params';
import { gradientCharts } from './charts';
import { gradients, schema } from './model';

describe('gradientCharts(state, gradients, colors)', () => {
  it('draws dy alone and dx with the finite differences as dots and the direct path as ticks', () => {
    const state = defaultState(schema);
    const g = gradients(state);
    const [dy, dx] = gradientCharts(state, g, fallbackColors);
    expect([dy.name, dx.name]).toEqual(['dy', 'dx']);
    expect(dy.values).toBe(g.dy);
    expect(dy.options.dots).toBeUndefined();
    expect(dx.values).toBe(g.dx);
    expect(dx.options.dots).toBe(g.numeric);
    expect(dx.options.ticks).toBe(g.direct);
    expect(dx.options.ariaDescription).toMatch(
      /^dx = ([−-]?\d\.\d\d, ){5}[−-]?\d\.\d\d; sum [−-]?0\.000\. Finite differences agree within /,
    );
  });
});
