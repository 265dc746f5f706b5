/**
 * What the claims' plans and verdict rules share: the deep network several plans train, and
 * readers of finished runs. Each claim's own rule sits in its file, beside its plan.
 */
import type { ClaimRun } from '../claim';

export const deep = [128, 128, 128, 128];

export const byArm = (runs: readonly ClaimRun[], arm: string) => runs.filter((r) => r.arm === arm);
export const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
/** A run's final validation accuracy; null when it diverged. */
export const accuracy = (r: ClaimRun) => (r.diverged ? null : r.result.validationAccuracy);

/** How far the final validation accuracy moves along the axis, for one arm: [lowest, highest] run. */
export function rangeAlong(runs: readonly ClaimRun[]): { lo: ClaimRun; hi: ClaimRun } | null {
  const ok = runs.filter((r) => accuracy(r) !== null);
  if (ok.length === 0) return null;
  const sorted = [...ok].sort((a, b) => accuracy(a)! - accuracy(b)!);
  return { lo: sorted[0], hi: sorted[sorted.length - 1] };
}
