/**
 * The Training-run widget without the DOM: its settings (one schema for data-* attributes, the
 * URL and defaults), presets, the training config they make, and every text the widget shows
 * about a run (status line, progress, epoch table, chart data), computed from a RunRecord.
 */
import type { TrainConfig } from '@engine/train/config.ts';
import type { TrainingCurvesData } from '@charts/training-curves';
import { configAt, type RunRecord } from '@client/run-record';
import { modelSpec, parseTrainConfig, summarizeSpec } from '@engine';
import { architectureSchema, modelLine, type Architecture } from '../run-controller/architecture';
import { currentStep, formatCount, formatSeconds } from '../run-controller/run-text';
import { choiceParam, listParam, numberParam, parseState, type Param, type StateOf } from '../params';

/** Gradient clipping by global norm: a threshold in [0.01, 100], or null for off (the engine's default). */
export const clipRange = { min: 0.01, max: 100 } as const;
/** Gradient clipping by value: a limit on every component in [0.0001, 10], or null for off. */
export const clipValueRange = { min: 1e-4, max: 10 } as const;

/** A threshold in `range` or null for off: `run.clip=1` or `run.clip=off`; anything else falls back like every other setting. */
function offOrRangeParam(range: { min: number; max: number }): Param<number | null> {
  return {
    default: null,
    parse(raw) {
      if (raw == null) return undefined;
      if (raw.trim() === 'off') return null;
      const value = raw.trim() === '' ? NaN : Number(raw);
      return Number.isFinite(value) && value >= range.min && value <= range.max ? value : undefined;
    },
    format: (value) => (value === null ? 'off' : String(Number(value.toPrecision(6)))),
  };
}

export const clipParam = offOrRangeParam(clipRange);
export const clipValueParam = offOrRangeParam(clipValueRange);

/** Training images available after Keras' 10 % validation split of the 60,000. */
export const fullTrainingSet = 54000;
export const batchSizes = [16, 32, 64, 128, 256] as const;
export const imageCounts = [1000, 2000, 5000, 10000, 20000, fullTrainingSet] as const;

/** The model controls shared with the experiment widgets (depth, width, activation, init and its scale, dropout placement). */
const { layers, width, activation, init, initScale, dropoutPlacement } = architectureSchema;

type ModelKey = 'layers' | 'width' | 'activation' | 'init' | 'initScale' | 'dropoutPlacement';
const modelKeys: readonly ModelKey[] = ['layers', 'width', 'activation', 'init', 'initScale', 'dropoutPlacement'];

/** The part of a shared-control change this widget takes (its own optimizer, lr, batch, placement and dropout controls stay). */
export function modelChange(change: Partial<Architecture>): Partial<Pick<Architecture, ModelKey>> {
  return Object.fromEntries(Object.entries(change).filter(([k]) => (modelKeys as readonly string[]).includes(k)));
}

export const schema = {
  layers,
  width,
  activation,
  init,
  initScale,
  dropoutPlacement,
  norm: choiceParam(['none', 'batch'] as const, 'batch'),
  placement: choiceParam(['before-activation', 'after-activation'] as const, 'before-activation'),
  optimizer: choiceParam(['adam', 'adamw', 'sgd'] as const, 'adam'),
  lr: numberParam({ min: 1e-5, max: 10, default: 1e-3 }),
  batch: listParam(batchSizes, 32),
  // 50 so the weight-decay lesson's overfitting run (2,000 images, 40 epochs) can be repeated by hand.
  epochs: numberParam({ min: 1, max: 50, default: 3, integer: true }),
  images: listParam(imageCounts, 5000),
  dropout: numberParam({ min: 0, max: 0.9, default: 0.2 }),
  /** BN momentum in Keras' direction (running = m·running + (1 − m)·batch); PyTorch's momentum is 1 − m. */
  bnMomentum: numberParam({ min: 0.5, max: 0.999, default: 0.99 }),
  /** One weight-decay setting: decoupled `weightDecay` under AdamW, coupled `l2` under Adam and SGD. */
  decay: numberParam({ min: 0, max: 1, default: 0 }),
  clip: clipParam,
  /** Clipping by value (Keras clipvalue, PyTorch clip_grad_value_): every gradient component clamped to ±this. */
  clipValue: clipValueParam,
  /** SGD momentum (heavy ball); ignored by Adam and AdamW, whose β1 plays that role. */
  momentum: numberParam({ min: 0, max: 0.99, default: 0 }),
  seed: numberParam({ min: 0, max: 0xffffffff, default: 1, integer: true }),
};

export type State = StateOf<typeof schema>;

export const presets = {
  quick: { images: 5000, epochs: 3, label: 'Quick: 5,000 images, 3 epochs' },
  full: { images: fullTrainingSet, epochs: 5, label: 'Full: all 54,000 images, 5 epochs' },
} as const;

