/**
 * Weight decay & L2 (lesson 6): the decay curve. The lecture notes frame regularization as a
 * balance between minimizing the error and controlling the weights: too little and the network
 * overfits, too much and it cannot fit. Swept over the L2 strength λ on the overfitting setup,
 * that balance would show as a U: a validation curve best at some λ between the ends.
 */
import { points, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';
import { weightNormTrace } from './weight-decay-overfit';
import { finalTrace } from './shared';

/** The swept strengths: from practically none (10⁻⁵) to one that stops the network fitting (10⁻¹). */
export const decayStrengths = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.1] as const;

/** λ as it reads in the verdict and on the axis: 1e-5, 0.001, 0.003. */
export const formatStrength = (v: number): string => (v < 0.001 ? v.toExponential(0).replace('e-', 'e−') : String(v));

interface PointMeans {
  lambda: number;
  loss: number;
  accuracy: number;
  norm: number | null;
  seeds: number;
}

/** Mean validation loss, validation accuracy and final ‖W‖ over the seeds at each λ, in axis order; λ with a missing number are left out. */
export function meansByStrength(runs: readonly ClaimRun[]): PointMeans[] {
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return [...new Set(runs.map((r) => r.position).filter((p): p is number => p !== null))]
    .sort((a, b) => a - b)
    .flatMap((lambda) => {
      const at = runs.filter((r) => r.position === lambda);
      const loss = at.map((r) => r.result.validationLoss);
      const accuracy = at.map((r) => r.result.validationAccuracy);
      if (loss.some((x) => x === null) || accuracy.some((x) => x === null)) return [];
      const norms = at.map(finalTrace);
      return [
        {
          lambda,
          loss: mean(loss as number[]),
          accuracy: mean(accuracy as number[]),
          norm: norms.some((n) => n === null) ? null : mean(norms as number[]),
          seeds: at.length,
        },
      ];
    });
}

/**
 * Is there a best strength between too little and too much? Rule (fixed before any run), on the
 * means over seeds at each λ: validation loss "has a U" when its lowest mean is at an inner λ (not
 * the smallest or the largest) and at least 5 % below the means at both ends; validation accuracy
 * "has a peak" when its highest mean is at an inner λ and at least half a point above the mean at
 * the smallest λ. Holds when both; holds only when one of them, naming it; does not hold otherwise.
 * Any diverged run leaves the question undecided here.
 */
export function decideDecayCurve(runs: readonly ClaimRun[]): ClaimVerdict {
  if (runs.length === 0 || runs.some((r) => r.diverged))
    return { outcome: 'does not hold here', condition: '', reason: 'A run diverged or is missing, so there is no curve to read.' };
  const m = meansByStrength(runs);
  if (m.length < 3)
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: 'Fewer than three strengths have results, so there is no curve to read.',
    };
  const first = m[0];
  const last = m[m.length - 1];
  const byLoss = m.reduce((best, p) => (p.loss < best.loss ? p : best));
  const byAccuracy = m.reduce((best, p) => (p.accuracy > best.accuracy ? p : best));
  const inner = (p: PointMeans) => p !== first && p !== last;
  const lossU = inner(byLoss) && byLoss.loss <= 0.95 * first.loss && byLoss.loss <= 0.95 * last.loss;
  const accuracyPeak = inner(byAccuracy) && byAccuracy.accuracy >= first.accuracy + 0.005;
  const describe = (p: PointMeans) =>
    `λ ${formatStrength(p.lambda)}: validation loss ${p.loss.toFixed(3)}, validation ${(p.accuracy * 100).toFixed(2)} %, ‖W‖ ${p.norm === null ? '—' : p.norm.toFixed(1)}`;
  const seeds = Math.min(...m.map((p) => p.seeds));
  const said = `Means over ${seeds === 1 ? '1 seed' : `${seeds} seeds`} — ${m.map(describe).join('; ')}.`;
  const lossWords = `validation loss is lowest at λ ${formatStrength(byLoss.lambda)} (${byLoss.loss.toFixed(3)}, against ${first.loss.toFixed(3)} with the least decay and ${last.loss.toFixed(3)} with the most)`;
  const accuracyWords = `validation accuracy is highest at λ ${formatStrength(byAccuracy.lambda)} (${points(byAccuracy.accuracy - first.accuracy, 2)} above the least decay)`;
  if (lossU && accuracyPeak)
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} Both curves have their best inside the range: ${lossWords}; ${accuracyWords}.`,
    };
  if (lossU)
    return {
      outcome: 'holds only when',
      condition: 'the curve is read in validation loss: validation accuracy has no peak inside the range',
      reason: `${said} The U is there in loss: ${lossWords}. In accuracy it is not: the best mean is at λ ${formatStrength(byAccuracy.lambda)}, and no inner λ beats the least decay by half a point.`,
    };
  if (accuracyPeak)
    return {
      outcome: 'holds only when',
      condition: 'the curve is read in validation accuracy: validation loss has no U inside the range',
      reason: `${said} ${accuracyWords[0].toUpperCase()}${accuracyWords.slice(1)}, but the lowest validation loss is not 5 % below both ends.`,
    };
  return {
    outcome: 'does not hold here',
    condition: '',
    reason: `${said} Neither curve has its best inside the range by the rule's margins.`,
  };
}

export const decayCurve: ClaimExperiment = {
  name: 'decay-curve',
  question: 'Is there a best amount of L2 between too little (overfitting) and too much (underfitting)?',
  settings: `The overfitting setup: the assignment’s network without dropout (Dense 128, ReLU, Dense 10; Adam at learning rate 0.001, batch 32) on the first 2,000 training images for 40 epochs, with the Keras L2 penalty λ·Σw² on both Dense kernels at λ = ${decayStrengths.map(formatStrength).join(', ')}, seeds 1 and 2 at each λ. Validation uses the 6,000 held-out images. ‖W‖ is the norm of all Dense weights taken together after the last step.`,
  plan: {
    widget: 'decay-curve',
    base: { trainLimit: 2000, epochs: 40, dropout: 0 },
    arms: [{ id: 'l2', label: 'Adam + L2', config: {} }],
    axis: {
      key: 'l2',
      label: 'L2 strength λ',
      values: decayStrengths,
      format: (v) => `λ ${formatStrength(v as number)}`,
      position: (v) => v as number,
      scale: 'log',
    },
    seeds: [1, 2],
    record: { diagnostics: { intervalMs: 250, bins: 8 } },
    chart: 'sweep',
  },
  measure: { label: 'validation loss', read: (r) => r.validationLoss, percent: false },
  decide: decideDecayCurve,
  trace: weightNormTrace,
};
