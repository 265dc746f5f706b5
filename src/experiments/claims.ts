/**
 * The assignment's claims about batch normalization as experiments on the kit (lesson 12, "The
 * assignment's claims, on trial"). Each is a short plan that finishes in about a minute of
 * browser training, and a verdict function over the finished runs: it states what was measured
 * and decides by a rule written here, before any run — never by a sentence written in advance.
 */
import { axisOf, bnArms } from './axes';
import { compareTimes, type Axis } from './plan';
import type { SweepResult } from './queue';
import { bnMemory } from '@engine/layers/batch-norm.ts';
import { drift } from '@engine/train/drift.ts';
import type { IntensityChange } from '@engine/train/intensity.ts';
import { percent, points, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from './claim';

const validation = { label: 'validation accuracy (%)', read: (r: SweepResult) => r.validationAccuracy, percent: true };
const deep = [128, 128, 128, 128];

const byArm = (runs: readonly ClaimRun[], arm: string) => runs.filter((r) => r.arm === arm);
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const accuracy = (r: ClaimRun) => (r.diverged ? null : r.result.validationAccuracy);
const finalAccuracies = (runs: readonly ClaimRun[]) => runs.map(accuracy).filter((a): a is number => a !== null);
const spread = (xs: readonly number[]) => (xs.length < 2 ? 0 : Math.max(...xs) - Math.min(...xs));

/** The Dense layer (1-based) whose input claim 1 watches: the input of the third, i.e. the output of the second hidden block. */
export const watchedDense = 3;

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

/** The strength of the noise claim 1's second plan injects after every BN layer (engine/layers/noisy-batch-norm.ts). */
export const injectedNoise = 1;

/**
 * Claim 1, Santurkar et al.'s noise injection: BN followed by time-varying noise of non-zero mean
 * and non-unit variance. Their finding holds here when the noisy BN model keeps more than half of
 * BN's lead over the model without BN (validation accuracy).
 */
export function decideNoisyBn(runs: readonly ClaimRun[]): ClaimVerdict {
  const acc = (arm: string) => {
    const [r] = byArm(runs, arm);
    return r ? accuracy(r) : null;
  };
  const none = acc('none');
  const bn = acc('batch');
  const noisy = acc('noisy');
  if (none === null || bn === null || noisy === null)
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: 'A model diverged or did not finish, so there is no accuracy to compare.',
    };
  const said = `Validation accuracy: no BN ${percent(none)}, BN ${percent(bn)}, BN followed by noise ${percent(noisy)}.`;
  if (bn - none <= 0.01) return { outcome: 'does not hold here', condition: '', reason: `${said} BN has no lead here to keep or lose.` };
  const kept = (noisy - none) / (bn - none);
  if (kept > 0.5)
    return { outcome: 'holds', condition: '', reason: `${said} With the injected shift BN keeps ${Math.round(kept * 100)} % of its lead.` };
  return {
    outcome: 'does not hold here',
    condition: '',
    reason: `${said} The injected shift takes away ${Math.round((1 - kept) * 100)} % of BN's lead.`,
  };
}

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

/**
 * Claim 6's rule, "BN gives higher accuracy", wherever a lesson states it (this verdict, lesson 10's
 * results table): BN's mean accuracy leads by more than the noise — the seed-to-seed spread of
 * either model, never below 0.2 points (one seed each: the floor alone).
 */
export function accuracyLead(
  none: readonly number[],
  bn: readonly number[],
): { diff: number; noise: number; outcome: 'ahead' | 'within noise' | 'behind' } {
  const diff = mean(bn) - mean(none);
  const noise = Math.max(spread(none), spread(bn), accuracyNoiseFloor);
  return { diff, noise, outcome: diff > noise ? 'ahead' : diff < -noise ? 'behind' : 'within noise' };
}

/** The least accuracy difference claim 6's rule counts as a lead: 0.2 points. */
export const accuracyNoiseFloor = 0.002;

