/**
 * The regularization lessons' guided experiments (weight decay & L2, dropout, gradient clipping)
 * as plans on the experiment kit, each with a verdict function over the finished runs. Like the
 * claims of lesson 12 (claims/), every verdict is a rule written here before any run, applied
 * to what the runs measured. Weight decay's entries come first, in one block.
 */
import type { DiagnosticsEvent } from '@engine/worker/protocol.ts';
import type { SweepResult } from './queue';
import { percent, points, type ClaimExperiment, type ClaimRun, type ClaimVerdict, type TraceSpec } from './claim';

const validation = { label: 'validation accuracy (%)', read: (r: SweepResult) => r.validationAccuracy, percent: true };

// ── Weight decay & L2 (lesson 6) ────────────────────────────────────────────────────────────

/** ‖W‖: the L2 norm of every Dense kernel taken together (the parameters the engine decays), from one diagnostics frame. */
export function kernelNorm(frame: DiagnosticsEvent): number | null {
  const norms = frame.layers.flatMap((l) => (l.kind === 'Dense' ? l.params.filter((p) => p.name === 'kernel').map((p) => p.norm) : []));
  return norms.length === 0 ? null : Math.sqrt(norms.reduce((s, n) => s + n * n, 0));
}

/** The share of the first ReLU layer's units that are 0 for every example of the frame's training batch. */
export function deadReluShare(frame: DiagnosticsEvent): number | null {
  return frame.layers.find((l) => l.dead !== undefined && l.dead !== null)?.dead ?? null;
}

export const weightNormTrace: TraceSpec = { label: 'weight norm ‖W‖', percent: false, read: kernelNorm };
export const deadReluTrace: TraceSpec = { label: 'dead ReLU units', percent: true, read: deadReluShare };

/** The last value of a run's trace (its final step), or null without one. */
export const finalTrace = (r: ClaimRun): number | null => (r.trace && r.trace.length > 0 ? r.trace[r.trace.length - 1].value : null);
/** The first value of a run's trace (its first recorded step), or null without one. */
const firstTrace = (r: ClaimRun): number | null => (r.trace && r.trace.length > 0 ? r.trace[0].value : null);

/** Training accuracy (running mean of the last epoch) minus validation accuracy, or null. */
const accuracyGap = (r: ClaimRun) =>
  r.result.trainAccuracy !== null && r.result.validationAccuracy !== null ? r.result.trainAccuracy - r.result.validationAccuracy : null;

