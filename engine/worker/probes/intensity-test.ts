/** The kept model on the first `limit` test images with their intensity changed (engine/train/intensity.ts). */
import { limitDataset } from '../../data/mnist.ts';
import { array, literal, number, object } from '../../schema.ts';
import { IntensityChange, intensityTestSlices } from '../../train/intensity.ts';
import { forwardMacs } from '../../train/slices.ts';
import type { Probe } from './probe.ts';

export const intensityTestArgs = object({
  kind: literal('intensity-test'),
  changes: array(IntensityChange, { minLength: 1, maxLength: 20 }),
  /** Rows per batch when BN uses each test batch's own statistics. */
  batchSize: number({ integer: true, min: 2, max: 10_000 }),
  limit: number({ integer: true, min: 1, max: 10_000 }),
});

export const intensityTest: Probe<'intensity-test'> = {
  kind: 'intensity-test',
  title: 'testing on intensity-changed images',
  needs: {},
  // The unchanged images once, then per change an eval-mode pass and, with BN, a batch-statistics pass.
  cost: ({ model, config, test }, { changes, limit }) =>
    forwardMacs(model) * Math.min(limit, test.count) * (1 + changes.length * (config.norm === 'batch' ? 2 : 1)),
  *run({ model, test, rows }, { changes, batchSize, limit }) {
    const results = yield* intensityTestSlices(model, limitDataset(test, Math.min(limit, test.count)), changes, { batchSize, rows });
    return { kind: 'intensity-test', results };
  },
};