/** Claim 6: the classic network, the assignment's settings, two seeds. */
export function decideAccuracy(runs: readonly ClaimRun[]): ClaimVerdict {
  const none = finalAccuracies(byArm(runs, 'none'));
  const bn = finalAccuracies(byArm(runs, 'batch'));
  if (none.length === 0 || bn.length === 0)
    return { outcome: 'does not hold here', condition: '', reason: 'A model diverged, so there is no accuracy to compare.' };
  const { diff, noise, outcome } = accuracyLead(none, bn);
  const said = `Mean validation accuracy over ${bn.length} seed${bn.length === 1 ? '' : 's'}: BN ${percent(mean(bn), 2)}, no BN ${percent(mean(none), 2)} (difference ${points(diff, 2)}; seed-to-seed spread ${points(noise, 2)}).`;
  if (outcome === 'ahead') return { outcome: 'holds', condition: '', reason: `${said} BN is ahead by more than the spread.` };
  return {
    outcome: 'does not hold here',
    condition: '',
    reason: `${said} ${outcome === 'behind' ? 'The model without BN is ahead.' : 'The difference is within the seed-to-seed spread.'}`,
  };
}

/** A run "trains" when it did not diverge and ends well above chance (10 %). */
const trains = (r: ClaimRun) => !r.diverged && (r.result.validationAccuracy ?? 0) > 0.5;

/** Claim 2: the largest learning rate at which each model still trains. */
export function decideLearningRates(runs: readonly ClaimRun[]): ClaimVerdict {
  const largest = (arm: string) => {
    const ok = byArm(runs, arm)
      .filter(trains)
      .map((r) => r.position ?? 0);
    return ok.length > 0 ? Math.max(...ok) : null;
  };
  const none = largest('none');
  const bn = largest('batch');
  const lr = (x: number | null) => (x === null ? 'none of the rates tried' : `lr ${x}`);
  const tried = [...new Set(runs.map((r) => r.position ?? 0))].sort((a, b) => a - b);
  const said = `Largest learning rate that trains (above 50 % validation accuracy, no divergence) of ${tried.join(', ')}: without BN ${lr(none)}, with BN ${lr(bn)}.`;
  if (bn !== null && (none === null || bn > none))
    return { outcome: 'holds', condition: '', reason: `${said} Only BN trains above ${lr(none)}.` };
  return { outcome: 'does not hold here', condition: '', reason: `${said} BN gains no headroom on this grid.` };
}

/** The ratio of the largest to the smallest mean Dense-kernel gradient norm of a run (1 = all layers alike). */
export function gradientFan(run: ClaimRun): number | null {
  const g = run.kernelGradNorms.filter((x) => Number.isFinite(x) && x > 0);
  return g.length < 2 ? null : Math.max(...g) / Math.min(...g);
}

/** Claim 4: per-layer gradient norms of a deep sigmoid network, and whether it learns. */
export function decideGradients(runs: readonly ClaimRun[]): ClaimVerdict {
  const [none] = byArm(runs, 'none');
  const [bn] = byArm(runs, 'batch');
  const fanNone = none ? gradientFan(none) : null;
  const fanBn = bn ? gradientFan(bn) : null;
  if (!none || !bn || fanNone === null || fanBn === null)
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: 'No per-layer gradient norms were recorded, so there is nothing to compare.',
    };
  const fmt = (x: number) => (x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));
  const acc = (r: ClaimRun) => (r.diverged ? 'diverged' : percent(r.result.validationAccuracy ?? 0));
  const said = `Largest over smallest layer gradient norm: ${fmt(fanNone)}× without BN, ${fmt(fanBn)}× with BN; validation accuracy ${acc(none)} without BN, ${acc(bn)} with BN.`;
  // A factor of 2 between the fans is the rule: smaller differences are within frame-to-frame noise.
  const smallest = (r: ClaimRun) => {
    const i = r.kernelGradNorms.indexOf(Math.min(...r.kernelGradNorms));
    return i === 0 ? 'the first (input) layer' : `Dense layer ${i + 1} of ${r.kernelGradNorms.length}`;
  };
  if (fanNone > 2 * fanBn)
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} Without BN the smallest gradient is at ${smallest(none)}; with BN the layers get gradients of similar size.`,
    };
  return { outcome: 'does not hold here', condition: '', reason: `${said} The layers' gradients spread about as much with BN as without.` };
}

