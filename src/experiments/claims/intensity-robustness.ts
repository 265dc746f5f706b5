/**
 * Claim 8: is the model with BN more robust to changes in image contrast and brightness? Each
 * trained model is tested on changed test images after training (the worker's intensity probe).
 */
import { bnArms } from '../axes';
import type { IntensityChange } from '@engine/train/intensity.ts';
import { validation, percent, points, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';
import { byArm, mean } from './shared';

/** The intensity changes claim 8 tests after training: unchanged first (the reference), then contrast and brightness. */
export const intensityChanges: readonly IntensityChange[] = [
  { contrast: 1, brightness: 0 },
  { contrast: 0.5, brightness: 0 },
  { contrast: 2, brightness: 0 },
  { contrast: 1, brightness: 0.2 },
  { contrast: 1, brightness: 0.4 },
];

const changeName = (c: IntensityChange) => (c.brightness !== 0 ? `brightness +${c.brightness}` : `contrast ×${c.contrast}`);

/**
 * Claim 8: the accuracy each model loses on changed test images (mean over the changes, against
 * the unchanged images), with BN in eval mode (running statistics). Holds when BN loses more than a
 * point less than the model without BN. What BN would do with each test batch's own statistics is
 * reported beside it.
 */
export function decideIntensity(runs: readonly ClaimRun[]): ClaimVerdict {
  const [none] = byArm(runs, 'none');
  const [bn] = byArm(runs, 'batch');
  if (!none?.intensity || !bn?.intensity || none.intensity.length < 2 || bn.intensity.length < 2)
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: 'A model was not tested on changed images, so there is nothing to compare.',
    };
  const drop = (rs: readonly { running: { accuracy: number } }[], read = (r: (typeof rs)[number]) => r.running.accuracy) =>
    read(rs[0]) - mean(rs.slice(1).map(read));
  const dropNone = drop(none.intensity);
  const dropBn = drop(bn.intensity);
  const list = (r: ClaimRun) =>
    r
      .intensity!.slice(1)
      .map((x) => `${changeName(x.change)} ${percent(x.running.accuracy)}`)
      .join(', ');
  const batchStats = bn.intensity.every((x) => x.batch !== null) ? drop(bn.intensity.map((x) => ({ running: x.batch! }))) : null;
  const said =
    `Unchanged test images: ${percent(none.intensity[0].running.accuracy)} without BN, ${percent(bn.intensity[0].running.accuracy)} with BN. Changed: without BN ${list(none)}; with BN ${list(bn)}. ` +
    `Mean loss: ${points(dropNone)} without BN, ${points(dropBn)} with BN${batchStats === null ? '' : ` (${points(batchStats)} if BN used each test batch's own statistics instead of its running averages)`}.`;
  if (dropBn < dropNone - 0.01) return { outcome: 'holds', condition: '', reason: `${said} BN loses less.` };
  return {
    outcome: 'does not hold here',
    condition: '',
    reason: `${said} With its running averages BN does not adapt to the changed images.`,
  };
}

export const intensityRobustness: ClaimExperiment = {
  name: 'intensity-robustness',
  claim: 8,
  question: 'Is the model with BN more robust to changes in image contrast and brightness?',
  settings: `The assignment’s network (Dense 128, ReLU, dropout 0.2, Adam 0.001, batch 32), 2 epochs on the first 6,000 training images, without and with BN; then each trained model is tested on the first 2,000 test images as they are and changed: ${intensityChanges.slice(1).map(changeName).join(', ')} (pixel values from 0 to 1, clipped at 1).`,
  plan: {
    widget: 'claim-intensity-robustness',
    base: { epochs: 2, trainLimit: 6000 },
    arms: bnArms,
    axis: null,
    seeds: [1],
    record: { models: true },
    chart: 'curves',
  },
  measure: validation,
  decide: decideIntensity,
  intensityProbe: { changes: intensityChanges, batchSize: 256, limit: 2000 },
};
