/**
 * Weight decay & L2 (lesson 6): does weight decay shrink the weights and the gap between training
 * and validation accuracy? The weights' norm ‖W‖ is drawn over the epochs (its trace).
 */
import type { DiagnosticsEvent } from '@engine/worker/protocol.ts';
import { percent, points, validation, type ClaimExperiment, type ClaimRun, type ClaimVerdict, type TraceSpec } from '../claim';
import { accuracyGap, finalTrace } from './shared';

/** ‖W‖: the L2 norm of every Dense kernel taken together (the parameters the engine decays), from one diagnostics frame. */
export function kernelNorm(frame: DiagnosticsEvent): number | null {
  const norms = frame.layers.flatMap((l) => (l.kind === 'Dense' ? l.params.filter((p) => p.name === 'kernel').map((p) => p.norm) : []));
  return norms.length === 0 ? null : Math.sqrt(norms.reduce((s, n) => s + n * n, 0));
}

export const weightNormTrace: TraceSpec = { label: 'weight norm ‖W‖', percent: false, read: kernelNorm };

/** The first value of a run's trace (its first recorded step), or null without one. */
const firstTrace = (r: ClaimRun): number | null => (r.trace && r.trace.length > 0 ? r.trace[0].value : null);

/** Arms of the overfitting run: Adam alone, Adam + L2 in the loss, and AdamW at two strengths. */
const decayArms = [
  { id: 'adam', label: 'Adam', config: {} },
  { id: 'l2', label: 'Adam + L2 0.001', config: { l2: 0.001 } },
  { id: 'adamw-small', label: 'AdamW 0.002', config: { optimizer: 'adamw', weightDecay: 0.002 } },
  { id: 'adamw', label: 'AdamW 0.5', config: { optimizer: 'adamw', weightDecay: 0.5 } },
] as const;

/**
 * Does weight decay shrink the weights and the train/validation gap? Rule (fixed before any
 * run): a decay arm "shrinks the weights" when its final ‖W‖ is below 0.9 × Adam's; it "closes
 * the gap" when its training-minus-validation accuracy is a point or more below Adam's. Holds
 * when an arm does both; holds only when the gap is read in validation loss when the shrinking
 * arms lower the validation loss by 5 % or more but leave the accuracy gap within a point.
 */
export function decideWeightDecay(runs: readonly ClaimRun[]): ClaimVerdict {
  const base = runs.find((r) => r.arm === 'adam');
  const decayed = runs.filter((r) => r.arm !== 'adam');
  if (!base || decayed.length === 0 || runs.some((r) => r.diverged))
    return { outcome: 'does not hold here', condition: '', reason: 'A run diverged or is missing, so there is nothing to compare.' };
  const baseNorm = finalTrace(base);
  const baseGap = accuracyGap(base);
  if (baseNorm === null || baseGap === null)
    return { outcome: 'does not hold here', condition: '', reason: 'The runs recorded no weight norm or no accuracies to compare.' };
  const label = (r: ClaimRun) => decayArms.find((a) => a.id === r.arm)?.label ?? r.arm;
  const loss = (r: ClaimRun) => r.result.validationLoss;
  const describe = (r: ClaimRun) => {
    const gap = accuracyGap(r);
    const start = firstTrace(r);
    return `${label(r)}: ‖W‖ ${start === null ? '' : `${start.toFixed(1)} → `}${finalTrace(r)?.toFixed(1) ?? '—'}, validation ${percent(r.result.validationAccuracy ?? 0, 2)}, gap ${gap === null ? '—' : points(gap)}, validation loss ${loss(r)?.toFixed(3) ?? '—'}`;
  };
  const said = `After the last epoch — ${[base, ...decayed].map(describe).join('; ')}.`;
  const shrinks = decayed.filter((r) => (finalTrace(r) ?? Infinity) < 0.9 * baseNorm);
  const closes = shrinks.filter((r) => (accuracyGap(r) ?? Infinity) <= baseGap - 0.01);
  if (closes.length > 0)
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} ${closes.map(label).join(' and ')} shrink${closes.length === 1 ? 's' : ''} the weights and the accuracy gap.`,
    };
  const baseLoss = loss(base);
  const lowerLoss = shrinks.filter((r) => baseLoss !== null && (loss(r) ?? Infinity) <= 0.95 * baseLoss);
  const weak = decayed.filter((r) => !shrinks.includes(r));
  const weakNote = weak.length > 0 ? ` ${weak.map(label).join(' and ')} barely move${weak.length === 1 ? 's' : ''} the weights.` : '';
  if (lowerLoss.length > 0) {
    return {
      outcome: 'holds only when',
      condition:
        'the gap is read in validation loss: the weights shrink and the validation loss drops, but the accuracy gap stays within a point',
      reason: `${said} ${lowerLoss.map(label).join(' and ')} shrink${lowerLoss.length === 1 ? 's' : ''} the weights and lower${lowerLoss.length === 1 ? 's' : ''} the validation loss by 5 % or more.${weakNote}`,
    };
  }
  return {
    outcome: 'does not hold here',
    condition: '',
    reason: `${said} No decay both shrinks the weights and narrows a gap.${weakNote}`,
  };
}

export const weightDecayOverfit: ClaimExperiment = {
  name: 'weight-decay-overfit',
  question: 'Does weight decay shrink the weights and the gap between training and validation accuracy?',
  settings:
    'The assignment’s network without dropout (Dense 128, ReLU, Dense 10; Adam at learning rate 0.001, batch 32) on the first 2,000 training images for 40 epochs: Adam alone, Adam with L2 0.001 in the loss, and AdamW with decoupled weight decay 0.002 and 0.5. ‖W‖ is the norm of all Dense weights taken together (biases are not decayed and not counted).',
  plan: {
    widget: 'wd-overfit',
    base: { trainLimit: 2000, epochs: 40, dropout: 0 },
    arms: decayArms,
    axis: null,
    seeds: [1],
    record: { diagnostics: { intervalMs: 100, bins: 8 } },
    chart: 'curves',
  },
  measure: validation,
  decide: decideWeightDecay,
  trace: weightNormTrace,
};