/** Arms of the overfitting run: Adam alone, Adam + L2 in the loss, and AdamW at two strengths. */
export const decayArms = [
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

/**
 * Does weight decay keep ReLUs from dying at a high learning rate? Rule: it does when a decay
 * arm ends with at least 5 points fewer dead units (on the last training batch) than the same
 * run without decay; it does not when none does (and the reason says whether decay left more).
 */
export function decideDeadRelus(runs: readonly ClaimRun[]): ClaimVerdict {
  const base = runs.find((r) => r.arm === 'adam');
  const decayed = runs.filter((r) => r.arm !== 'adam');
  const baseDead = base ? finalTrace(base) : null;
  if (!base || baseDead === null || decayed.some((r) => finalTrace(r) === null))
    return { outcome: 'does not hold here', condition: '', reason: 'A run recorded no dead-unit share, so there is nothing to compare.' };
  const label = (r: ClaimRun) => deadArms.find((a) => a.id === r.arm)?.label ?? r.arm;
  const acc = (r: ClaimRun) => (r.diverged ? 'diverged' : percent(r.result.validationAccuracy ?? 0));
  const said = `Dead ReLU units after the last step (0 on every example of the last training batch): ${[base, ...decayed].map((r) => `${label(r)} ${percent(finalTrace(r)!)} (validation ${acc(r)})`).join('; ')}.`;
  const fewer = decayed.filter((r) => finalTrace(r)! <= baseDead - 0.05);
  if (fewer.length > 0)
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} ${fewer.map(label).join(' and ')} leave${fewer.length === 1 ? 's' : ''} at least 5 points fewer dead units.`,
    };
  const more = decayed.filter((r) => finalTrace(r)! >= baseDead + 0.05);
  return {
    outcome: 'does not hold here',
    condition: '',
    reason: `${said} ${more.length > 0 ? `${more.map(label).join(' and ')} leave${more.length === 1 ? 's' : ''} more units dead, not fewer.` : 'Decay changes the dead share by less than 5 points.'}`,
  };
}

/** Arms of the high-learning-rate run: Adam at lr 0.03 alone, with L2 in the loss, and AdamW. */
export const deadArms = [
  { id: 'adam', label: 'Adam', config: {} },
  { id: 'l2', label: 'Adam + L2 0.001', config: { l2: 0.001 } },
  { id: 'adamw', label: 'AdamW 0.1', config: { optimizer: 'adamw', weightDecay: 0.1 } },
] as const;

/** ‖Δw‖ / ‖w‖ of the first Dense kernel over the frame's step: the step size relative to the weights, which is what a layer before BN feels. */
export function firstKernelUpdateRatio(frame: DiagnosticsEvent): number | null {
  const kernel = frame.layers.find((l) => l.kind === 'Dense')?.params.find((p) => p.name === 'kernel');
  return kernel && Number.isFinite(kernel.updateRatio) ? kernel.updateRatio : null;
}

export const updateRatioTrace: TraceSpec = { label: 'relative step ‖Δw‖/‖w‖, first layer', percent: false, read: firstKernelUpdateRatio };

/** Arms of the BN run under plain SGD: no decay, and L2 at two strengths. */
export const bnDecayArms = [
  { id: 'none', label: 'SGD', config: {} },
  { id: 'l2-small', label: 'SGD + L2 0.0005', config: { l2: 0.0005 } },
  { id: 'l2', label: 'SGD + L2 0.005', config: { l2: 0.005 } },
] as const;

/** The mean of a run's trace over its second half (by step): single steps are noisy, half a run is not. */
export function lateMean(r: ClaimRun): number | null {
  const t = r.trace ?? [];
  if (t.length === 0) return null;
  const half = t[t.length - 1].step / 2;
  const late = t.filter((p) => p.step >= half);
  return late.reduce((s, p) => s + p.value, 0) / late.length;
}

/**
 * Decay on weights that feed BN: does it change the effective learning rate? Rule: holds when
 * the strongest decay's mean relative step over the second half of training is at least 1.5 ×
 * the undecayed run's (the layer's function is unchanged by the scale, so a larger relative step
 * is a larger effective learning rate); does not hold otherwise.
 */
export function decideBnDecay(runs: readonly ClaimRun[]): ClaimVerdict {
  const base = runs.find((r) => r.arm === 'none');
  const strongest = runs.find((r) => r.arm === 'l2');
  const b = base ? lateMean(base) : null;
  const s = strongest ? lateMean(strongest) : null;
  if (!base || !strongest || b === null || s === null || b <= 0)
    return { outcome: 'does not hold here', condition: '', reason: 'A run recorded no relative steps, so there is nothing to compare.' };
  const label = (r: ClaimRun) => bnDecayArms.find((a) => a.id === r.arm)?.label ?? r.arm;
  const acc = (r: ClaimRun) => (r.diverged ? 'diverged' : percent(r.result.validationAccuracy ?? 0));
  const said = `Mean relative step ‖Δw‖/‖w‖ of the first layer over the second half of training: ${runs.map((r) => `${label(r)} ${lateMean(r)?.toExponential(1) ?? '—'} (validation ${acc(r)})`).join('; ')}.`;
  const ratio = s / b;
  if (ratio >= 1.5)
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} The strongest decay takes steps ${ratio.toFixed(1)} times as large relative to the weights, with the same learning rate.`,
    };
  return {
    outcome: 'does not hold here',
    condition: '',
    reason: `${said} The relative steps differ by a factor of ${ratio.toFixed(1)} only.`,
  };
}

