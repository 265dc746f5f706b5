/**
 * Lesson 1: fix the initialization first (Karpathy, "Building makemore part 3"). Before
 * reaching for BN, look at where a deep network starts: its first loss against ln 10 (the loss
 * of a uniform guess over 10 classes) and the share of its tanh outputs in the flat tails,
 * where almost no gradient passes. A careless scale, a principled gain (Glorot, He) and BN on
 * the careless scale, side by side.
 */
import { percent, points, validation, type ClaimExperiment, type ClaimRun, type ClaimVerdict } from './claim';
import type { Arm, ExperimentPlan } from './plan';

/** The loss of a uniform guess over the 10 digits: where a well-initialized classifier starts. */
export const chanceLoss = Math.log(10);

/** The arms: the same 4 × 128 tanh network, three initial scales without BN and the careless one with BN. */
export const initArms = [
  { id: 'careless', label: 'Glorot ×3', config: { initScale: 3 } },
  { id: 'glorot', label: 'Glorot', config: {} },
  { id: 'he', label: 'He normal', config: { init: 'he-normal' } },
  { id: 'careless-bn', label: 'Glorot ×3 + BN', config: { initScale: 3, norm: 'batch' } },
] as const;

/** The share of saturated outputs of each tanh layer, input to output, at a run's first diagnostics frame (the initial weights). */
export function saturationByLayer(run: ClaimRun): number[] {
  return (run.outputFrames?.[0]?.layers ?? []).flatMap((l) => (typeof l.saturated === 'number' ? [l.saturated] : []));
}

/** The mean share of saturated outputs over a run's tanh layers at its first diagnostics frame, or null. */
export function initialSaturation(run: ClaimRun): number | null {
  const shares = saturationByLayer(run);
  return shares.length === 0 ? null : shares.reduce((a, b) => a + b, 0) / shares.length;
}

/** A start is "sound" when the first loss is within 0.5 of ln 10 and at most 10 % of the tanh outputs are saturated. */
export const soundStart = (loss: number, saturation: number) => Math.abs(loss - chanceLoss) <= 0.5 && saturation <= 0.1;

/**
 * Does a principled gain start the deep tanh network as well as BN does? Rule (fixed before any
 * run): a start is sound when the first loss is within 0.5 of ln 10 and at most 10 % of the tanh
 * outputs (mean over the hidden layers) are saturated. Holds when Glorot starts soundly, the
 * careless ×3 does not (there was something to fix), and Glorot's validation accuracy after the
 * epoch is within a point of the careless scale with BN; holds only when at the start, when BN
 * still ends more than a point higher; does not hold otherwise.
 */
