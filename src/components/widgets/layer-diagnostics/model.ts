/**
 * Layer diagnostics without the DOM: the run's settings (the shared architecture controls, BN or
 * not, gradient clipping), the experiment plan (one run that records diagnostics), and what each chart and summary
 * needs from it — for every hidden layer: activation histograms over time with the saturated
 * share, gradient norms, update:weight ratios; the global gradient norm before clipping with the
 * share of clipped steps; one chosen layer's activation and gradient histograms; and BN's running
 * statistics against the batch statistics they chase.
 */
import { modelSpec, parseTrainConfig, summarizeSpec, trainImages, type TrainConfig } from '@engine';
import type { LayerDiagnostics } from '@engine/worker/protocol.ts';
import type { DiagnosticsFrame } from '@client/run-record';
import type { HeatColumn } from '@charts/heat-strip';
import type { LayerPoint } from '@charts/layer-lines';
import type { GradNormPoint } from '@charts/grad-norm';
import type { StatsFrame } from '@charts/running-stats';
import { architectureConfig, architectureSchema, steppedParam } from '../run-controller/architecture';
import { bnArms } from '@experiments/axes';
import { expandPlan, type ExperimentPlan } from '@experiments/plan';
import { choiceParam, numberParam, type StateOf } from '../params';

export const widgetName = 'layer-diagnostics';

/** Keras names of every layer a model of up to 8 hidden layers can have. */
const numbered = (base: string, n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? base : `${base}_${i}`));
export const layerNames = [
  ...numbered('dense', 9),
  ...numbered('batch_normalization', 8),
  ...numbered('activation', 8),
  ...numbered('dropout', 8),
] as const;

