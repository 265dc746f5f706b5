/** Finished runs made up for the claims' verdict tests: `run({ arm, ...fields })` with `result(accuracy)`. */
import type { SweepResult } from '../queue';
import type { ClaimRun } from '../claim';

export const result = (validationAccuracy: number | null, trainAccuracy: number | null = null): SweepResult => ({
  validationAccuracy,
  validationLoss: null,
  trainAccuracy,
  testAccuracy: null,
  secondsPerEpoch: 1,
  samplesPerSecond: 1000,
});

export const run = (fields: Partial<ClaimRun> & { arm: string }): ClaimRun => ({
  key: `${fields.arm} ${fields.position ?? ''} ${fields.seed ?? ''}`,
  position: null,
  seed: 1,
  diverged: false,
  result: result(0.9),
  epochs: [],
  kernelGradNorms: [],
  ...fields,
});
