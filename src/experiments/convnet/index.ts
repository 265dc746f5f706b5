/** Lesson 14's ConvNet experiments (BN in a ConvNet): the learning-rate sweep and the seeds at the default settings, each full and quick. */
import type { ClaimExperiment } from '../claim';
import { convnetLr, convnetLrQuick } from './lr-sweep';
import { convnetSeedsFull, convnetSeedsQuick } from './seeds';

export const convnetExperiments: readonly ClaimExperiment[] = [convnetLr, convnetLrQuick, convnetSeedsFull, convnetSeedsQuick];
