/** Made-up runs and diagnostics frames for the regularization lessons' verdict tests. */
import type { DiagnosticsEvent, LayerDiagnostics } from '@engine/worker/protocol.ts';
import type { SweepResult } from '../queue';
import type { ClaimRun } from '../claim';

export const result = (validationAccuracy: number, trainAccuracy: number, validationLoss: number): SweepResult => ({
  validationAccuracy,
  validationLoss,
  trainAccuracy,
  testAccuracy: null,
  secondsPerEpoch: 1,
  samplesPerSecond: 1000,
});

/** A run whose trace goes from `first` to `last` (a weight norm or a dead share). */
export const run = (arm: string, first: number, last: number, r: SweepResult = result(0.92, 1, 0.3)): ClaimRun => ({
  key: arm,
  arm,
  position: null,
  seed: 1,
  diverged: false,
  result: r,
  epochs: [],
  kernelGradNorms: [],
  trace: [
    { step: 1, epoch: 1 / 63, value: first },
    { step: 2520, epoch: 40, value: last },
  ],
});

export const layer = (fields: Partial<LayerDiagnostics>): LayerDiagnostics => ({
  name: 'x',
  kind: 'Dense',
  units: 2,
  activations: null,
  gradients: null,
  params: [],
  movingMean: null,
  movingVariance: null,
  batchMean: null,
  batchVariance: null,
  saturated: null,
  ...fields,
});

export const frame = (layers: LayerDiagnostics[]): DiagnosticsEvent => ({
  type: 'diagnostics',
  runId: 'r',
  step: 1,
  gradNorm: 1,
  clippedShare: null,
  layers,
});

/** A finished run's accuracies and validation loss, without a trace. */
export const accRun = (arm: string, validation: number, train: number, loss = 0.3): ClaimRun => ({
  ...run(arm, 0, 0, result(validation, train, loss)),
  trace: [],
});