export function decideInitFirst(runs: readonly ClaimRun[]): ClaimVerdict {
  const get = (id: string) => runs.find((r) => r.arm === id);
  const arms = initArms.map((a) => ({ arm: a, run: get(a.id) }));
  if (arms.some((a) => !a.run) || runs.some((r) => r.diverged))
    return { outcome: 'does not hold here', condition: '', reason: 'A run diverged or is missing, so there is nothing to compare.' };
  const measured = arms.map(({ arm, run }) => ({
    id: arm.id,
    label: arm.label,
    loss: run!.initialLoss ?? null,
    saturation: initialSaturation(run!),
    layers: saturationByLayer(run!),
    accuracy: run!.result.validationAccuracy,
  }));
  if (measured.some((m) => m.loss === null || m.saturation === null || m.accuracy === null))
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: 'A run recorded no first loss, no saturation or no validation accuracy.',
    };
  const describe = (m: (typeof measured)[number]) =>
    `${m.label}: first loss ${m.loss!.toFixed(2)}, ${percent(m.saturation!)} of tanh outputs saturated (by layer ${m.layers.map((x) => (x * 100).toFixed(1)).join(', ')} %), validation ${percent(m.accuracy!, 2)}`;
  const said = `ln 10 = ${chanceLoss.toFixed(2)}. ${measured.map(describe).join('; ')}.`;
  const [careless, glorot, , bn] = measured;
  const sound = (m: (typeof measured)[number]) => soundStart(m.loss!, m.saturation!);
  if (!sound(glorot))
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: `${said} Glorot does not start soundly (first loss within 0.5 of ln 10, at most 10 % saturated).`,
    };
  if (sound(careless))
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: `${said} The careless ×3 starts soundly too, so there was nothing for a principled gain to fix.`,
    };
  const behind = bn.accuracy! - glorot.accuracy!;
  if (behind <= 0.01)
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} Glorot starts soundly where ×3 does not, and ends ${behind > 0 ? `${points(behind, 2)} below` : `${points(-behind, 2)} above`} the careless scale with BN.`,
    };
  return {
    outcome: 'holds only when',
    condition: 'you look at the start: after the epoch BN is still more than a point ahead',
    reason: `${said} Glorot starts soundly where ×3 does not, but ends ${points(behind, 2)} below the careless scale with BN.`,
  };
}

/** Both experiments' plan: 4 × 128 units of one activation, one short run per arm from seed 1, diagnostics from the first step. */
function deepStartPlan(widget: string, activation: 'tanh' | 'relu', arms: readonly Arm[]): ExperimentPlan {
  return {
    widget,
    base: { hidden: [128, 128, 128, 128], activation, dropout: 0, epochs: 1, trainLimit: 4000 },
    arms,
    axis: null,
    seeds: [1],
    record: { diagnostics: { intervalMs: 250, bins: 8 } },
    chart: 'curves',
  };
}

export const initFirst: ClaimExperiment = {
  name: 'init-first',
  question: 'Fix the initialization first: does a principled gain start a deep tanh network as well as BN does?',
  settings:
    'Four hidden layers of 128 tanh units, no dropout, Adam at learning rate 0.001, batch 32, 1 epoch on the first 4,000 training images, seed 1: Glorot uniform initial weights ×3 (careless), Glorot (Keras’s default), He normal (the gain for ReLU), and Glorot ×3 with BN before each tanh. The first loss is the loss of the first mini-batch with the initial weights; saturation is the share of tanh outputs with |tanh| > 0.97 on that batch, averaged over the four hidden layers.',
  plan: deepStartPlan('init-first', 'tanh', initArms),
  measure: validation,
  decide: decideInitFirst,
};

/** The ReLU arms: Glorot (made for tanh), He normal (made for ReLU), and Glorot with BN before each ReLU. */
export const reluInitArms = [
  { id: 'glorot', label: 'Glorot', config: {} },
  { id: 'he', label: 'He normal', config: { init: 'he-normal' } },
  { id: 'glorot-bn', label: 'Glorot + BN', config: { norm: 'batch' } },
] as const;

/** The spread (standard deviation) of each hidden ReLU layer's outputs, input to output, at a run's first diagnostics frame. */
export function spreadByLayer(run: ClaimRun): number[] {
  return (run.outputFrames?.[0]?.layers ?? []).flatMap((l) => (l.kind === 'Activation' && Number.isFinite(l.std) ? [l.std] : []));
}

/** The last hidden layer's spread over the first's at step 0: 1 when a signal keeps its size through the layers. */
export function spreadKept(run: ClaimRun): number | null {
  const s = spreadByLayer(run);
  return s.length < 2 || s[0] <= 0 ? null : s[s.length - 1] / s[0];
}

/**
 * Does He's gain keep a deep ReLU network's signal where Glorot's lets it shrink? Rule (fixed
 * before any run), on the spread of the hidden ReLU outputs at step 0: a start "keeps the signal"
 * when the last hidden layer's spread is at least half the first's. Holds when He keeps it and
 * Glorot does not; the accuracies after the epoch are reported, not judged (Adam rescales every
 * step, so a shrunken start may cost little here). Does not hold otherwise.
 */
export function decideReluInit(runs: readonly ClaimRun[]): ClaimVerdict {
  const arms = reluInitArms.map((a) => ({ arm: a, run: runs.find((r) => r.arm === a.id) }));
  if (arms.some((a) => !a.run) || runs.some((r) => r.diverged))
    return { outcome: 'does not hold here', condition: '', reason: 'A run diverged or is missing, so there is nothing to compare.' };
  const measured = arms.map(({ arm, run }) => ({
    label: arm.label,
    spreads: spreadByLayer(run!),
    kept: spreadKept(run!),
    accuracy: run!.result.validationAccuracy,
  }));
  if (measured.some((m) => m.kept === null || m.accuracy === null))
    return {
      outcome: 'does not hold here',
      condition: '',
      reason: 'A run recorded no spreads at its first step or no validation accuracy.',
    };
  const describe = (m: (typeof measured)[number]) =>
    `${m.label}: spread of the ReLU outputs by layer ${m.spreads.map((x) => x.toFixed(3)).join(', ')} (last ÷ first ${m.kept!.toFixed(2)}), validation ${percent(m.accuracy!, 2)}`;
  const said = `At step 0 — ${measured.map(describe).join('; ')}.`;
  const [glorot, he] = measured;
  const keeps = (m: (typeof measured)[number]) => m.kept! >= 0.5;
  if (keeps(he) && !keeps(glorot))
    return {
      outcome: 'holds',
      condition: '',
      reason: `${said} He keeps the signal through the four layers; Glorot lets it shrink below half.`,
    };
  return {
    outcome: 'does not hold here',
    condition: '',
    reason: `${said} ${keeps(glorot) ? 'Glorot keeps the signal too.' : 'He does not keep the signal either.'}`,
  };
}

export const initFirstRelu: ClaimExperiment = {
  name: 'init-first-relu',
  question: 'On a deep ReLU network, does He’s gain keep the signal that Glorot’s lets shrink?',
  settings:
    'Four hidden layers of 128 ReLU units, no dropout, Adam at learning rate 0.001, batch 32, 1 epoch on the first 4,000 training images, seed 1: Glorot uniform (Keras’s default), He normal, and Glorot with BN before each ReLU. The spread is the standard deviation of each hidden layer’s ReLU outputs on the first mini-batch, with the initial weights.',
  plan: deepStartPlan('init-first-relu', 'relu', reluInitArms),
  measure: validation,
  decide: decideReluInit,
};
