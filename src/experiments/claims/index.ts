/**
 * The assignment's claims about batch normalization as experiments on the kit (lesson 12, "The
 * assignment's claims, on trial"), in the order the lesson asks them. Each file holds one claim's
 * plan — a short one that finishes in about a minute of browser training — next to its verdict
 * rule over the finished runs: it states what was measured and decides by a rule written there,
 * before any run, never by a sentence written in advance.
 */
import type { ClaimExperiment } from '../claim';
import { bnAccuracy } from './bn-accuracy';
import { bnEpsilon } from './bn-epsilon';
import { bnMomentum } from './bn-momentum';
import { bnOverhead } from './bn-overhead';
import { covariateShift } from './covariate-shift';
import { fewerEpochs } from './fewer-epochs';
import { initSensitivity } from './init-sensitivity';
import { intensityRobustness } from './intensity-robustness';
import { lossLandscape } from './loss-landscape';
import { lrHeadroom } from './lr-headroom';
import { noisyBn } from './noisy-bn';
import { regularization } from './regularization';
import { smallBatches } from './small-batches';
import { vanishingGradients } from './vanishing-gradients';

export const claimExperiments: readonly ClaimExperiment[] = [
  covariateShift,
  noisyBn,
  lossLandscape,
  intensityRobustness,
  bnAccuracy,
  lrHeadroom,
  vanishingGradients,
  initSensitivity,
  fewerEpochs,
  smallBatches,
  regularization,
  bnOverhead,
  bnMomentum,
  bnEpsilon,
];
