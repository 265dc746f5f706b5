/**
 * Claim 2: does BN let the deep ReLU network train at higher learning rates?
 */
import { axisOf, bnArms } from '../axes';
import { validation, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';
import { byArm, deep } from './shared';

/** A run "trains" when it did not diverge and ends well above chance (10 %). */
const trains = (r: ClaimRun) => !r.diverged && (r.result.validationAccuracy ?? 0) > 0.5;

/** Claim 2: the largest learning rate at which each model still trains. */
export function decideLearningRates(runs: readonly ClaimRun[]): ClaimVerdict {
  const largest = (arm: string) => {
    const ok = byArm(runs, arm)
      .filter(trains)
      .map((r) => r.position ?? 0);
    return ok.length > 0 ? Math.max(...ok) : null;
  };
  const none = largest('none');
  const bn = largest('batch');
  const lr = (x: number | null) => (x === null ? 'none of the rates tried' : `lr ${x}`);
  const tried = [...new Set(runs.map((r) => r.position ?? 0))].sort((a, b) => a - b);
  const said = `Largest learning rate that trains (above 50 % validation accuracy, no divergence) of ${tried.join(', ')}: without BN ${lr(none)}, with BN ${lr(bn)}.`;
  if (bn !== null && (none === null || bn > none))
    return { outcome: 'holds', condition: '', reason: `${said} Only BN trains above ${lr(none)}.` };
  return { outcome: 'does not hold here', condition: '', reason: `${said} BN gains no headroom on this grid.` };
}

export const lrHeadroom: ClaimExperiment = {
  name: 'lr-headroom',
  claim: 2,
  question: 'Does BN let the deep ReLU network train at higher learning rates?',
  settings:
    '4 × 128 ReLU, no dropout, plain SGD at learning rates 0.1, 1 and 3, batch 32, 1 epoch on the first 4,000 training images, without and with BN.',
  plan: {
    widget: 'claim-lr-headroom',
    base: { hidden: deep, optimizer: 'sgd', dropout: 0, epochs: 1, trainLimit: 4000 },
    arms: bnArms,
    axis: axisOf('lr', [0.1, 1, 3]),
    seeds: [1],
    record: {},
    chart: 'sweep',
  },
  measure: validation,
  decide: decideLearningRates,
};
