/**
 * Claim 11, momentum: does BN's momentum change what the trained network scores? The same training
 * run evaluated with moving averages of different momenta.
 */
import { bnArms } from '../axes';
import type { Axis } from '../plan';
import { validation, percent, points, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';
import { accuracy, deep, rangeAlong } from './shared';

/** BN momentum ρ as the steps its moving average mostly remembers, 1/(1 − ρ). */
export const averagingWindow = (momentum: number) => Math.round(1 / (1 - momentum));

/**
 * Claim 11, momentum: the same training run evaluated with moving averages of different momenta
 * (the axis position is the averaging window 1/(1 − ρ) in steps). Momentum matters when the
 * validation accuracy moves by more than a point across the momenta.
 */
export function decideMomentum(runs: readonly ClaimRun[], steps: number): ClaimVerdict {
  const r = rangeAlong(runs);
  if (r === null) return { outcome: 'does not hold here', condition: '', reason: 'No run finished with a validation accuracy.' };
  const sorted = [...runs].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  const each = sorted.map((x) => `window ${x.position} steps: ${accuracy(x) === null ? 'diverged' : percent(accuracy(x)!, 2)}`).join('; ');
  const train = [...new Set(sorted.map((x) => (x.result.trainAccuracy === null ? '—' : percent(x.result.trainAccuracy, 2))))];
  const said = `Validation accuracy after ${steps} training steps, by the moving averages’ window 1/(1 − momentum): ${each}. Training accuracy ${train.length === 1 ? `is ${train[0]} in every run` : `is ${train.join(', ')}`}.`;
  const moved = accuracy(r.hi)! - accuracy(r.lo)!;
  // A point of accuracy is the margin: the runs train identically, so the difference is the averages'.
  if (moved > 0.01) {
    const fine = sorted.filter((x) => accuracy(x) !== null && accuracy(x)! >= accuracy(r.hi)! - 0.01).map((x) => x.position ?? 0);
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} The momentum moves validation accuracy by ${points(moved)}; windows up to ${Math.max(...fine)} steps keep within a point of the best here.`,
    };
  }
  return {
    outcome: 'does not hold here',
    condition: '',
    reason: `${said} The momentum moves validation accuracy by only ${points(moved)}.`,
  };
}

/** Claim 11's axis: BN momentum, placed at its averaging window in steps. */
const momentumAxis: Axis = {
  key: 'bnMomentum',
  label: 'BN averaging window 1/(1 − momentum), steps',
  values: [0.9, 0.99, 0.999],
  format: (v) => `momentum ${String(v)}`,
  position: (v) => averagingWindow(v as number),
  scale: 'log',
};
const momentumSteps = 125;

export const bnMomentum: ClaimExperiment = {
  name: 'bn-momentum',
  claim: 11,
  question: 'Does BN’s momentum change what the trained network scores?',
  settings: `4 × 128 sigmoid with BN, no dropout, SGD at learning rate 0.1, batch 32, 1 epoch on the first 4,000 training images (${momentumSteps} steps), BN momentum 0.9, 0.99 and 0.999 (moving averages that mostly remember the last 10, 100 and 1,000 steps); scored on the validation set in evaluation mode, with the moving averages.`,
  plan: {
    widget: 'claim-bn-momentum',
    base: { hidden: deep, activation: 'sigmoid', optimizer: 'sgd', lr: 0.1, dropout: 0, epochs: 1, trainLimit: 4000 },
    arms: [bnArms[1]],
    axis: momentumAxis,
    seeds: [1],
    record: {},
    chart: 'sweep',
  },
  measure: validation,
  decide: (runs) => decideMomentum(runs, momentumSteps),
};
