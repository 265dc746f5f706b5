/**
 * The clipping trace without the DOM: its settings (how to clip and at what threshold, the
 * optimizer and learning rate of a run without BN), the one-run plan on the experiment kit that
 * records the worker's diagnostics frames, and what the chart and the summary read from those
 * frames — the global gradient norm before clipping (the frame's `gradNorm`), after clipping (the
 * per-tensor norms of the gradients the optimizer used, combined), and the share of steps the
 * worker counted as clipped.
 */
import { trainImages, type TrainConfig } from '@engine';
import type { ClipTracePoint } from '@charts/clip-trace';
import type { DiagnosticsFrame, RunRecord } from '@client/run-record';
import { steppedParam } from '../run-controller/architecture';
import { expandPlan, type ExperimentPlan } from '@experiments/plan';
import { choiceParam, numberParam, type StateOf } from '../params';

export const widgetName = 'clip-trace';

export const schema = {
  /** Clip the global norm, clip each component by value, or not at all. */
  mode: choiceParam(['norm', 'value', 'off'] as const, 'norm'),
  /** The global-norm threshold (mode 'norm') or the limit on every component (mode 'value'). */
  threshold: numberParam({ min: 1e-4, max: 100, default: 1 }),
  optimizer: choiceParam(['sgd', 'adam'] as const, 'sgd'),
  lr: numberParam({ min: 1e-4, max: 10, default: 2 }),
  images: steppedParam({ min: 1000, max: trainImages, step: 1000, default: 5000 }),
  epochs: numberParam({ min: 1, max: 10, default: 3, integer: true }),
  seed: numberParam({ min: 0, max: 0xffffffff, default: 1, integer: true }),
};

export type State = StateOf<typeof schema>;

export const presets = {
  quick: { images: 5000, epochs: 3, label: 'Quick: 5,000 images, 3 epochs' },
  full: { images: trainImages, epochs: 1, label: 'Full: all 54,000 images, 1 epoch' },
} as const;
/** The frames the chart reads: the run record's diagnostics history, live and after a reload alike. */
export type Frame = DiagnosticsFrame;

/** Logarithmic sliders: position = log10(value). */
export const thresholdSlider = { min: -4, max: 2, step: 0.1 };
export const lrSlider = { min: -4, max: 1, step: 0.1 };
export const fromSlider = (position: number): number => Number((10 ** position).toPrecision(2));
export const toSlider = (value: number): number => Math.log10(value);

export const modeLabels: Record<State['mode'], string> = { norm: 'global norm clipped', value: 'clipped by value', off: 'not clipped' };

/** Diagnostics as often as the protocol allows (≤ 10/s); the histograms are not shown, so 4 bins. */
export const diagnosticsOptions = { intervalMs: 100, bins: 4 } as const;

/** One run without BN, clipped as the settings say, recording diagnostics. */
export function tracePlan(s: State): ExperimentPlan {
  const base: Partial<TrainConfig> = {
    norm: 'none',
    optimizer: s.optimizer,
    lr: s.lr,
    epochs: s.epochs,
    trainLimit: s.images >= trainImages ? null : s.images,
    clipNorm: s.mode === 'norm' ? s.threshold : null,
    clipValue: s.mode === 'value' ? s.threshold : null,
  };
  const label = `${s.optimizer === 'sgd' ? 'SGD' : 'Adam'} lr ${s.lr}, ${s.mode === 'off' ? 'not clipped' : `${modeLabels[s.mode]} at ${s.threshold}`}`;
  return {
    widget: widgetName,
    base,
    arms: [{ id: s.mode, label, config: {} }],
    axis: null,
    seeds: [s.seed],
    record: { diagnostics: { ...diagnosticsOptions } },
    chart: 'curves',
  };
}

export function runConfig(s: State): TrainConfig {
  return expandPlan(tracePlan(s))[0].config;
}

/** ‖g‖ after clipping: the norms of every parameter's gradient (as the optimizer received it), combined. */
export function normAfter(frame: Frame): number {
  let sum = 0;
  for (const layer of frame.layers) for (const p of layer.params) sum += p.gradNorm * p.gradNorm;
  return Math.sqrt(sum);
}

export function tracePoints(frames: readonly Frame[]): ClipTracePoint[] {
  return frames.map((f) => ({ step: f.step, before: f.gradNorm, after: normAfter(f) }));
}

const fmt = (x: number) =>
  !Number.isFinite(x) ? String(x) : x >= 1000 || (x !== 0 && x < 0.01) ? x.toExponential(1) : String(Number(x.toPrecision(3)));
const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The clipping settings the shown run used (a saved or running record), else the current settings. */
export function clippingOf(record: RunRecord | null, s: State): { mode: State['mode']; threshold: number | null } {
  const c = record?.config;
  if (!c) return { mode: s.mode, threshold: s.mode === 'off' ? null : s.threshold };
  if (c.clipNorm !== null) return { mode: 'norm', threshold: c.clipNorm };
  if (c.clipValue !== null) return { mode: 'value', threshold: c.clipValue };
  return { mode: 'off', threshold: null };
}

/**
 * What the trace shows in words: the latest norm before and after clipping, and — by norm — the
 * threshold and the share of every step so far that was clipped; by value, how much of its length
 * the clipped gradient kept (the median over the recorded steps).
 */
export function traceSummary(frames: readonly Frame[], clipping: { mode: State['mode']; threshold: number | null }): string {
  const last = frames.at(-1);
  if (!last) return 'No gradient norms measured yet: start the run.';
  const steps = last.step.toLocaleString('en-US');
  const now = `Step ${steps}: global gradient norm ${fmt(last.gradNorm)} before clipping`;
  switch (clipping.mode) {
    case 'off':
      return `${now}; clipping is off. Median over the recorded steps: ${fmt(median(frames.map((f) => f.gradNorm)))}.`;
    case 'norm': {
      const share = last.clippedShare === null ? '—' : `${(last.clippedShare * 100).toFixed(1)} %`;
      return `${now}, ${fmt(normAfter(last))} after. Threshold ${clipping.threshold}: ${share} of the ${steps} steps so far were clipped.`;
    }
    case 'value': {
      const kept = frames.map((f) => normAfter(f) / f.gradNorm).filter((r) => Number.isFinite(r));
      const medianKept = kept.length > 0 ? `${(median(kept) * 100).toFixed(1)} %` : '—';
      return `${now}, ${fmt(normAfter(last))} after clamping every component to ±${clipping.threshold}. Median over the recorded steps: the clipped gradient kept ${medianKept} of its length.`;
    }
  }
}

/** The run's outcome in one line: its validation accuracy after the last epoch, or how it ended. */
export function outcomeLine(record: RunRecord | null): string {
  if (!record) return 'Not run yet.';
  const last = record.epochs.at(-1);
  if (record.state === 'diverged')
    return `The run diverged at step ${(record.summary?.diverged?.step ?? 0).toLocaleString('en-US')}: the loss reached ${fmt(record.summary?.diverged?.loss ?? NaN)}.`;
  if (record.state === 'finished' && last?.validation)
    return `Validation accuracy after ${record.epochs.length} epoch${record.epochs.length === 1 ? '' : 's'}: ${(last.validation.accuracy * 100).toFixed(2)} %.`;
  return '';
}
