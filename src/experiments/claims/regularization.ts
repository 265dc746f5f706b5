/**
 * Claim 5: does BN reduce overfitting on a small training set?
 */
import { bnArms } from '../axes';
import { validation, percent, points, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';
import { byArm } from './shared';

/** Claim 5: the gap between training and validation accuracy after training on a small subset. */
export function decideRegularization(runs: readonly ClaimRun[]): ClaimVerdict {
  const gapOf = (r: ClaimRun | undefined) =>
    r && r.result.trainAccuracy !== null && r.result.validationAccuracy !== null
      ? r.result.trainAccuracy - r.result.validationAccuracy
      : null;
  const [none] = byArm(runs, 'none');
  const [bn] = byArm(runs, 'batch');
  const n = gapOf(none);
  const b = gapOf(bn);
  if (n === null || b === null)
    return { outcome: 'does not hold here', condition: '', reason: 'A run has no training or validation accuracy to compare.' };
  const said = `Training minus validation accuracy at the end: ${points(n)} without BN (validation ${percent(none!.result.validationAccuracy!)}), ${points(b)} with BN (validation ${percent(bn!.result.validationAccuracy!)}).`;
  // One point of gap is the rule's margin.
  if (b < n - 0.01) return { outcome: 'holds', condition: '', reason: `${said} BN overfits less.` };
  return { outcome: 'does not hold here', condition: '', reason: `${said} BN does not shrink the gap.` };
}

export const regularization: ClaimExperiment = {
  name: 'regularization',
  claim: 5,
  question: 'Does BN reduce overfitting on a small training set?',
  settings:
    'The assignment’s network without dropout on the first 1,000 training images for 8 epochs, without and with BN; training accuracy (the running mean of the last epoch) against validation accuracy.',
  plan: {
    widget: 'claim-regularization',
    base: { trainLimit: 1000, epochs: 8, dropout: 0 },
    arms: bnArms,
    axis: null,
    seeds: [1],
    record: {},
    chart: 'curves',
  },
  measure: validation,
  decide: decideRegularization,
};
