/** The kept model with dropout as an ensemble: the scaled network against the average of K sampled masks (engine/train/dropout-ensemble.ts). */
import { limitDataset } from '../../data/mnist.ts';
import { literal, number, object } from '../../schema.ts';
import { dropoutEnsembleSlices, EnsembleSamples, ensembleMacs } from '../../train/dropout-ensemble.ts';
import type { Probe } from './probe.ts';

export const dropoutEnsembleArgs = object({
  kind: literal('dropout-ensemble'),
  /** Numbers of masks K to report, ascending; the cost limit bounds the largest. */
  samples: EnsembleSamples,
  limit: number({ integer: true, min: 1, max: 10_000 }),
  seed: number({ integer: true, min: 0, max: 0xffffffff }),
});

export const dropoutEnsemble: Probe<'dropout-ensemble'> = {
  kind: 'dropout-ensemble',
  title: 'testing dropout as an ensemble',
  needs: { dropout: true },
  cost: ({ model, test }, { samples, limit }) => ensembleMacs(model, samples[samples.length - 1]) * Math.min(limit, test.count),
  *run({ model, test, rows }, { samples, limit, seed }) {
    // 500 rows a pass (the CLI's default, so the masks and numbers match it) unless the model is too wide for that in one slice.
    const result = yield* dropoutEnsembleSlices(model, limitDataset(test, Math.min(limit, test.count)), {
      samples,
      seed,
      batchSize: Math.min(500, rows),
    });
    return { kind: 'dropout-ensemble', ...result };
  },
};
