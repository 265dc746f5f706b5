/**
 * The Training-run widget without the DOM: its settings (one schema for data-* attributes, the
 * URL and defaults), presets, the training config they make, and every text the widget shows
 * about a run (status line, progress, epoch table, chart data), computed from a RunRecord.
 */
import type { TrainConfig } from '@engine/train/config.ts';
import type { TrainingCurvesData } from '@charts/training-curves';
import { configAt, type RunRecord } from '@client/run-record';
import { choiceParam, numberParam, type StateOf } from '../params';

/** Training images available after Keras' 10 % validation split of the 60,000. */
export const fullTrainingSet = 54000;
export const batchSizes = [16, 32, 64, 128, 256] as const;
export const imageCounts = [1000, 2000, 5000, 10000, 20000, fullTrainingSet] as const;

export const schema = {
  norm: choiceParam(['none', 'batch'] as const, 'batch'),
  placement: choiceParam(['before-activation', 'after-activation'] as const, 'before-activation'),
  optimizer: choiceParam(['adam', 'adamw', 'sgd'] as const, 'adam'),
  lr: numberParam({ min: 1e-5, max: 10, default: 1e-3 }),
  batch: numberParam({ min: 1, max: 1024, default: 32, integer: true }),
  epochs: numberParam({ min: 1, max: 30, default: 3, integer: true }),
  images: numberParam({ min: 100, max: fullTrainingSet, default: 5000, integer: true }),
  dropout: numberParam({ min: 0, max: 0.9, default: 0.2 }),
  seed: numberParam({ min: 0, max: 0xffffffff, default: 1, integer: true }),
};

export type State = StateOf<typeof schema>;

export const presets = {
  quick: { images: 5000, epochs: 3, label: 'Quick: 5,000 images, 3 epochs' },
  full: { images: fullTrainingSet, epochs: 5, label: 'Full: all 54,000 images, 5 epochs' },
} as const;

export type PresetName = keyof typeof presets;

/** The classic assignment's MLP (Dense 128 → [BN] → ReLU → Dropout → Dense 10) with these settings. */
export function configFromState(s: State): Partial<TrainConfig> {
  return {
    hidden: [128],
    norm: s.norm,
    normPlacement: s.placement,
    optimizer: s.optimizer,
    lr: s.lr,
    batchSize: s.batch,
    epochs: s.epochs,
    trainLimit: s.images >= fullTrainingSet ? null : s.images,
    dropout: s.dropout,
    seed: s.seed,
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

export const formatLr = (lr: number): string => (lr < 1e-3 ? lr.toExponential(0) : String(Number(lr.toPrecision(2))));
export const formatPercent = (fraction: number, digits = 1): string => (Number.isFinite(fraction) ? `${(fraction * 100).toFixed(digits)} %` : '—');
export const formatCount = (n: number): string => Math.round(n).toLocaleString('en-US');

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${Math.round(seconds - 60 * m)} s`;
}

/** Steps taken so far, from the latest progress point or the summary. */
export function currentStep(r: RunRecord): number {
  return r.summary?.steps ?? r.progress.at(-1)?.step ?? 0;
}

/** Fraction of the run done, for the progress bar. */
export function progressFraction(r: RunRecord): number {
  if (r.state === 'finished') return 1;
  const total = r.info?.totalSteps;
  return total ? Math.min(1, currentStep(r) / total) : 0;
}

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
      const eta = r.etaSeconds === null ? '' : ` · about ${formatDuration(r.etaSeconds)} left`;
      return `Training: epoch ${epoch} of ${r.config.epochs}, step ${formatCount(step)}${of} · ${formatCount(r.samplesPerSecond)} images/s${eta}`;
    }
    case 'paused':
      return `Paused at step ${formatCount(step)}${of}. Change the learning rate or dropout, then resume.`;
    case 'finished': {
      const val = s?.validation ? `validation accuracy ${formatPercent(s.validation.accuracy)}` : '';
      const test = s?.test ? `test accuracy ${formatPercent(s.test.accuracy)}` : '';
      return `Finished in ${formatDuration(s?.seconds ?? NaN)}: ${[val, test].filter(Boolean).join(', ')}.`;
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
    time: formatDuration(e.seconds),
  }));
}

/** Chart data for one metric: live training points, validation per epoch, test at the end, marks. */
export function curvesFromRecord(r: RunRecord, metric: 'loss' | 'accuracy', maxPoints = Infinity): TrainingCurvesData {
  const perEpoch = r.info?.stepsPerEpoch ?? 1;
  const lastEpoch = r.epochs.at(-1);
  const marks: NonNullable<TrainingCurvesData['marks']>[number][] = r.changes.map((c) => ({
    epoch: c.step / perEpoch,
    label: Object.entries(c.changes)
      .map(([k, v]) => `${k} ${typeof v === 'number' ? (k === 'lr' ? formatLr(v) : formatNumber(v)) : v}`)
      .join(', '),
    kind: 'change' as const,
  }));
  if (r.summary?.diverged) marks.push({ epoch: r.summary.diverged.step / perEpoch, label: `diverged at step ${r.summary.diverged.step}`, kind: 'diverged' });
  const test = r.summary?.test && lastEpoch ? { epoch: lastEpoch.epoch, value: r.summary.test[metric] } : null;
  return {
    train: evenly(r.progress, maxPoints).map((p) => ({ epoch: p.epoch, value: p[metric] })),
    validation: r.epochs.filter((e) => e.validation).map((e) => ({ epoch: e.epoch, value: e.validation![metric] })),
    test,
    marks,
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
  if (last) parts.push(`after epoch ${last.epoch} it was ${format(last.train[metric])} on training data${last.validation ? ` and ${format(last.validation[metric])} on validation data` : ''}`);
  return parts.length ? `${parts.join('; ')}.` : 'No data yet.';
}

/** The settings a saved run was made with, to restore them with "Show". */
export function stateFromRecord(r: RunRecord, base: State): State {
  const c = configAt(r, 1);
  return {
    ...base,
    norm: c.norm,
    placement: c.normPlacement,
    optimizer: c.optimizer,
    lr: c.lr,
    batch: c.batchSize,
    epochs: c.epochs,
    images: c.trainLimit ?? fullTrainingSet,
    dropout: c.dropout,
    seed: c.seed,
  };
}
