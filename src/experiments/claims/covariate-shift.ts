/**
 * Claim 1, covariate shift: does BN keep a hidden layer's input distribution from drifting while the
 * network trains? The drift of one layer's input, without and with BN.
 */
import { bnArms } from '../axes';
import { drift } from '@engine/train/drift.ts';
import { validation, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from '../claim';
import { byArm, deep } from './shared';

/** The Dense layer (1-based) whose input claim 1 watches: the input of the third, i.e. the output of the second hidden block. */
const watchedDense = 3;

/** Pooled mean and spread of the input of Dense layer `k` in every recorded frame of a run (the output of the layer before it). */
export function denseInputSeries(run: ClaimRun, k: number = watchedDense): { step: number; mean: number; std: number }[] {
  return (run.outputFrames ?? []).flatMap((f) => {
    const dense = f.layers.flatMap((l, i) => (l.kind === 'Dense' ? [i] : []));
    const input = f.layers[dense[k - 1] - 1];
    return dense.length >= k && input && Number.isFinite(input.mean) && Number.isFinite(input.std)
      ? [{ step: f.step, mean: input.mean, std: input.std }]
      : [];
  });
}

/**
 * Claim 1: the drift of the watched layer's input (engine/train/drift.ts: the larger of how far its
 * pooled mean and its spread moved from the first frame to the last, in first-frame spreads).
 * Holds when the drift with BN is less than half the drift without BN.
 */
export function decideCovariateShift(runs: readonly ClaimRun[]): ClaimVerdict {
  const [none] = byArm(runs, 'none');
  const [bn] = byArm(runs, 'batch');
  const of = (r: ClaimRun | undefined) => {
    const series = r ? denseInputSeries(r) : [];
    const d = drift(series);
    return d && { ...d, first: series[0], last: series[series.length - 1] };
  };
  const n = of(none);
  const b = of(bn);
  if (!n || !b)
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: 'Fewer than two diagnostics frames were recorded for a run, so there is no drift to compare.',
    };
  const f = (x: number) => x.toFixed(2);
  const told = (d: NonNullable<ReturnType<typeof of>>) =>
    `mean ${f(d.first.mean)} → ${f(d.last.mean)}, standard deviation ${f(d.first.std)} → ${f(d.last.std)} (steps ${d.first.step} → ${d.last.step}; drift ${f(d.drift)})`;
  const said = `Input of Dense layer ${watchedDense}: without BN ${told(n)}; with BN ${told(b)}.`;
  if (b.drift < n.drift / 2)
    return { outcome: 'holds', condition: '', reason: `${said} With BN the layer's input drifts less than half as much.` };
  return { outcome: 'does not hold here', condition: '', reason: `${said} BN does not halve the drift.` };
}

export const covariateShift: ClaimExperiment = {
  name: 'covariate-shift',
  claim: 1,
  question: 'Does BN keep a hidden layer’s input distribution from drifting during training?',
  settings: `4 × 128 ReLU, no dropout, Adam 0.001, batch 32, 2 epochs on the first 6,000 training images, without and with BN; the mean and standard deviation of the input of Dense layer ${watchedDense} (the second hidden block’s output) are recorded at most ten times a second while it trains.`,
  plan: {
    widget: 'claim-covariate-shift',
    base: { hidden: deep, dropout: 0, epochs: 2, trainLimit: 6000 },
    arms: bnArms,
    axis: null,
    seeds: [1],
    record: { diagnostics: { intervalMs: 100, bins: 16 } },
    chart: 'curves',
  },
  measure: validation,
  decide: decideCovariateShift,
};