/** Claim 7: how much the final accuracy moves across init scales, per model. */
export function decideInit(runs: readonly ClaimRun[]): ClaimVerdict {
  const range = (arm: string) => {
    const rs = byArm(runs, arm);
    const accs = rs.map((r) => (r.diverged ? 0 : (r.result.validationAccuracy ?? 0)));
    return { lo: Math.min(...accs), hi: Math.max(...accs) };
  };
  const none = range('none');
  const bn = range('batch');
  const said = `Across the init scales, validation accuracy ranges ${percent(none.lo)}–${percent(none.hi)} without BN (${points(none.hi - none.lo)}) and ${percent(bn.lo)}–${percent(bn.hi)} with BN (${points(bn.hi - bn.lo)}).`;
  // One point of accuracy is the rule's margin: smaller ranges differ by seed noise alone.
  if (bn.hi - bn.lo + 0.01 < none.hi - none.lo)
    return { outcome: 'holds', condition: '', reason: `${said} BN is less sensitive to the scale of the initial weights.` };
  return { outcome: 'does not hold here', condition: '', reason: `${said} The two are about equally sensitive.` };
}

/** Claim 3: the first epoch after which validation accuracy reaches `threshold`. */
export function epochsTo(run: ClaimRun, threshold: number): number | null {
  return run.epochs.find((e) => e.validation !== null && e.validation >= threshold)?.epoch ?? null;
}

/** An accuracy target as text: 92 %, 96.5 %. */
const target = (t: number) => `${Number((t * 100).toFixed(1))} %`;

/** The accuracy targets of claim 3's in-page plan: every one is compared, none picked after the runs. */
export const epochsTargets: readonly number[] = [0.92, 0.93, 0.94, 0.95];

/**
 * Claim 3 at each target: BN is "sooner" when it reaches the target in fewer epochs (or reaches
 * it and the other does not). Holds when BN is sooner at some target and later at none; holds
 * only up to a target when it is sooner at the lower targets and later at higher ones.
 */
