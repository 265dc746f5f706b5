/**
 * Dropout (lesson 7): does dropout reduce overfitting on a small training set?
 */
import { percent, points, validation, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';
import { accuracyGap } from './shared';

/** Arms of the overfitting run: the same network without dropout and with dropout 0.5 after the hidden layer. */
const dropoutArms = [
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

export const dropoutOverfit: ClaimExperiment = {
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
};
