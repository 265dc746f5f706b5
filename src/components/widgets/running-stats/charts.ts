/**
 * The two charts (moving mean and moving variance against the batch statistics) as data, shared
 * by the custom element (live) and RunningStats.astro (drawn at build time, so the first view has
 * them).
 */
import type { ChartColors } from '@charts/colors';
import type { MovingEstimateOptions } from '@charts/moving-estimate';
import { fmt, fmtRho, type Comparison, type Simulation, type State, type StatSeries } from './model';

export interface StatsChart {
  name: 'mean' | 'variance';
  data: StatSeries & { expectedLabel?: string };
  options: MovingEstimateOptions;
}

export function statsCharts(
  s: State,
  sim: Simulation,
  c: Comparison,
  mean: StatSeries,
  variance: StatSeries,
  colors: ChartColors,
): StatsChart[] {
  return [
    {
      name: 'mean',
      data: mean,
      options: {
        colors,
        label: 'mean',
        marker: c.step,
        ariaLabel: `Batch means and the moving mean over ${s.steps} steps, momentum ρ = ${fmtRho(s.rho)}, batch size ${s.n}`,
        ariaDescription: `The moving mean starts at 0 and reaches ${fmt(sim.movingMean[sim.steps - 1])} after the last step; the population mean is ${fmt(mean.truth.at(-1)!.value)} there. After step ${c.step} it is ${fmt(c.eval.mean)}.`,
      },
    },
    {
      name: 'variance',
      data: { ...variance, expectedLabel: 'dotted: biased σ² settles at (m−1)/m·σ²' },
      options: {
        colors,
        label: 'variance',
        marker: c.step,
        ariaLabel: `Batch variances and the moving variance over ${s.steps} steps (${s.variance} batch variances fed)`,
        ariaDescription: `The moving variance starts at 1 and reaches ${fmt(sim.movingVariance[sim.steps - 1])}; the population variance is 4.00${variance.expected.length ? `, and biased batch variances average (m − 1)/m · 4 = ${fmt(c.expectedVariance)}` : ''}.`,
      },
    },
  ];
}
