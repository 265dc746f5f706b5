/**
 * The regularization lessons' guided experiments as plans on the kit, weight decay's (lesson 6)
 * first, then dropout's (lesson 7). Like lesson 12's claims (../claims/), each file holds one plan
 * next to its verdict rule, written before any run and applied to what the runs measured.
 */
import type { ClaimExperiment } from '../claim';
import { decayCurve } from './decay-curve';
import { dropoutBeforeBn } from './dropout-before-bn';
import { dropoutEnsemble } from './dropout-ensemble';
import { dropoutOverfit } from './dropout-overfit';
import { wdBnEffectiveLr } from './wd-bn-effective-lr';
import { wdDeadRelus } from './wd-dead-relus';
import { weightDecayOverfit } from './weight-decay-overfit';

export const weightDecayExperiments: readonly ClaimExperiment[] = [weightDecayOverfit, decayCurve, wdDeadRelus, wdBnEffectiveLr];
export const dropoutExperiments: readonly ClaimExperiment[] = [dropoutOverfit, dropoutBeforeBn, dropoutEnsemble];
export const regularizationExperiments: readonly ClaimExperiment[] = [...weightDecayExperiments, ...dropoutExperiments];
