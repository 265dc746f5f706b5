/**
 * Claim 6: does BN give the classic network a higher accuracy? Its rule, `accuracyLead`, is the one
 * every lesson that states the claim uses (lesson 10's results table too).
 */
import { bnArms } from '../axes';
import { validation, percent, points, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';
import { accuracy, byArm, mean } from './shared';

const finalAccuracies = (runs: readonly ClaimRun[]) => runs.map(accuracy).filter((a): a is number => a !== null);
const spread = (xs: readonly number[]) => (xs.length < 2 ? 0 : Math.max(...xs) - Math.min(...xs));

/**
 * Claim 6's rule, "BN gives higher accuracy", wherever a lesson states it (this verdict, lesson 10's
 * results table): BN's mean accuracy leads by more than the noise — the seed-to-seed spread of
 * either model, never below 0.2 points (one seed each: the floor alone).
 */
export function accuracyLead(
  none: readonly number[],
  bn: readonly number[],
): { diff: number; noise: number; outcome: 'ahead' | 'within noise' | 'behind' } {
  const diff = mean(bn) - mean(none);
  const noise = Math.max(spread(none), spread(bn), accuracyNoiseFloor);
  return { diff, noise, outcome: diff > noise ? 'ahead' : diff < -noise ? 'behind' : 'within noise' };
}

/** The least accuracy difference claim 6's rule counts as a lead: 0.2 points. */
const accuracyNoiseFloor = 0.002;

/** Claim 6: the classic network, the assignment's settings, two seeds. */
export function decideAccuracy(runs: readonly ClaimRun[]): ClaimVerdict {
  const none = finalAccuracies(byArm(runs, 'none'));
  const bn = finalAccuracies(byArm(runs, 'batch'));
  if (none.length === 0 || bn.length === 0)
    return { outcome: 'does not hold here', condition: '', reason: 'A model diverged, so there is no accuracy to compare.' };
  const { diff, noise, outcome } = accuracyLead(none, bn);
  const said = `Mean validation accuracy over ${bn.length} seed${bn.length === 1 ? '' : 's'}: BN ${percent(mean(bn), 2)}, no BN ${percent(mean(none), 2)} (difference ${points(diff, 2)}; seed-to-seed spread ${points(noise, 2)}).`;
  if (outcome === 'ahead') return { outcome: 'holds', condition: '', reason: `${said} BN is ahead by more than the spread.` };
  return {
    outcome: 'does not hold here',
    condition: '',
    reason: `${said} ${outcome === 'behind' ? 'The model without BN is ahead.' : 'The difference is within the seed-to-seed spread.'}`,
  };
}

export const bnAccuracy: ClaimExperiment = {
  name: 'bn-accuracy',
  claim: 6,
  question: 'Does BN give the classic network a higher accuracy?',
  settings:
    'The assignment’s network (Dense 128, ReLU, dropout 0.2, Adam 0.001, batch 32) on the first 6,000 training images for 3 epochs, without and with BN, seeds 1 and 2.',
  plan: {
    widget: 'claim-bn-accuracy',
    base: { trainLimit: 6000, epochs: 3 },
    arms: bnArms,
    axis: null,
    seeds: [1, 2],
    record: {},
    chart: 'curves',
  },
  measure: validation,
  decide: decideAccuracy,
};
