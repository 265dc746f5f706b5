/**
 * The two bar charts (upstream dy, and dx with finite differences and the direct path) as data,
 * shared by the custom element (live) and BnGradient.astro (drawn at build time, so the first view
 * has them).
 */
import type { ChartColors } from '@charts/colors';
import type { SampleBarsOptions } from '@charts/sample-bars';
import { fmt, fmtSmall, type Gradients, type State } from './model';

export interface GradientChart {
  name: 'dy' | 'dx';
  values: Float64Array;
  options: SampleBarsOptions;
}

export function gradientCharts(s: State, g: Gradients, colors: ChartColors): GradientChart[] {
  const list = (a: Float64Array) => Array.from(a, (v) => fmt(v, 2)).join(', ');
  return [
    {
      name: 'dy',
      values: g.dy,
      options: {
        colors,
        fill: colors.x,
        label: 'dy',
        ariaLabel: `Upstream gradient dy for ${s.n} samples`,
        ariaDescription: `dy = ${list(g.dy)}.`,
      },
    },
    {
      name: 'dx',
      values: g.dx,
      options: {
        colors,
        fill: colors.y,
        label: 'dx',
        dots: g.numeric,
        ticks: g.direct,
        ariaLabel: `Input gradient dx for ${s.n} samples, from the engine's backward pass, with finite differences and the direct path`,
        ariaDescription: `dx = ${list(g.dx)}; sum ${fmt(g.sumDx)}. Finite differences agree within ${fmtSmall(g.maxDifference)}. Direct path alone: ${list(g.direct)}.`,
      },
    },
  ];
}
