/**
 * Claim 9: how much time per epoch does BN add, and how much memory? Timed the one way every
 * lesson times BN (repeats, the arms alternating; `compareTimes` says when a difference is noise).
 */
import { bnArms } from '../axes';
import { compareTimes } from '../plan';
import type { SweepResult } from '../queue';
import { bnMemory } from '@engine/layers/batch-norm.ts';
import type { ClaimExperiment, ClaimRun, ClaimVerdict } from '../claim';
import { byArm, mean } from './shared';

/** Seconds per epoch of the finished runs of one arm (diverged runs have no meaningful time). */
const secondsOf = (runs: readonly ClaimRun[], arm: string) =>
  byArm(runs, arm).flatMap((r) => (r.diverged || r.result.secondsPerEpoch === null ? [] : [r.result.secondsPerEpoch]));

/** "Small" overhead: less than this fraction of the time per epoch without BN. */
const smallOverhead = 0.1;

/**
 * Claim 9, time: BN's extra time per epoch from runs timed the same way (one after another, arms
 * alternating). The noise is the larger relative spread between the repeats of either arm (never
 * below 5 %); a difference within it is reported as such, not as an overhead.
 */
export function decideOverhead(runs: readonly ClaimRun[], hidden: readonly number[] = [128], batchSize = 32): ClaimVerdict {
  const none = secondsOf(runs, 'none');
  const bn = secondsOf(runs, 'batch');
  const t = compareTimes(none, bn);
  if (t === null)
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: 'No finished run of one of the models has a time per epoch to compare.',
    };
  const s = (xs: readonly number[]) => `${mean(xs).toFixed(3)} s (${xs.map((x) => x.toFixed(3)).join(', ')})`;
  // Adam (the plan's optimizer): two slots per trained value.
  const memory = bnMemory(
    hidden.reduce((sum, h) => sum + h, 0),
    batchSize,
    2,
  ).reduce((sum, b) => sum + b.bytes, 0);
  const said = `Seconds per epoch: without BN ${s(none)}, with BN ${s(bn)}; BN ${t.ratio >= 0 ? '+' : ''}${(t.ratio * 100).toFixed(1)} %, ${t.noise === null ? 'noise between repeats not measured (one run a side)' : `noise between repeats ±${(t.noise * 100).toFixed(1)} %`}. Memory, counted from the model: the BN layers hold ${(memory / 1024).toFixed(1)} KiB at batch ${batchSize}.`;
  if (t.withinNoise)
    return { outcome: 'holds', condition: '', reason: `${said} The difference is within the noise: no overhead was measurable.` };
  if (t.ratio < smallOverhead)
    return { outcome: 'holds', condition: '', reason: `${said} BN costs less than ${smallOverhead * 100} % more time per epoch.` };
  if (t.withinNoise === null)
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: `${said} BN costs more than ${smallOverhead * 100} % more time per epoch; with one run a side, whether that is beyond the noise is not known.`,
    };
  return {
    outcome: 'does not hold here',
    condition: '',
    reason: `${said} BN costs more than ${smallOverhead * 100} % more time per epoch, beyond the noise.`,
  };
}

export const bnOverhead: ClaimExperiment = {
  name: 'bn-overhead',
  claim: 9,
  question: 'How much time per epoch does BN add?',
  settings:
    'The assignment’s network on the first 6,000 training images for 2 epochs, without and with BN, three times each (seeds 1, 2 and 3, the two models alternating so both see the same machine load); the time per epoch counts the training steps only.',
  plan: {
    widget: 'claim-bn-overhead',
    base: { trainLimit: 6000, epochs: 2 },
    arms: bnArms,
    axis: null,
    seeds: [1, 2, 3],
    record: {},
    chart: 'curves',
    sequential: true,
  },
  measure: { label: 'seconds per epoch', read: (r: SweepResult) => r.secondsPerEpoch, percent: false },
  decide: (runs) => decideOverhead(runs),
};