export function decideEpochs(runs: readonly ClaimRun[], targets: readonly number[] = epochsTargets): ClaimVerdict {
  const [none] = byArm(runs, 'none');
  const [bn] = byArm(runs, 'batch');
  if (!none || !bn) return { outcome: 'does not hold here', condition: '', reason: 'Both models must finish to compare them.' };
  const ep = (e: number | null) => (e === null ? 'not reached' : `epoch ${e}`);
  const rows = targets.map((t) => {
    const n = epochsTo(none, t);
    const b = epochsTo(bn, t);
    const sooner = b !== null && (n === null || b < n);
    const later = n !== null && (b === null || n < b);
    return { t, n, b, sooner, later };
  });
  const history = (r: ClaimRun) => r.epochs.map((e) => (e.validation === null ? '—' : percent(e.validation, 2))).join(', ');
  const said = `Epochs to reach each target (no BN / BN): ${rows.map((r) => `${target(r.t)}: ${ep(r.n)} / ${ep(r.b)}`).join('; ')}. Validation accuracy after each epoch: without BN (${history(none)}), with BN (${history(bn)}).`;
  const sooner = rows.filter((r) => r.sooner);
  const later = rows.filter((r) => r.later);
  if (sooner.length > 0 && later.length === 0)
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} BN is sooner at ${sooner.map((r) => target(r.t)).join(', ')} and never later.`,
    };
  if (sooner.length > 0) {
    const top = Math.max(...sooner.map((r) => r.t));
    const condition = later.every((r) => r.t > top)
      ? `the target is ${target(top)} or lower`
      : `the target is one of ${sooner.map((r) => target(r.t)).join(', ')}`;
    return { outcome: 'holds only when', condition, reason: `${said} BN is later at ${later.map((r) => target(r.t)).join(', ')}.` };
  }
  return { outcome: 'does not hold here', condition: '', reason: `${said} BN reaches none of the targets sooner.` };
}

/** Claim 10: BN's lead (or lag) at each batch size; the claim holds when the smallest batch costs BN more than the largest. */
export function decideBatchSizes(runs: readonly ClaimRun[]): ClaimVerdict {
  const sizes = [...new Set(runs.map((r) => r.position ?? 0))].sort((a, b) => a - b);
  const gap = (size: number) => {
    const acc = (arm: string) => accuracy(runs.find((r) => r.arm === arm && r.position === size)!) ?? 0;
    return acc('batch') - acc('none');
  };
  const gaps = sizes.map((s) => ({ size: s, gap: gap(s) }));
  const said = `BN minus no BN, validation accuracy: ${gaps.map((g) => `batch ${g.size}: ${g.gap >= 0 ? '+' : ''}${points(g.gap)}`).join('; ')}.`;
  const smallest = gaps[0];
  const largest = gaps[gaps.length - 1];
  // BN is sensitive to batch size when it loses more than a point of its standing at the smallest batch.
  if (smallest.gap < largest.gap - 0.01) {
    const fine = gaps.filter((g) => g.gap >= largest.gap - 0.01).map((g) => g.size);
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} BN loses ground at batch ${smallest.size}${fine.length > 0 ? ` and keeps up from batch ${Math.min(...fine)}` : ''}.`,
    };
  }
  return { outcome: 'does not hold here', condition: '', reason: `${said} BN does not fall behind at the small batches here.` };
}

/** Claim 5: the gap between training and validation accuracy after training on a small subset. */
export function decideRegularization(runs: readonly ClaimRun[]): ClaimVerdict {
  const gapOf = (r: ClaimRun | undefined) =>
    r && r.result.trainAccuracy !== null && r.result.validationAccuracy !== null
      ? r.result.trainAccuracy - r.result.validationAccuracy
      : null;
  const [none] = byArm(runs, 'none');
  const [bn] = byArm(runs, 'batch');
  const n = gapOf(none);
  const b = gapOf(bn);
  if (n === null || b === null)
    return { outcome: 'does not hold here', condition: '', reason: 'A run has no training or validation accuracy to compare.' };
  const said = `Training minus validation accuracy at the end: ${points(n)} without BN (validation ${percent(none!.result.validationAccuracy!)}), ${points(b)} with BN (validation ${percent(bn!.result.validationAccuracy!)}).`;
  // One point of gap is the rule's margin.
  if (b < n - 0.01) return { outcome: 'holds', condition: '', reason: `${said} BN overfits less.` };
  return { outcome: 'does not hold here', condition: '', reason: `${said} BN does not shrink the gap.` };
}

/** Seconds per epoch of the finished runs of one arm (diverged runs have no meaningful time). */
const secondsOf = (runs: readonly ClaimRun[], arm: string) =>
  byArm(runs, arm).flatMap((r) => (r.diverged || r.result.secondsPerEpoch === null ? [] : [r.result.secondsPerEpoch]));

/** "Small" overhead: less than this fraction of the time per epoch without BN. */
export const smallOverhead = 0.1;

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

/** How far the final validation accuracy moves along the axis, for one arm: [lowest, highest] run. */
function rangeAlong(runs: readonly ClaimRun[]): { lo: ClaimRun; hi: ClaimRun } | null {
  const ok = runs.filter((r) => accuracy(r) !== null);
  if (ok.length === 0) return null;
  const sorted = [...ok].sort((a, b) => accuracy(a)! - accuracy(b)!);
  return { lo: sorted[0], hi: sorted[sorted.length - 1] };
}

/** BN momentum ρ as the steps its moving average mostly remembers, 1/(1 − ρ). */
export const averagingWindow = (momentum: number) => Math.round(1 / (1 - momentum));