export const weightDecayExperiments: readonly ClaimExperiment[] = [
  {
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
  },
  {
    name: 'wd-dead-relus',
    question: 'Does weight decay keep ReLU units from dying at a high learning rate?',
    settings:
      'The assignment’s network without dropout, Adam at learning rate 0.03 (30 times the default), batch 32, on the first 4,000 training images for 10 epochs: without decay, with L2 0.001 in the loss, and with AdamW weight decay 0.1. A hidden unit counts as dead when it outputs 0 for every image of a training batch (32 images).',
    plan: {
      widget: 'wd-dead-relus',
      base: { trainLimit: 4000, epochs: 10, dropout: 0, lr: 0.03 },
      arms: deadArms,
      axis: null,
      seeds: [1],
      record: { diagnostics: { intervalMs: 100, bins: 8 } },
      chart: 'curves',
    },
    measure: validation,
    decide: decideDeadRelus,
    trace: deadReluTrace,
  },
  {
    name: 'wd-bn-effective-lr',
    question: 'Before a BN layer, does weight decay change the effective learning rate?',
    settings:
      'The assignment’s network with BN before the ReLU, no dropout, plain SGD at learning rate 0.1, batch 32, on the first 6,000 training images for 10 epochs: without decay and with L2 0.0005 and 0.005 in the loss. The relative step is ‖Δw‖/‖w‖ of the first Dense layer’s weights over one training step.',
    plan: {
      widget: 'wd-bn-effective-lr',
      base: { trainLimit: 6000, epochs: 10, dropout: 0, norm: 'batch', optimizer: 'sgd', lr: 0.1 },
      arms: bnDecayArms,
      axis: null,
      seeds: [1],
      record: { diagnostics: { intervalMs: 100, bins: 8 } },
      chart: 'curves',
    },
    measure: validation,
    decide: decideBnDecay,
    trace: updateRatioTrace,
  },
];

// ── end of weight decay & L2 ─────────────────────────────────────────────────────────────────

// ── Dropout (lesson 7) ──────────────────────────────────────────────────────────────────────

/** Arms of the overfitting run: the same network without dropout and with dropout 0.5 after the hidden layer. */
export const dropoutArms = [
  { id: 'none', label: 'no dropout', config: { dropout: 0 } },
  { id: 'dropout', label: 'dropout 0.5', config: { dropout: 0.5 } },
] as const;

/**
 * Does dropout reduce overfitting? Rule (fixed before any run): dropout "narrows the gap" when
 * its training-minus-validation accuracy is a point or more below the run without it, and
 * "generalizes better" when its validation accuracy is half a point or more above. Holds when it
 * does both; holds only when the gap is what you read when it narrows the gap alone (training
 * accuracy with dropout on is measured on a handicapped network, so a narrower gap alone does not
 * show a better model); does not hold otherwise.
 */
export function decideDropoutOverfit(runs: readonly ClaimRun[]): ClaimVerdict {
  const none = runs.find((r) => r.arm === 'none');
  const drop = runs.find((r) => r.arm === 'dropout');
  if (!none || !drop || none.diverged || drop.diverged)
    return { outcome: 'does not hold here', condition: '', reason: 'A run diverged or is missing, so there is nothing to compare.' };
  const gapNone = accuracyGap(none);
  const gapDrop = accuracyGap(drop);
  const valNone = none.result.validationAccuracy;
  const valDrop = drop.result.validationAccuracy;
  if (gapNone === null || gapDrop === null || valNone === null || valDrop === null)
    return { outcome: 'does not hold here', condition: '', reason: 'A run has no training or validation accuracy to compare.' };
  const loss = (r: ClaimRun) => r.result.validationLoss?.toFixed(3) ?? '—';
  const describe = (r: ClaimRun, label: string, gap: number) =>
    `${label}: training ${percent(r.result.trainAccuracy ?? 0)}, validation ${percent(r.result.validationAccuracy ?? 0, 2)} (gap ${points(gap)}), validation loss ${loss(r)}`;
  const said = `After the last epoch — ${describe(none, 'no dropout', gapNone)}; ${describe(drop, 'dropout 0.5', gapDrop)}.`;
  const narrows = gapDrop <= gapNone - 0.01;
  const better = valDrop >= valNone + 0.005;
  const diff = `${valDrop >= valNone ? '+' : ''}${points(valDrop - valNone, 2)}`;
  if (narrows && better)
    return { outcome: 'holds', condition: '', reason: `${said} Dropout narrows the gap and raises validation accuracy by ${diff}.` };
  if (narrows) {
    return {
      outcome: 'holds only when',
      condition: 'the gap is what you read: dropout narrows it, but validation accuracy moves by less than half a point',
      reason: `${said} Validation accuracy changes by ${diff}.`,
    };
  }
  return { outcome: 'does not hold here', condition: '', reason: `${said} Dropout does not narrow the gap by a point.` };
}

