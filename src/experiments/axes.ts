/**
 * The pieces plans are made of: the BN-vs-none arms and the axes a sweep can vary (learning rate
 * on a log grid, batch size down to 2, depth, init scale). Each axis lists every value a control
 * may offer; a plan takes a subset.
 */
import type { TrainConfig } from '@engine';
import type { Arm, Axis } from './plan';

/** The two arms of every "does BN help here?" experiment: identical but for `norm`. */
export const bnArms: readonly Arm[] = [
  { id: 'none', label: 'no BN', config: { norm: 'none' } },
  { id: 'batch', label: 'BN', config: { norm: 'batch' } },
];

export type AxisName = 'lr' | 'batch' | 'depth' | 'init';
export const axisNames: readonly AxisName[] = ['lr', 'batch', 'depth', 'init'];

/** Every value each axis offers, as the text its control shows and the URL carries. */
export const axisGrids: Record<AxisName, readonly number[]> = {
  lr: [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3],
  batch: [2, 4, 8, 16, 32, 64, 128, 256],
  depth: [1, 2, 3, 4, 6, 8],
  init: [0.1, 0.3, 1, 3, 10],
};

export const axisLabels: Record<AxisName, string> = {
  lr: 'learning rate',
  batch: 'batch size',
  depth: 'hidden layers',
  init: 'init scale',
};

/** The axis of a sweep over `values` (a subset of `axisGrids[name]`); depth repeats the base width. */
export function axisOf(name: AxisName, values: readonly number[], width = 128): Axis {
  switch (name) {
    case 'lr':
      return { key: 'lr', label: axisLabels.lr, values, format: (v) => `lr ${String(v)}`, position: Number, scale: 'log' };
    case 'batch':
      return { key: 'batchSize', label: axisLabels.batch, values, format: (v) => `batch ${String(v)}`, position: Number, scale: 'log' };
    case 'init':
      return { key: 'initScale', label: axisLabels.init, values, format: (v) => `init ×${String(v)}`, position: Number, scale: 'log' };
    case 'depth': {
      const hidden: TrainConfig['hidden'][] = values.map((n) => Array.from({ length: n }, () => width));
      const layers = (h: unknown) => (h as TrainConfig['hidden']).length;
      return {
        key: 'hidden',
        label: axisLabels.depth,
        values: hidden,
        format: (h) => `${layers(h)} × ${(h as number[])[0]}`,
        position: layers,
        scale: 'linear',
      };
    }
  }
}
