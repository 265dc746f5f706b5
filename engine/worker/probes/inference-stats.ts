/** BN at inference three ways on the kept model (engine/train/inference-stats.ts): running averages, recalibrated statistics, batch statistics at each size. */
import { array, literal, number, object } from '../../schema.ts';
import { evaluateWithBatchStatsSlices, evaluateWithStatsSlices, recalibratedStatsSlices } from '../../train/inference-stats.ts';
import { evaluateSlices, forwardMacs } from '../../train/slices.ts';
import type { Probe } from './probe.ts';

export const inferenceStatsArgs = object({
  kind: literal('inference-stats'),
  batchSizes: array(number({ integer: true, min: 1, max: 10_000 }), { minLength: 1, maxLength: 8 }),
});

export const inferenceStats: Probe<'inference-stats'> = {
  kind: 'inference-stats',
  title: 'testing the BN model three ways',
  needs: { bn: true },
  // One pass over the training set (recalibration) and one over the test set per way.
  cost: ({ model, train, test }, { batchSizes }) => forwardMacs(model) * (train.count + test.count * (2 + batchSizes.length)),
  *run({ model, train, test, rows }, { batchSizes }) {
    const running = yield* evaluateSlices(model, test, rows);
    const stats = yield* recalibratedStatsSlices(model, train, { batchSize: Math.max(2, rows) });
    const recalibrated = yield* evaluateWithStatsSlices(model, test, stats, { batchSize: rows });
    const batch = [];
    for (const batchSize of batchSizes) batch.push({ batchSize, evaluation: yield* evaluateWithBatchStatsSlices(model, test, batchSize) });
    const bns = model.layers.flatMap((l) => (l.layer.kind === 'BatchNormalization' ? [l.layer] : []));
    const layers = stats.map((s, i) => ({
      name: s.name,
      runningMean: bns[i].movingMean.slice(),
      runningVariance: bns[i].movingVariance.slice(),
      recalibratedMean: s.mean,
      recalibratedVariance: s.variance,
    }));
    return { kind: 'inference-stats', running, recalibrated, batch, layers };
  },
};
