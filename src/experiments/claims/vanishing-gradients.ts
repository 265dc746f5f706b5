/**
 * Claim 4: does BN keep the gradients of a deep sigmoid network from vanishing? The spread of the
 * Dense layers' gradient norms, without and with BN.
 */
import { bnArms } from '../axes';
import { validation, percent, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';
import { byArm, deep } from './shared';

/** The ratio of the largest to the smallest mean Dense-kernel gradient norm of a run (1 = all layers alike). */
export function gradientFan(run: ClaimRun): number | null {
  const g = run.kernelGradNorms.filter((x) => Number.isFinite(x) && x > 0);
  return g.length < 2 ? null : Math.max(...g) / Math.min(...g);
}

/** Claim 4: per-layer gradient norms of a deep sigmoid network, and whether it learns. */
export function decideGradients(runs: readonly ClaimRun[]): ClaimVerdict {
  const [none] = byArm(runs, 'none');
  const [bn] = byArm(runs, 'batch');
  const fanNone = none ? gradientFan(none) : null;
  const fanBn = bn ? gradientFan(bn) : null;
  if (!none || !bn || fanNone === null || fanBn === null)
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: 'No per-layer gradient norms were recorded, so there is nothing to compare.',
    };
  const fmt = (x: number) => (x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));
  const acc = (r: ClaimRun) => (r.diverged ? 'diverged' : percent(r.result.validationAccuracy ?? 0));
  const said = `Largest over smallest layer gradient norm: ${fmt(fanNone)}× without BN, ${fmt(fanBn)}× with BN; validation accuracy ${acc(none)} without BN, ${acc(bn)} with BN.`;
  // A factor of 2 between the fans is the rule: smaller differences are within frame-to-frame noise.
  const smallest = (r: ClaimRun) => {
    const i = r.kernelGradNorms.indexOf(Math.min(...r.kernelGradNorms));
    return i === 0 ? 'the first (input) layer' : `Dense layer ${i + 1} of ${r.kernelGradNorms.length}`;
  };
  if (fanNone > 2 * fanBn)
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} Without BN the smallest gradient is at ${smallest(none)}; with BN the layers get gradients of similar size.`,
    };
  return { outcome: 'does not hold here', condition: '', reason: `${said} The layers' gradients spread about as much with BN as without.` };
}

export const vanishingGradients: ClaimExperiment = {
  name: 'vanishing-gradients',
  claim: 4,
  question: 'Does BN keep the gradients of a deep sigmoid network from vanishing?',
  settings:
    '4 × 128 sigmoid, no dropout, SGD at learning rate 0.1, batch 32, 1 epoch on the first 4,000 training images, without and with BN (BN momentum 0.9, so its running averages catch up within the 125 steps); the gradient norm of every Dense layer is recorded while it trains.',
  plan: {
    widget: 'claim-vanishing-gradients',
    base: { hidden: deep, activation: 'sigmoid', optimizer: 'sgd', lr: 0.1, dropout: 0, epochs: 1, trainLimit: 4000, bnMomentum: 0.9 },
    arms: bnArms,
    axis: null,
    seeds: [1],
    record: { diagnostics: { intervalMs: 250, bins: 16 } },
    chart: 'curves',
  },
  measure: validation,
  decide: decideGradients,
};
