/**
 * Santurkar et al.'s explanation of claim 1, measured: does BN make the loss landscape smoother
 * along the steps training takes ("How Does Batch Normalization Help Optimization?", 2018,
 * https://arxiv.org/abs/1805.11604, Figures 4 and 9)? Every fifth step of the deep sigmoid network
 * is probed at ½, 1, 2 and 4 times its update (engine/train/landscape.ts), without and with BN.
 *
 * The rule, fixed before any run: per run, the medians over its probed steps of the loss variation
 * and of the effective β-smoothness (the largest gradient change per unit distance). BN reduces a
 * quantity when the median without BN is at least `landscapeRatio` (1.5) times the median with BN.
 * Both reduced: holds; one: holds only for that one; neither: does not hold here.
 */
import type { LandscapeEvent } from '@engine/worker/protocol.ts';
import { bnArms } from '../axes';
import { validation, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';
import { byArm, deep } from './shared';

/** How many times larger without BN a median must be for BN to count as reducing it. */
export const landscapeRatio = 1.5;

/** The middle value (mean of the two middle ones for an even count) of the finite values; NaN when there are none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface LandscapeMedians {
  samples: number;
  lossRange: number;
  smoothness: number;
  stepNorm: number;
}

/** A run's medians over its probed steps; null when none was probed. */
export function landscapeMedians(samples: readonly LandscapeEvent[]): LandscapeMedians | null {
  if (samples.length === 0) return null;
  return {
    samples: samples.length,
    lossRange: median(samples.map((s) => s.lossRange)),
    smoothness: median(samples.map((s) => s.smoothness)),
    stepNorm: median(samples.map((s) => s.stepNorm)),
  };
}

const show = (x: number) => x.toPrecision(3);

export function decideLandscape(runs: readonly ClaimRun[]): ClaimVerdict {
  const [none] = byArm(runs, 'none');
  const [bn] = byArm(runs, 'batch');
  const a = none && landscapeMedians(none.landscape ?? []);
  const b = bn && landscapeMedians(bn.landscape ?? []);
  if (!a || !b)
    return { outcome: 'does not hold here', condition: '', reason: 'No landscape samples were recorded, so there is nothing to compare.' };
  const lossRatio = a.lossRange / b.lossRange;
  const smoothRatio = a.smoothness / b.smoothness;
  const said =
    `Medians over ${a.samples} probed steps without BN and ${b.samples} with BN: ` +
    `loss variation ${show(a.lossRange)} without BN and ${show(b.lossRange)} with BN (ratio ${lossRatio.toFixed(2)}×); ` +
    `gradient change per unit distance ${show(a.smoothness)} without BN and ${show(b.smoothness)} with BN (ratio ${smoothRatio.toFixed(2)}×); ` +
    `step length ${show(a.stepNorm)} without BN and ${show(b.stepNorm)} with BN.`;
  const loss = lossRatio >= landscapeRatio;
  const smooth = smoothRatio >= landscapeRatio;
  if (loss && smooth) return { outcome: 'holds', condition: '', reason: `${said} BN reduces both by at least ${landscapeRatio}×.` };
  if (smooth)
    return {
      outcome: 'holds only when',
      condition: 'smoothness is measured per unit distance (the gradient change), not as the loss variation along the step',
      reason: `${said} BN's steps are longer, so the loss moves along them at least as much as without BN.`,
    };
  if (loss)
    return {
      outcome: 'holds only when',
      condition: 'smoothness is measured as the loss variation along the step, not as the gradient change per unit distance',
      reason: `${said} Per unit distance, the gradient changes about as much with BN.`,
    };
  return { outcome: 'does not hold here', condition: '', reason: `${said} Neither is ${landscapeRatio}× smaller with BN.` };
}

export const lossLandscape: ClaimExperiment = {
  name: 'loss-landscape',
  question: 'Does BN make the loss landscape of a deep sigmoid network smoother along its training steps?',
  settings:
    '4 × 128 sigmoid, no dropout, SGD at learning rate 0.1, batch 32, 1 epoch on the first 4,000 training images, without and with BN (BN momentum 0.9); every fifth step, the loss and its gradient are measured on that step’s batch at ½, 1, 2 and 4 times the step (the update SGD applies, −0.1 × the gradient), and the run is left exactly as it would be without the probe. Rule, fixed before the runs: BN reduces a quantity when its median over the probed steps is at least 1.5 times smaller with BN.',
  plan: {
    widget: 'claim-loss-landscape',
    base: { hidden: deep, activation: 'sigmoid', optimizer: 'sgd', lr: 0.1, dropout: 0, epochs: 1, trainLimit: 4000, bnMomentum: 0.9 },
    arms: bnArms,
    axis: null,
    seeds: [1],
    record: { landscape: { every: 5, multiples: [0.5, 1, 2, 4] } },
    chart: 'landscape',
  },
  measure: validation,
  decide: decideLandscape,
};
