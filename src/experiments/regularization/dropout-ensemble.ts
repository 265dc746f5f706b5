/**
 * Dropout (lesson 7): does the scaled network predict like the average of many sampled
 * sub-networks? The trained model is probed with 1, 10 and 100 sampled masks.
 */
import { percent, validation, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';

/**
 * Dropout as an ensemble, from the finished run's probe: the claim holds when the average of the
 * most sampled masks (K = 100 in the plan) predicts like the scaled network — test accuracy within
 * half a point and the same class on at least 99 % of the images; does not hold otherwise.
 */
export function decideDropoutEnsemble(runs: readonly ClaimRun[]): ClaimVerdict {
  const run = runs.find((r) => r.ensemble);
  if (!run?.ensemble || run.ensemble.ensembles.length === 0)
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: 'No run was tested with sampled masks, so there is nothing to compare.',
    };
  const { scaledAccuracy, ensembles } = run.ensemble;
  const most = ensembles[ensembles.length - 1];
  const each = ensembles
    .map((e) => `${e.samples} ${e.samples === 1 ? 'mask' : 'masks'} ${percent(e.accuracy, 2)} (same class on ${percent(e.agreement, 2)})`)
    .join(', ');
  const said = `Scaled network ${percent(scaledAccuracy, 2)}; averaged over ${each}.`;
  const close = Math.abs(most.accuracy - scaledAccuracy) <= 0.005 && most.agreement >= 0.99;
  if (close)
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} The average of ${most.samples} masks predicts like the scaled network: the one pass is a cheap stand-in for the ensemble.`,
    };
  return {
    outcome: 'does not hold here',
    condition: '',
    reason: `${said} The average of ${most.samples} masks differs from the scaled network by more than the rule allows.`,
  };
}

export const dropoutEnsemble: ClaimExperiment = {
  name: 'dropout-ensemble',
  question: 'Does the scaled network predict like the average of many sampled sub-networks?',
  settings:
    'The assignment’s network with dropout 0.5 (Dense 128, ReLU, dropout, Dense 10; Adam at learning rate 0.001, batch 32) on the first 2,000 training images for 40 epochs, seed 1; then its scaled network (dropout off) against the average of 1, 10 and 100 sampled masks on all 10,000 test images.',
  plan: {
    widget: 'dropout-ensemble',
    base: { trainLimit: 2000, epochs: 40, dropout: 0.5 },
    arms: [{ id: 'dropout', label: 'dropout 0.5', config: {} }],
    axis: null,
    seeds: [1],
    record: { models: true },
    chart: 'curves',
  },
  measure: validation,
  decide: decideDropoutEnsemble,
  ensembleProbe: { samples: [1, 10, 100], limit: 10_000, seed: 1 },
};