export type PresetName = keyof typeof presets;

/** The MLP these settings build (by default the classic assignment's: Dense 128 → [BN] → ReLU → Dropout → Dense 10). */
export function configFromState(s: State): Partial<TrainConfig> {
  return {
    hidden: Array.from({ length: s.layers }, () => Number(s.width)),
    activation: s.activation,
    init: s.init,
    initScale: Number(s.initScale),
    dropoutPlacement: s.dropoutPlacement === 'before' ? 'before-norm' : 'after-norm',
    norm: s.norm,
    normPlacement: s.placement,
    optimizer: s.optimizer,
    lr: s.lr,
    batchSize: s.batch,
    epochs: s.epochs,
    trainLimit: s.images >= fullTrainingSet ? null : s.images,
    dropout: s.dropout,
    bnMomentum: s.bnMomentum,
    ...decayConfig(s.optimizer, s.decay),
    clipNorm: s.clip,
    clipValue: s.clipValue,
    momentum: s.optimizer === 'sgd' ? s.momentum : 0,
    seed: s.seed,
  };
}

/** The engine rejects decoupled decay without AdamW and coupled L2 with it, so one control maps to the right one. */
export function decayConfig(optimizer: State['optimizer'], decay: number): { weightDecay: number; l2: number } {
  return optimizer === 'adamw' ? { weightDecay: decay, l2: 0 } : { weightDecay: 0, l2: decay };
}

/** The live change the weight-decay control sends to a run that uses `optimizer`. */
export function decayChange(optimizer: State['optimizer'], decay: number): { weightDecay: number } | { l2: number } {
  return optimizer === 'adamw' ? { weightDecay: decay } : { l2: decay };
}

/** Label and hint of the weight-decay control, which means a different update under each optimizer. */
export function decayLabel(optimizer: State['optimizer']): { label: string; hint: string } {
  return optimizer === 'adamw'
    ? { label: 'Weight decay (decoupled, AdamW)', hint: 'w ← w − lr·λ·w each step, outside Adam’s scaling; off or 10⁻⁵ to 1' }
    : {
        label: 'L2 penalty (coupled)',
        hint: `loss + λ·Σw² (Keras L2), so ${optimizer === 'sgd' ? 'SGD' : 'Adam'} sees 2λw in the gradient; off or 10⁻⁵ to 1`,
      };
}

/** The learning-rate slider moves in powers of ten: position = log10(lr). */
export const lrSlider = { min: -5, max: 1, step: 0.1 };
export const lrFromSlider = (position: number): number => Number((10 ** position).toPrecision(2));
export const sliderFromLr = (lr: number): number => Math.log10(lr);

export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e4)) return value.toExponential(1);
  return String(Number(value.toPrecision(digits)));
}

/**
 * Logarithmic sliders with an "off" position one step beyond one end. Weight decay: off at the
 * left, then 10⁻⁵ … 1. Clipping by norm: 0.01 … 100, then off at the right (a larger threshold clips less,
 * so "off" sits where clipping fades out).
 */
export const decaySlider = { min: -5.1, max: 0, step: 0.1, off: -5.1 };
export const decayFromSlider = (position: number): number =>
  position <= decaySlider.off + 1e-9 ? 0 : Number((10 ** position).toPrecision(2));
export const sliderFromDecay = (decay: number): number =>
  decay <= 0 ? decaySlider.off : Math.max(decaySlider.off + decaySlider.step, Math.log10(decay));

export const clipSlider = { min: -2, max: 2.1, step: 0.1, off: 2.1 };
export const clipFromSlider = (position: number): number | null =>
  position >= clipSlider.off - 1e-9 ? null : Number((10 ** position).toPrecision(2));
export const sliderFromClip = (clip: number | null): number => (clip === null ? clipSlider.off : Math.log10(clip));

/** Clipping by value: 10⁻⁴ … 10, then off at the right (a larger limit clips fewer components). */
export const clipValueSlider = { min: -4, max: 1.1, step: 0.1, off: 1.1 };
export const clipValueFromSlider = (position: number): number | null =>
  position >= clipValueSlider.off - 1e-9 ? null : Number((10 ** position).toPrecision(2));
export const sliderFromClipValue = (limit: number | null): number => (limit === null ? clipValueSlider.off : Math.log10(limit));

/** BN momentum moves in decades of 1 − m: position = −log10(1 − m), so 1 → 0.9, 2 → 0.99, 3 → 0.999. */
export const bnMomentumSlider = { min: 0.3, max: 3, step: 0.1 };
export const bnMomentumFromSlider = (position: number): number => Number((1 - Number((10 ** -position).toPrecision(2))).toPrecision(6));
export const sliderFromBnMomentum = (m: number): number => -Math.log10(1 - m);

