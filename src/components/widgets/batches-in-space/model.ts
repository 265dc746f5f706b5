/**
 * "Mini-batches in space": settings and derived view, without the DOM. `t` blends each batch from
 * its raw position (0) to its batch-normalized position (1).
 */
import { numberParam, sliderGrid } from '../params';
import type { StateOf } from '../params';
import { drawBatches, lerpPoints, moments2d, normalize2d } from '../../../lib/batches-2d';
import type { ScatterPoint } from '@charts/batch-scatter';

/** The "normalization applied" slider: 0 to 1 in steps of 0.05. */
export const tSlider = { min: 0, max: 1, step: 0.05 };

export const schema = {
  batches: numberParam({ min: 2, max: 6, default: 4, integer: true }),
  size: numberParam({ min: 4, max: 128, default: 32, integer: true }),
  t: numberParam({ min: 0, max: 1, default: 0, grid: sliderGrid(tSlider) }),
  seed: numberParam({ min: 0, max: 0xffffffff, default: 7, integer: true }),
};

export type State = StateOf<typeof schema>;

export interface SpaceView {
  points: ScatterPoint[];
  means: ScatterPoint[];
  summary: string;
}

export function view(state: State): SpaceView {
  const points: ScatterPoint[] = [];
  const means: ScatterPoint[] = [];
  const distances: number[] = [];
  const spreads: number[] = [];
  drawBatches(state.batches, state.size, state.seed).forEach((batch, b) => {
    const shown = lerpPoints(batch.points, normalize2d(batch.points).points, state.t);
    for (let i = 0; i < shown.length; i += 2) points.push({ x: shown[i], y: shown[i + 1], batch: b + 1 });
    const { mean, sd } = moments2d(shown);
    means.push({ x: mean[0], y: mean[1], batch: b + 1 });
    distances.push(Math.hypot(mean[0], mean[1]));
    spreads.push(sd[0], sd[1]);
  });
  return { points, means, summary: summarize(state, distances, spreads) };
}

function range(values: number[]): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo.toFixed(2) === hi.toFixed(2) ? lo.toFixed(2) : `${lo.toFixed(2)}–${hi.toFixed(2)}`;
}

function summarize(state: State, distances: number[], spreads: number[]): string {
  const amount = `${Math.round(state.t * 100)} % normalized`;
  return (
    `${state.batches} batches of ${state.size} points, ${amount}: batch means lie ${range(distances)} units from the origin; ` +
    `standard deviations per axis are ${range(spreads)}.` +
    (state.t === 1 ? ' Every batch now has mean (0, 0) and unit spread along each axis.' : '')
  );
}
