/** The kept model with dropout as an ensemble: the scaled network against the average of K sampled masks (engine/train/dropout-ensemble.ts). */
import { limitDataset } from '../../data/mnist.ts';
import { array, literal, number, object, refine } from '../../schema.ts';
import { dropoutEnsembleSlices, ensembleMacs } from '../../train/dropout-ensemble.ts';
import type { Probe } from './probe.ts';

const ascending = (k: number[]) => (k.every((v, i) => i === 0 || v > k[i - 1]) ? null : 'strictly ascending numbers of masks such as [1, 10, 100]');

export const dropoutEnsembleArgs = object({
  kind: literal('dropout-ensemble'),
  /** Numbers of masks K to report, ascending; the cost limit bounds the largest. */
  samples: refine(array(number({ integer: true, min: 1, max: 10_000 }), { minLength: 1, maxLength: 8 }), ascending),
  limit: number({ integer: true, min: 1, max: 10_000 }),
  seed: number({ integer: true, min: 0, max: 0xffffffff }),
});

export const dropoutEnsemble: Probe<'dropout-ensemble'> = {
  kind: 'dropout-ensemble',
  title: 'testing dropout as an ensemble',
  needs: { dropout: true },
  args: dropoutEnsembleArgs,
  cost: ({ model, test }, { samples, limit }) => ensembleMacs(model, samples[samples.length - 1]) * Math.min(limit, test.count),
  *run({ model, test, rows }, { samples, limit, seed }) {
    // 500 rows a pass (the CLI's default, so the masks and numbers match it) unless the model is too wide for that in one slice.
    const result = yield* dropoutEnsembleSlices(model, limitDataset(test, Math.min(limit, test.count)), { samples, seed, batchSize: Math.min(500, rows) });
    return { kind: 'dropout-ensemble', ...result };
  },
};