export const formatDecay = (decay: number): string => (decay === 0 ? 'off' : formatNumber(decay, 2));
export const formatClip = (clip: number | null): string => (clip === null ? 'off' : formatNumber(clip, 2));

const hints = {
  bnMomentum: 'Keras direction: running = m·running + (1 − m)·batch',
  momentum: 'heavy ball; 0 is plain SGD; set at the start',
};

/** Whether a control applies to these settings, and its hint (which says why when it does not). */
export function controlNote(name: 'bnMomentum' | 'momentum', s: Pick<State, 'norm' | 'optimizer'>): { disabled: boolean; hint: string } {
  if (name === 'momentum') {
    return s.optimizer === 'sgd'
      ? { disabled: false, hint: hints.momentum }
      : { disabled: true, hint: 'Only SGD uses it: Adam’s β1 already averages the gradients.' };
  }
  return s.norm === 'batch'
    ? { disabled: false, hint: hints.bnMomentum }
    : { disabled: true, hint: 'Only used with BN: choose “with BN” to change it.' };
}

const changeNames: Record<string, string> = {
  lr: 'lr',
  dropout: 'dropout',
  bnMomentum: 'BN momentum',
  weightDecay: 'weight decay',
  l2: 'L2',
  clipNorm: 'clip norm',
  clipValue: 'clip value',
};
/** Settings whose 0 or null means the feature is off. */
const offWhenZero = new Set(['weightDecay', 'l2']);

function formatChange(key: string, value: number | null): string {
  if (value === null || (value === 0 && offWhenZero.has(key))) return 'off';
  return key === 'lr' ? formatLr(value) : formatNumber(value);
}

/** "clip norm 1, lr 0.01": a live change as the chart marks show it. */
export function describeChange(changes: Readonly<Record<string, number | null | undefined>>): string {
  return Object.entries(changes)
    .filter((entry): entry is [string, number | null] => entry[1] !== undefined)
    .map(([key, value]) => `${changeNames[key] ?? key} ${formatChange(key, value)}`)
    .join(', ');
}

