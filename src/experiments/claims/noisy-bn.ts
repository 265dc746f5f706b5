/**
 * Claim 1, Santurkar et al.'s noise injection: does BN still help when noise shifts its output
 * distribution at every step?
 */
import { validation, percent, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';
import { accuracy, byArm, deep } from './shared';

/** The strength of the noise claim 1's second plan injects after every BN layer (engine/layers/noisy-batch-norm.ts). */
const injectedNoise = 1;

/**
 * Claim 1, Santurkar et al.'s noise injection: BN followed by time-varying noise of non-zero mean
 * and non-unit variance. Their finding holds here when the noisy BN model keeps more than half of
 * BN's lead over the model without BN (validation accuracy).
 */
export function decideNoisyBn(runs: readonly ClaimRun[]): ClaimVerdict {
  const acc = (arm: string) => {
    const [r] = byArm(runs, arm);
    return r ? accuracy(r) : null;
  };
  const none = acc('none');
  const bn = acc('batch');
  const noisy = acc('noisy');
  if (none === null || bn === null || noisy === null)
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: 'A model diverged or did not finish, so there is no accuracy to compare.',
    };
  const said = `Validation accuracy: no BN ${percent(none)}, BN ${percent(bn)}, BN followed by noise ${percent(noisy)}.`;
  if (bn - none <= 0.01) return { outcome: 'does not hold here', condition: '', reason: `${said} BN has no lead here to keep or lose.` };
  const kept = (noisy - none) / (bn - none);
  if (kept > 0.5)
    return { outcome: 'holds', condition: '', reason: `${said} With the injected shift BN keeps ${Math.round(kept * 100)} % of its lead.` };
  return {
    outcome: 'does not hold here',
    condition: '',
    reason: `${said} The injected shift takes away ${Math.round((1 - kept) * 100)} % of BN's lead.`,
  };
}

export const noisyBn: ClaimExperiment = {
  name: 'noisy-bn',
  claim: 1,
  question: 'Does BN still help when noise shifts its output distribution at every step?',
  settings: `4 × 128 sigmoid, no dropout, SGD at learning rate 0.1, batch 32, 1 epoch on the first 4,000 training images (BN momentum 0.9), three models: without BN, with BN, and with BN followed by noise — at every step each unit’s output is shifted by a random mean between −${injectedNoise} and ${injectedNoise} and gets random noise with a standard deviation between 0 and ${injectedNoise}.`,
  plan: {
    widget: 'claim-noisy-bn',
    base: { hidden: deep, activation: 'sigmoid', optimizer: 'sgd', lr: 0.1, dropout: 0, epochs: 1, trainLimit: 4000, bnMomentum: 0.9 },
    arms: [
      { id: 'none', label: 'no BN', config: { norm: 'none' } },
      { id: 'batch', label: 'BN', config: { norm: 'batch', bnNoise: 0 } },
      { id: 'noisy', label: 'BN + noise', config: { norm: 'batch', bnNoise: injectedNoise } },
    ],
    axis: null,
    seeds: [1],
    record: {},
    chart: 'curves',
  },
  measure: validation,
  decide: decideNoisyBn,
};
