/**
 * The scatter of mini-batches as data, shared by the custom element (live) and
 * BatchesInSpace.astro (drawn at build time, so the first view has the picture).
 */
import type { BatchScatterOptions, ScatterPoint } from '@charts/batch-scatter';
import type { ChartColors } from '@charts/colors';
import type { SpaceView, State } from './model';

export function spaceChart(s: State, v: SpaceView, colors: ChartColors): { points: ScatterPoint[]; options: BatchScatterOptions } {
  return {
    points: v.points,
    options: {
      colors,
      means: v.means,
      ariaLabel: `Scatter plot of ${s.batches} mini-batches in two features, ${Math.round(s.t * 100)} % normalized`,
      ariaDescription: v.summary,
    },
  };
}