/** Arms of the placement run: dropout after BN and ReLU (the assignment's order) and right before BN. */
export const dropoutPlacementArms = [
  { id: 'after-norm', label: 'dropout after BN', config: { dropoutPlacement: 'after-norm' } },
  { id: 'before-norm', label: 'dropout before BN', config: { dropoutPlacement: 'before-norm' } },
] as const;

/**
 * Does dropout right before BN cost accuracy at inference (the variance shift)? Rule: holds when
 * the before-BN model's validation accuracy is a point or more below the after-BN model's.
 */
export function decideDropoutBeforeBn(runs: readonly ClaimRun[]): ClaimVerdict {
  const after = runs.find((r) => r.arm === 'after-norm');
  const before = runs.find((r) => r.arm === 'before-norm');
  if (!after || !before || after.diverged || before.diverged)
    return { outcome: 'does not hold here', condition: '', reason: 'A run diverged or is missing, so there is nothing to compare.' };
  const a = after.result.validationAccuracy;
  const b = before.result.validationAccuracy;
  if (a === null || b === null)
    return { outcome: 'does not hold here', condition: '', reason: 'A run has no validation accuracy to compare.' };
  const train = (r: ClaimRun) => percent(r.result.trainAccuracy ?? 0);
  const said = `Validation accuracy: dropout after BN ${percent(a, 2)} (training ${train(after)}), dropout right before BN ${percent(b, 2)} (training ${train(before)}); difference ${points(b - a, 2)}.`;
  if (b <= a - 0.01)
    return { outcome: 'holds', condition: '', reason: `${said} Placed before BN, dropout costs a point or more at inference.` };
  return { outcome: 'does not hold here', condition: '', reason: `${said} The placement costs less than a point here.` };
}

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

export const dropoutExperiments: readonly ClaimExperiment[] = [
  {
    name: 'dropout-overfit',
    question: 'Does dropout reduce overfitting on a small training set?',
    settings:
      'The assignment’s network (Dense 128, ReLU, Dense 10; Adam at learning rate 0.001, batch 32) on the first 2,000 training images for 40 epochs, without dropout and with dropout 0.5 after the hidden layer. Training accuracy is the running mean over the last epoch, measured with dropout on.',
    plan: {
      widget: 'dropout-overfit',
      base: { trainLimit: 2000, epochs: 40 },
      arms: dropoutArms,
      axis: null,
      seeds: [1],
      record: {},
      chart: 'curves',
    },
    measure: validation,
    decide: decideDropoutOverfit,
  },
  {
    name: 'dropout-before-bn',
    question: 'Does dropout placed right before a BN layer cost accuracy at inference?',
    settings:
      'The assignment’s BN network (Dense 128, BN, ReLU, Dense 10; Adam at learning rate 0.001, batch 32) with dropout 0.5, on the first 6,000 training images for 5 epochs: dropout after BN and ReLU (the assignment’s order) and dropout right before BN.',
    plan: {
      widget: 'dropout-before-bn',
      base: { norm: 'batch', dropout: 0.5, trainLimit: 6000, epochs: 5 },
      arms: dropoutPlacementArms,
      axis: null,
      seeds: [1],
      record: {},
      chart: 'curves',
    },
    measure: validation,
    decide: decideDropoutBeforeBn,
  },
  {
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
  },
];

// ── end of dropout ───────────────────────────────────────────────────────────────────────────

export const regularizationExperiments: readonly ClaimExperiment[] = [...weightDecayExperiments, ...dropoutExperiments];
