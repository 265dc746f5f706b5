/**
 * Layer diagnostics without the DOM: the run's settings, the history of diagnostics frames the
 * worker sends (kept short by thinning), and what each chart and summary needs from it —
 * activation and gradient histograms of one layer over time, update:weight ratios of every
 * weight tensor, and BN's running statistics against the batch statistics they chase.
 */
import { modelSpec, parseTrainConfig, summarizeSpec, type TrainConfig } from '@engine';
import type { DiagnosticsEvent, LayerDiagnostics } from '@engine/worker/protocol.ts';
import type { HeatColumn } from '@charts/heat-strip';
import type { RatioPoint } from '@charts/update-ratio';
import type { StatsFrame } from '@charts/running-stats';
import { choiceParam, numberParam, type StateOf } from '../params';

export const trainImages = 54_000;
export const layerNames = ['dense', 'batch_normalization', 'activation', 'dropout', 'dense_1'] as const;

export const schema = {
  norm: choiceParam(['batch', 'none'] as const, 'batch'),
  images: numberParam({ min: 1000, max: trainImages, default: 12_000, integer: true }),
  epochs: numberParam({ min: 1, max: 10, default: 2, integer: true }),
  lr: choiceParam(['0.0001', '0.001', '0.01', '0.1'] as const, '0.001'),
  batch: choiceParam(['16', '32', '64', '128', '256'] as const, '32'),
  /** The layer whose histograms are drawn (Keras names). */
  layer: choiceParam(layerNames, 'dense'),
  seed: numberParam({ min: 0, max: 0xffffffff, default: 1, integer: true }),
};

export type State = StateOf<typeof schema>;

export const presets = {
  quick: { images: 12_000, epochs: 2, label: 'Quick: 12,000 images, 2 epochs' },
  full: { images: trainImages, epochs: 5, label: 'Full: 54,000 images, 5 epochs' },
} as const;

/** Diagnostics as often as the protocol allows (≤ 10/s), with 32 bins per histogram. */
export const diagnosticsOptions = { intervalMs: 100, bins: 32 } as const;
/** Frames kept for the charts; older ones are thinned to every other. */
export const maxFrames = 120;

export function runConfig(state: State): TrainConfig {
  return parseTrainConfig({
    norm: state.norm,
    lr: Number(state.lr),
    batchSize: Number(state.batch),
    epochs: state.epochs,
    seed: state.seed,
    trainLimit: state.images >= trainImages ? null : state.images,
  });
}

/** The layers of the model these settings build, in order (Keras names). */
export function modelLayers(state: State): { name: string; type: string }[] {
  return summarizeSpec(modelSpec(runConfig(state), 784, 10))
    .rows.filter((r) => r.type !== 'Flatten')
    .map((r) => ({ name: r.name, type: r.type }));
}

/** The chosen layer if the model has it, else its first Dense layer. */
export function shownLayer(state: State): string {
  return modelLayers(state).some((l) => l.name === state.layer) ? state.layer : 'dense';
}

export type Frame = Pick<DiagnosticsEvent, 'step' | 'gradNorm' | 'layers'>;

/** Adds a frame; past `max` frames the history is halved (every other frame), keeping the newest. */
export function appendFrame(frames: readonly Frame[], frame: Frame, max = maxFrames): Frame[] {
  const next = [...frames, frame];
  if (next.length <= max) return next;
  return next.filter((_, i) => i % 2 === 1 || i === next.length - 1);
}

function layerOf(frame: Frame, name: string): LayerDiagnostics | undefined {
  return frame.layers.find((l) => l.name === name);
}

export function heatColumns(frames: readonly Frame[], layer: string, what: 'activations' | 'gradients'): HeatColumn[] {
  return frames.flatMap((f) => {
    const h = layerOf(f, layer)?.[what];
    return h ? [{ step: f.step, min: h.min, max: h.max, counts: h.counts }] : [];
  });
}

/** Weight tensors worth a ratio line: Dense kernels and BN's γ (biases and β start at 0, where the ratio means little). */
export function ratioPoints(frames: readonly Frame[]): RatioPoint[] {
  return frames.flatMap((f) =>
    f.layers.flatMap((l) => l.params.filter((p) => p.name === 'kernel' || p.name === 'gamma').map((p) => ({ param: `${l.name} ${p.name}`, step: f.step, ratio: p.updateRatio }))),
  );
}

export function ratioParams(frames: readonly Frame[]): string[] {
  return [...new Set(ratioPoints(frames.slice(-1)).map((p) => p.param))];
}

/** The first BN layer's moving statistic and the batch statistic, frame by frame; [] without BN. */
export function statsFrames(frames: readonly Frame[], stat: 'mean' | 'variance'): StatsFrame[] {
  return frames.flatMap((f) => {
    const bn = f.layers.find((l) => l.movingMean !== null);
    if (!bn) return [];
    const moving = stat === 'mean' ? bn.movingMean : bn.movingVariance;
    const batch = stat === 'mean' ? bn.batchMean : bn.batchVariance;
    return moving ? [{ step: f.step, moving, batch }] : [];
  });
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-2 || a >= 1e4) ? x.toExponential(1) : x.toFixed(a < 1 ? 3 : 2);
}

export function histogramSummary(frames: readonly Frame[], layer: string, what: 'activations' | 'gradients'): string {
  const last = frames.at(-1);
  const h = last && layerOf(last, layer)?.[what];
  const noun = what === 'activations' ? 'outputs' : 'output gradients';
  if (!last || !h) return `No ${noun} of ${layer} measured yet.`;
  const zeros = h.zeros > 0 ? `, ${(h.zeros * 100).toFixed(0)} % exactly zero` : '';
  return `${layer} ${noun} at step ${last.step}: mean ${fmt(h.mean)}, standard deviation ${fmt(h.std)}, range ${fmt(h.min)} to ${fmt(h.max)}${zeros}.`;
}

export const ratioBand: [number, number] = [10 ** -3.5, 10 ** -2.5];

export function ratioSummary(frames: readonly Frame[]): string {
  const last = frames.at(-1);
  const points = last ? ratioPoints([last]).filter((p) => Number.isFinite(p.ratio)) : [];
  if (!last || points.length === 0) return 'No update ratios measured yet.';
  const where = (r: number) => (r < ratioBand[0] ? 'below the band' : r > ratioBand[1] ? 'above the band' : 'in the band');
  return `Update/weight ratios at step ${last.step}: ${points.map((p) => `${p.param} ${fmt(p.ratio)} (${where(p.ratio)})`).join(', ')}. The rule of thumb is about 1e-3.`;
}

export function statsSummary(frames: readonly Frame[]): string {
  const means = statsFrames(frames, 'mean');
  const variances = statsFrames(frames, 'variance');
  const m = means.at(-1);
  const v = variances.at(-1);
  if (!m || !v) return frames.length > 0 ? 'This model has no BN layer, so there are no running statistics.' : 'No BN statistics measured yet.';
  const gap = (f: StatsFrame) => {
    if (!f.batch) return NaN;
    let s = 0;
    for (let i = 0; i < f.moving.length; i++) s += Math.abs(f.moving[i] - f.batch[i]);
    return s / f.moving.length;
  };
  return `At step ${m.step}, the moving mean differs from the last batch's mean by ${fmt(gap(m))} on average over ${m.moving.length} units, the moving variance from the batch variance by ${fmt(gap(v))}. Both start at 0 and 1 and take a few hundred steps (momentum 0.99) to catch up.`;
}
