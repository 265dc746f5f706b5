/**
 * Dropout (lesson 7): does dropout placed right before a BN layer cost accuracy at inference (the
 * variance shift)?
 */
import { percent, points, validation, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';

/** Arms of the placement run: dropout after BN and ReLU (the assignment's order) and right before BN. */
const dropoutPlacementArms = [
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

export const dropoutBeforeBn: ClaimExperiment = {
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
};
