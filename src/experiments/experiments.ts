/**
 * Every experiment a lesson can name with `<Experiment plan="…" />`: lesson 12's claims
 * (claims/, one file per claim), the regularization lessons' questions (regularization/, one file per question), the gradient-clipping
 * lesson's (clipping.ts), the first lesson's initialization experiment (init-first.ts), the batch-size lesson's data
 * orders (data-order.ts), lesson 10's BN taken apart (bn-ablation.ts), lesson 14's ConvNet questions (convnet/) and
 * lesson 15's batch sweeps (small-batch.ts). Names are unique across the lists.
 */
import { bnAblationExperiments } from './bn-ablation';
import type { ClaimExperiment } from './claim';
import { claimExperiments } from './claims';
import { clippingExperiments } from './clipping';
import { convnetExperiments } from './convnet';
import { dataOrderExperiments } from './data-order';
import { initFirst, initFirstRelu } from './init-first';
import { regularizationExperiments } from './regularization';
import { smallBatchExperiments } from './small-batch';

export const allExperiments: readonly ClaimExperiment[] = [
  ...claimExperiments,
  ...regularizationExperiments,
  ...clippingExperiments,
  initFirst,
  initFirstRelu,
  ...dataOrderExperiments,
  ...bnAblationExperiments,
  ...convnetExperiments,
  ...smallBatchExperiments,
];

/** The experiment a page names, or an error listing the names there are. */
export function experimentNamed(name: string): ClaimExperiment {
  const found = allExperiments.find((e) => e.name === name);
  if (!found) throw new RangeError(`experiment: no plan named '${name}', expected one of ${allExperiments.map((e) => e.name).join(', ')}`);
  return found;
}
