/**
 * What several of the regularization lessons' verdict rules read from a run.
 */
import type { ClaimRun } from '../claim';

/** The last value of a run's trace (its final step), or null without one. */
export const finalTrace = (r: ClaimRun): number | null => (r.trace && r.trace.length > 0 ? r.trace[r.trace.length - 1].value : null);

/** Training accuracy (running mean of the last epoch) minus validation accuracy, or null. */
export const accuracyGap = (r: ClaimRun) =>
  r.result.trainAccuracy !== null && r.result.validationAccuracy !== null ? r.result.trainAccuracy - r.result.validationAccuracy : null;