export const formatLr = (lr: number): string => (lr < 1e-3 ? lr.toExponential(0) : String(Number(lr.toPrecision(2))));
export const formatPercent = (fraction: number, digits = 1): string =>
  Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)} %` : '—';
export const formatEpochs = (n: number): string => `${n} epoch${n === 1 ? '' : 's'}`;

/** The one-line status the widget announces (aria-live) and shows above the progress bar. */
export function statusText(r: RunRecord): string {
  const step = currentStep(r);
  const total = r.info?.totalSteps;
  const of = total ? ` of ${formatCount(total)}` : '';
  const s = r.summary;
  switch (r.state) {
    case 'starting':
      return 'Starting the run…';
    case 'running': {
      const last = r.progress.at(-1);
      if (!last || !r.info) return 'Training…';
      const epoch = Math.min(r.config.epochs, Math.floor((step - 1) / r.info.stepsPerEpoch) + 1);
      const eta = r.etaSeconds === null ? '' : ` · about ${formatSeconds(r.etaSeconds)} left`;
      return `Training: epoch ${epoch} of ${r.config.epochs}, step ${formatCount(step)}${of} · ${formatCount(r.samplesPerSecond)} images/s${eta}`;
    }
    case 'paused':
      return `Paused at step ${formatCount(step)}${of}. Change a live setting, then resume.`;
    case 'finished': {
      const val = s?.validation ? `validation accuracy ${formatPercent(s.validation.accuracy)}` : '';
      const test = s?.test ? `test accuracy ${formatPercent(s.test.accuracy)}` : '';
      return `Finished in ${formatSeconds(s?.seconds ?? NaN)}: ${[val, test].filter(Boolean).join(', ')}.`;
    }
    case 'stopped':
      return `Stopped at step ${formatCount(step)}${of}.`;
    case 'diverged':
      return `Diverged at step ${formatCount(s?.diverged?.step ?? step)}: the loss reached ${formatNumber(s?.diverged?.loss ?? NaN)}. Lower the learning rate and start again.`;
    case 'failed':
      return `The run failed: ${s?.error ?? 'unknown error'}`;
    case 'interrupted':
      return `Interrupted at step ${formatCount(step)}${of}: the page was closed while it ran.`;
    default:
      return r.state satisfies never;
  }
}

export interface EpochRow {
  epoch: string;
  trainLoss: string;
  trainAccuracy: string;
  validationLoss: string;
  validationAccuracy: string;
  time: string;
}

export function epochRows(r: RunRecord): EpochRow[] {
  return r.epochs.map((e) => ({
    epoch: String(e.epoch),
    trainLoss: formatNumber(e.train.loss, 4),
    trainAccuracy: formatPercent(e.train.accuracy, 2),
    validationLoss: e.validation ? formatNumber(e.validation.loss, 4) : '—',
    validationAccuracy: e.validation ? formatPercent(e.validation.accuracy, 2) : '—',
    time: formatSeconds(e.seconds),
  }));
}

/** Chart data for one metric: live training points, validation per epoch, test at the end, marks. */
export function curvesFromRecord(r: RunRecord, metric: 'loss' | 'accuracy', maxPoints = Infinity): TrainingCurvesData {
  const perEpoch = r.info?.stepsPerEpoch ?? 1;
  const lastEpoch = r.epochs.at(-1);
  const marks: NonNullable<TrainingCurvesData['marks']>[number][] = r.changes.map((c) => ({
    epoch: c.step / perEpoch,
    label: describeChange(c.changes),
    kind: 'change' as const,
  }));
  if (r.summary?.diverged)
    marks.push({ epoch: r.summary.diverged.step / perEpoch, label: `diverged at step ${r.summary.diverged.step}`, kind: 'diverged' });
  const test = r.summary?.test && lastEpoch ? { epoch: lastEpoch.epoch, value: r.summary.test[metric] } : null;
  const explosion = r.summary?.diverged ? { epoch: r.summary.diverged.step / perEpoch, value: r.summary.diverged.loss } : null;
  return {
    train: evenly(r.progress, maxPoints).map((p) => ({ epoch: p.epoch, value: p[metric] })),
    validation: r.epochs.filter((e) => e.validation).map((e) => ({ epoch: e.epoch, value: e.validation![metric] })),
    test,
    marks,
    explosion,
  };
}

/** At most `max` items spread evenly over the list, always keeping the last. */
export function evenly<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const stride = items.length / max;
  const picked = Array.from({ length: max - 1 }, (_, i) => items[Math.floor(i * stride)]);
  return [...picked, items[items.length - 1]];
}

/** A short text alternative for a chart: where the metric started and where it is now. */
export function curveSummary(r: RunRecord, metric: 'loss' | 'accuracy'): string {
  const format = metric === 'loss' ? (v: number) => formatNumber(v, 3) : (v: number) => formatPercent(v);
  const first = r.progress.find((p) => Number.isFinite(p[metric]));
  const last = r.epochs.at(-1);
  const parts: string[] = [];
  if (first) parts.push(`Training ${metric} started at ${format(first[metric])}`);
  if (last)
    parts.push(
      `after epoch ${last.epoch} it was ${format(last.train[metric])} on training data${last.validation ? ` and ${format(last.validation[metric])} on validation data` : ''}`,
    );
  return parts.length ? `${parts.join('; ')}.` : 'No data yet.';
}

/** The settings a saved run was made with, to restore them with "Show"; values the controls cannot show keep `base`'s. */
export function stateFromRecord(r: RunRecord, base: State): State {
  const c = configAt(r, 1);
  const saved: Record<keyof State, unknown> = {
    layers: c.hidden.length,
    width: String(c.hidden[0]),
    activation: c.activation,
    init: c.init,
    initScale: String(c.initScale),
    dropoutPlacement: c.dropoutPlacement === 'before-norm' ? 'before' : 'after',
    norm: c.norm,
    placement: c.normPlacement,
    optimizer: c.optimizer,
    lr: c.lr,
    batch: c.batchSize,
    epochs: c.epochs,
    images: c.trainLimit ?? fullTrainingSet,
    dropout: c.dropout,
    bnMomentum: c.bnMomentum,
    decay: c.optimizer === 'adamw' ? c.weightDecay : c.l2,
    clip: c.clipNorm,
    clipValue: c.clipValue,
    momentum: c.momentum,
    seed: c.seed,
  };
  return parseState(schema, (key) => (schema[key as keyof State] as Param<unknown>).format(saved[key as keyof State]), base);
}

/** The live model line: "Model: 4 × 128 sigmoid · Glorot ×1 · BN before the activation — …". */
export function trainingModelLine(s: State): string {
  const summary = (norm: 'none' | 'batch') =>
    summarizeSpec(
      modelSpec(
        parseTrainConfig({ ...configFromState(s), batchSize: 32, momentum: 0, optimizer: 'adam', weightDecay: 0, l2: 0, norm }),
        784,
        10,
      ),
    );
  const init = { 'glorot-uniform': 'Glorot', 'he-normal': 'He normal', 'he-uniform': 'He uniform' }[s.init];
  return modelLine(`${s.layers} × ${s.width} ${s.activation} · ${init} ×${s.initScale}`, summary('none'), summary('batch'));
}