/**
 * Claim 11, momentum: the same training run evaluated with moving averages of different momenta
 * (the axis position is the averaging window 1/(1 − ρ) in steps). Momentum matters when the
 * validation accuracy moves by more than a point across the momenta.
 */
export function decideMomentum(runs: readonly ClaimRun[], steps: number): ClaimVerdict {
  const r = rangeAlong(runs);
  if (r === null) return { outcome: 'does not hold here', condition: '', reason: 'No run finished with a validation accuracy.' };
  const sorted = [...runs].sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  const each = sorted.map((x) => `window ${x.position} steps: ${accuracy(x) === null ? 'diverged' : percent(accuracy(x)!, 2)}`).join('; ');
  const train = [...new Set(sorted.map((x) => (x.result.trainAccuracy === null ? '—' : percent(x.result.trainAccuracy, 2))))];
  const said = `Validation accuracy after ${steps} training steps, by the moving averages’ window 1/(1 − momentum): ${each}. Training accuracy ${train.length === 1 ? `is ${train[0]} in every run` : `is ${train.join(', ')}`}.`;
  const moved = accuracy(r.hi)! - accuracy(r.lo)!;
  // A point of accuracy is the margin: the runs train identically, so the difference is the averages'.
  if (moved > 0.01) {
    const fine = sorted.filter((x) => accuracy(x) !== null && accuracy(x)! >= accuracy(r.hi)! - 0.01).map((x) => x.position ?? 0);
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} The momentum moves validation accuracy by ${points(moved)}; windows up to ${Math.max(...fine)} steps keep within a point of the best here.`,
    };
  }
  return {
    outcome: 'does not hold here',
    condition: '',
    reason: `${said} The momentum moves validation accuracy by only ${points(moved)}.`,
  };
}

/**
 * Claim 11, ε: the validation accuracy's range over ε at each batch size (the arms). ε matters at
 * a batch size when the range is over a point; "holds only when" names the batch sizes where it does.
 */
export function decideEpsilon(runs: readonly ClaimRun[]): ClaimVerdict {
  const arms = [...new Set(runs.map((r) => r.arm))];
  const rows = arms.map((arm) => {
    const r = rangeAlong(byArm(runs, arm));
    const moved = r ? accuracy(r.hi)! - accuracy(r.lo)! : 0;
    const each = [...byArm(runs, arm)]
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
      .map((x) => `ε ${x.position}: ${accuracy(x) === null ? 'diverged' : percent(accuracy(x)!, 2)}`);
    return { arm, moved, best: r ? r.hi.position : null, text: `${arm}: ${each.join(', ')} (range ${points(moved)})` };
  });
  const said = `Validation accuracy by ε — ${rows.map((r) => r.text).join('; ')}.`;
  const matters = rows.filter((r) => r.moved > 0.01);
  if (matters.length === 0)
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: `${said} ε moves the accuracy by less than a point at every batch size.`,
    };
  if (matters.length === rows.length)
    return { outcome: 'holds', condition: '', reason: `${said} ε moves the accuracy by more than a point at every batch size tried.` };
  return {
    outcome: 'holds only when',
    condition: `batches are as small as ${matters.map((r) => r.arm).join(', ')}`,
    reason: `${said} ε matters at ${matters.map((r) => `${r.arm} (best ε ${r.best})`).join(', ')} and moves the accuracy by less than a point at ${rows
      .filter((r) => r.moved <= 0.01)
      .map((r) => r.arm)
      .join(', ')}.`,
  };
}

/** Claim 11's axes: BN momentum (placed at its averaging window in steps) and ε. */
const momentumAxis: Axis = {
  key: 'bnMomentum',
  label: 'BN averaging window 1/(1 − momentum), steps',
  values: [0.9, 0.99, 0.999],
  format: (v) => `momentum ${String(v)}`,
  position: (v) => averagingWindow(v as number),
  scale: 'log',
};
const momentumSteps = 125;
const epsilonAxis: Axis = {
  key: 'epsilon',
  label: 'BN ε',
  values: [0.00001, 0.001, 0.1],
  format: (v) => `ε ${String(v)}`,
  position: Number,
  scale: 'log',
};

export const claimExperiments: readonly ClaimExperiment[] = [
  {
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
  },
  {
    name: 'noisy-bn',
    claim: 1,
    question: 'Does BN still help when noise shifts its output distribution at every step?',
    settings: `4 × 128 sigmoid, no dropout, SGD at learning rate 0.1, batch 32, 1 epoch on the first 4,000 training images (BN momentum 0.9), three models: without BN, with BN, and with BN followed by noise — at every step each unit’s output is shifted by a random mean between −${injectedNoise} and ${injectedNoise} and gets random noise with a standard deviation between 0 and ${injectedNoise}.`,
    plan: {
      widget: 'claim-noisy-bn',
      base: { hidden: deep, activation: 'sigmoid', optimizer: 'sgd', lr: 0.1, dropout: 0, epochs: 1, trainLimit: 4000, bnMomentum: 0.9 },
      arms: [
        { id: 'none', label: 'no BN', config: { norm: 'none' } },
        { id: 'batch', label: 'BN', config: { norm: 'batch', bnNoise: 0 } },
        { id: 'noisy', label: 'BN + noise', config: { norm: 'batch', bnNoise: injectedNoise } },
      ],
      axis: null,
      seeds: [1],
      record: {},
      chart: 'curves',
    },
    measure: validation,
    decide: decideNoisyBn,
  },
  {
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
  },
  {
    name: 'bn-accuracy',
    claim: 6,
    question: 'Does BN give the classic network a higher accuracy?',
    settings:
      'The assignment’s network (Dense 128, ReLU, dropout 0.2, Adam 0.001, batch 32) on the first 6,000 training images for 3 epochs, without and with BN, seeds 1 and 2.',
    plan: {
      widget: 'claim-bn-accuracy',
      base: { trainLimit: 6000, epochs: 3 },
      arms: bnArms,
      axis: null,
      seeds: [1, 2],
      record: {},
      chart: 'curves',
    },
    measure: validation,
    decide: decideAccuracy,
  },
  {
    name: 'lr-headroom',
    claim: 2,
    question: 'Does BN let the deep ReLU network train at higher learning rates?',
    settings:
      '4 × 128 ReLU, no dropout, plain SGD at learning rates 0.1, 1 and 3, batch 32, 1 epoch on the first 4,000 training images, without and with BN.',
    plan: {
      widget: 'claim-lr-headroom',
      base: { hidden: deep, optimizer: 'sgd', dropout: 0, epochs: 1, trainLimit: 4000 },
      arms: bnArms,
      axis: axisOf('lr', [0.1, 1, 3]),
      seeds: [1],
      record: {},
      chart: 'sweep',
    },
    measure: validation,
    decide: decideLearningRates,
  },
  {
    name: 'vanishing-gradients',
    claim: 4,
    question: 'Does BN keep the gradients of a deep sigmoid network from vanishing?',
    settings:
      '4 × 128 sigmoid, no dropout, SGD at learning rate 0.1, batch 32, 1 epoch on the first 4,000 training images, without and with BN (BN momentum 0.9, so its running averages catch up within the 125 steps); the gradient norm of every Dense layer is recorded while it trains.',
    plan: {
      widget: 'claim-vanishing-gradients',
      base: { hidden: deep, activation: 'sigmoid', optimizer: 'sgd', lr: 0.1, dropout: 0, epochs: 1, trainLimit: 4000, bnMomentum: 0.9 },
      arms: bnArms,
      axis: null,
      seeds: [1],
      record: { diagnostics: { intervalMs: 250, bins: 16 } },
      chart: 'curves',
    },
    measure: validation,
    decide: decideGradients,
  },
  {
    name: 'init-sensitivity',
    claim: 7,
    question: 'Is BN less sensitive to the scale of the initial weights?',
    settings:
      'The assignment’s network with its Glorot initial weights multiplied by 0.1, 1 and 10, 1 epoch on the first 4,000 training images, without and with BN.',
    plan: {
      widget: 'claim-init-sensitivity',
      base: { epochs: 1, trainLimit: 4000 },
      arms: bnArms,
      axis: axisOf('init', [0.1, 1, 10]),
      seeds: [1],
      record: {},
      chart: 'sweep',
    },
    measure: validation,
    decide: decideInit,
  },
  {
    name: 'fewer-epochs',
    claim: 3,
    question: 'Does BN reach a given validation accuracy in fewer epochs?',
    settings: `The assignment’s network on the first 6,000 training images for 4 epochs, without and with BN; validation accuracy after every epoch, and the epochs each model needs to reach ${epochsTargets.map(target).join(', ')}.`,
    plan: {
      widget: 'claim-fewer-epochs',
      base: { trainLimit: 6000, epochs: 4 },
      arms: bnArms,
      axis: null,
      seeds: [1],
      record: {},
      chart: 'curves',
    },
    measure: validation,
    decide: decideEpochs,
  },
  {
    name: 'small-batches',
    claim: 10,
    question: 'Does BN fall behind at very small batches?',
    settings: 'The assignment’s network at batch sizes 2, 8 and 32, 1 epoch on the first 2,000 training images, without and with BN.',
    plan: {
      widget: 'claim-small-batches',
      base: { epochs: 1, trainLimit: 2000 },
      arms: bnArms,
      axis: axisOf('batch', [2, 8, 32]),
      seeds: [1],
      record: {},
      chart: 'sweep',
    },
    measure: validation,
    decide: decideBatchSizes,
  },
  {
    name: 'regularization',
    claim: 5,
    question: 'Does BN reduce overfitting on a small training set?',
    settings:
      'The assignment’s network without dropout on the first 1,000 training images for 8 epochs, without and with BN; training accuracy (the running mean of the last epoch) against validation accuracy.',
    plan: {
      widget: 'claim-regularization',
      base: { trainLimit: 1000, epochs: 8, dropout: 0 },
      arms: bnArms,
      axis: null,
      seeds: [1],
      record: {},
      chart: 'curves',
    },
    measure: validation,
    decide: decideRegularization,
  },
  {
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
  },
  {
    name: 'bn-momentum',
    claim: 11,
    question: 'Does BN’s momentum change what the trained network scores?',
    settings: `4 × 128 sigmoid with BN, no dropout, SGD at learning rate 0.1, batch 32, 1 epoch on the first 4,000 training images (${momentumSteps} steps), BN momentum 0.9, 0.99 and 0.999 (moving averages that mostly remember the last 10, 100 and 1,000 steps); scored on the validation set in evaluation mode, with the moving averages.`,
    plan: {
      widget: 'claim-bn-momentum',
      base: { hidden: deep, activation: 'sigmoid', optimizer: 'sgd', lr: 0.1, dropout: 0, epochs: 1, trainLimit: 4000 },
      arms: [bnArms[1]],
      axis: momentumAxis,
      seeds: [1],
      record: {},
      chart: 'sweep',
    },
    measure: validation,
    decide: (runs) => decideMomentum(runs, momentumSteps),
  },
  {
    name: 'bn-epsilon',
    claim: 11,
    question: 'When does BN’s ε matter?',
    settings:
      'The assignment’s network with BN on the first 2,000 training images for 1 epoch, ε = 0.00001, 0.001 and 0.1, at batch 2 and at batch 32.',
    plan: {
      widget: 'claim-bn-epsilon',
      base: { norm: 'batch', epochs: 1, trainLimit: 2000 },
      arms: [
        { id: 'batch 2', label: 'batch 2', config: { batchSize: 2 } },
        { id: 'batch 32', label: 'batch 32', config: { batchSize: 32 } },
      ],
      axis: epsilonAxis,
      seeds: [1],
      record: {},
      chart: 'sweep',
    },
    measure: validation,
    decide: decideEpsilon,
  },
];