export const schema = {
  norm: choiceParam(['batch', 'none'] as const, 'batch'),
  ...architectureSchema,
  clip: choiceParam(['off', '0.5', '1', '5'] as const, 'off'),
  images: steppedParam({ min: 1000, max: trainImages, step: 1000, default: 12_000 }),
  epochs: numberParam({ min: 1, max: 10, default: 2, integer: true }),
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

/** One run of the chosen model (with or without BN) that records diagnostics. */
export function diagnosticsPlan(state: State): ExperimentPlan {
  return {
    widget: widgetName,
    base: {
      ...architectureConfig(state),
      clipNorm: state.clip === 'off' ? null : Number(state.clip),
      epochs: state.epochs,
      trainLimit: state.images >= trainImages ? null : state.images,
    },
    arms: bnArms.filter((a) => a.id === state.norm),
    axis: null,
    seeds: [state.seed],
    record: { diagnostics: { ...diagnosticsOptions } },
    chart: 'curves',
  };
}

export function runConfig(state: State): TrainConfig {
  return expandPlan(diagnosticsPlan(state))[0].config;
}

/** The layers of the model these settings build, in order (Keras names). */
export function modelLayers(state: State): { name: string; type: string }[] {
  return summarizeSpec(modelSpec(parseTrainConfig({ ...architectureConfig(state), batchSize: 32, norm: state.norm }), 784, 10))
    .rows.filter((r) => r.type !== 'Flatten')
    .map((r) => ({ name: r.name, type: r.type }));
}

/** The chosen layer if the model has it, else its first Dense layer. */
export function shownLayer(state: State): string {
  return modelLayers(state).some((l) => l.name === state.layer) ? state.layer : 'dense';
}

/** The frames the charts read: the run record's diagnostics history, live and after a reload alike. */
export type Frame = DiagnosticsFrame;

function layerOf(frame: Frame, name: string): LayerDiagnostics | undefined {
  return frame.layers.find((l) => l.name === name);
}

export function heatColumns(frames: readonly Frame[], layer: string, what: 'activations' | 'gradients'): HeatColumn[] {
  return frames.flatMap((f) => {
    const h = layerOf(f, layer)?.[what];
    return h ? [{ step: f.step, min: h.min, max: h.max, counts: h.counts }] : [];
  });
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

/** Weight tensors worth a ratio line: Dense kernels and BN's γ (biases and β start at 0, where the ratio means little). */
export function ratioPoints(frames: readonly Frame[]): { param: string; step: number; ratio: number }[] {
  return frames.flatMap((f) =>
    f.layers.flatMap((l) =>
      l.params
        .filter((p) => p.name === 'kernel' || p.name === 'gamma')
        .map((p) => ({ param: `${l.name} ${p.name}`, step: f.step, ratio: p.updateRatio })),
    ),
  );
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
  if (!m || !v)
    return frames.length > 0 ? 'This model has no BN layer, so there are no running statistics.' : 'No BN statistics measured yet.';
  const gap = (f: StatsFrame) => {
    if (!f.batch) return NaN;
    let s = 0;
    for (let i = 0; i < f.moving.length; i++) s += Math.abs(f.moving[i] - f.batch[i]);
    return s / f.moving.length;
  };
  return `At step ${m.step}, the moving mean differs from the last batch's mean by ${fmt(gap(m))} on average over ${m.moving.length} units, the moving variance from the batch variance by ${fmt(gap(v))}. Both start at 0 and 1 and take a few hundred steps (momentum 0.99) to catch up.`;
}

/** The hidden activation layers of the frames' model, input to output. */
export function activationLayers(frames: readonly Frame[]): string[] {
  return (frames.at(-1)?.layers ?? []).filter((l) => l.kind === 'Activation').map((l) => l.name);
}

/** The Dense layers of the frames' model, input to output (the last one is the output layer). */
export function denseLayers(frames: readonly Frame[]): string[] {
  return (frames.at(-1)?.layers ?? []).filter((l) => l.kind === 'Dense').map((l) => l.name);
}

/** One value of each Dense kernel per frame: its gradient norm or its update:weight ratio. */
export function kernelPoints(frames: readonly Frame[], what: 'gradNorm' | 'updateRatio'): LayerPoint[] {
  return frames.flatMap((f) =>
    f.layers.flatMap((l) => {
      const kernel = l.kind === 'Dense' ? l.params.find((p) => p.name === 'kernel') : undefined;
      return kernel ? [{ layer: l.name, step: f.step, value: kernel[what] }] : [];
    }),
  );
}

export function gradNormPoints(frames: readonly Frame[]): GradNormPoint[] {
  return frames.map((f) => ({ step: f.step, gradNorm: f.gradNorm }));
}

/** "dense 3e-2 … dense_4 1e-5: the first layer's gradient is 3,000× the last's" — how far the lines fan out. */
export function gradientSpreadSummary(frames: readonly Frame[]): string {
  const last = frames.at(-1);
  const points = last ? kernelPoints([last], 'gradNorm').filter((p) => p.value > 0 && Number.isFinite(p.value)) : [];
  if (!last || points.length < 2) return 'No per-layer gradient norms measured yet.';
  const values = points.map((p) => p.value);
  const ratio = Math.max(...values) / Math.min(...values);
  return `Gradient norm of each Dense kernel at step ${last.step}: ${points.map((p) => `${p.layer} ${fmt(p.value)}`).join(', ')} — the largest is ${ratio < 10 ? ratio.toFixed(1) : Math.round(ratio).toLocaleString('en-US')}× the smallest.`;
}

/** Saturated share of each sigmoid/tanh layer at the last frame, or why there is none. */
export function saturationSummary(frames: readonly Frame[]): string {
  const last = frames.at(-1);
  if (!last) return 'No activations measured yet.';
  const acts = last.layers.filter((l) => l.kind === 'Activation');
  const saturating = acts.filter((l) => l.saturated !== null);
  if (saturating.length === 0)
    return `ReLU layers do not saturate; the share exactly zero (dead for this batch) at step ${last.step}: ${acts.map((l) => `${l.name} ${Math.round((l.activations?.zeros ?? 0) * 100)} %`).join(', ')}.`;
  return `Saturated outputs (flat tails of the activation) at step ${last.step}: ${saturating.map((l) => `${l.name} ${Math.round(l.saturated! * 100)} %`).join(', ')}.`;
}

/** The global gradient norm's latest value and, with clipping on, the share of clipped steps. */
export function clipSummary(frames: readonly Frame[], clipNorm: number | null): string {
  const last = frames.at(-1);
  if (!last) return 'No gradient norms measured yet.';
  const norm = `Global gradient norm before clipping at step ${last.step}: ${fmt(last.gradNorm)}`;
  if (clipNorm === null || last.clippedShare === null) return `${norm}. Clipping is off (choose a threshold to clip).`;
  return `${norm}; threshold ${clipNorm}; ${(last.clippedShare * 100).toFixed(1)} % of the ${last.step.toLocaleString('en-US')} steps so far were clipped.`;
}
