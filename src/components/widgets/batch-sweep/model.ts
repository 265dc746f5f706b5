/**
 * The sweep's settings and what is derived from them without the DOM: which axis it varies
 * (learning rate, batch size, depth, init scale) and over which values, the shared architecture
 * controls for everything else, the experiment plan (each point without and with BN, one seed,
 * the same data order), and the one-line summaries under the charts.
 */
import { trainImages, type TrainConfig } from '@engine';
import { architectureConfig, architectureSchema, steppedParam } from '../run-controller/architecture';
import { axisGrids, axisLabels, axisNames, axisOf, bnArms, type AxisName } from '@experiments/axes';
import { expandPlan, type ExperimentPlan } from '@experiments/plan';
import { countStates, type QueueEntry } from '@experiments/queue';
import { choiceParam, numberParam, type Param, type StateOf } from '../params';

export const widgetName = 'batch-sweep';

/** A subset of an axis grid, written `16,64,256`; a value off the grid refuses the whole list. */
function gridParam(grid: readonly number[], fallback: readonly number[]): Param<number[]> {
  return {
    default: [...fallback],
    parse(raw) {
      if (raw == null || raw.trim() === '') return undefined;
      const values = raw.split(',').map((s) => Number(s.trim()));
      if (!values.every((v) => grid.includes(v))) return undefined;
      return [...new Set(values)].sort((a, b) => a - b);
    },
    format: (values) => values.join(','),
  };
}

/** The URL key of each axis's value list (`sizes` predates the other axes). */
export const valueKeys = { lr: 'lrs', batch: 'sizes', depth: 'depths', init: 'scales' } as const satisfies Record<AxisName, string>;

export const schema = {
  axis: choiceParam(axisNames, 'batch'),
  lrs: gridParam(axisGrids.lr, [0.001, 0.01, 0.1, 1]),
  sizes: gridParam(axisGrids.batch, [16, 32, 64, 128, 256]),
  depths: gridParam(axisGrids.depth, [1, 2, 4, 8]),
  scales: gridParam(axisGrids.init, [0.1, 1, 10]),
  ...architectureSchema,
  images: steppedParam({ min: 500, max: trainImages, step: 500, default: 3000 }),
  epochs: numberParam({ min: 1, max: 10, default: 1, integer: true }),
  norms: choiceParam(['both', 'none', 'batch'] as const, 'both'),
  seed: numberParam({ min: 0, max: 0xffffffff, default: 1, integer: true }),
};

export type State = StateOf<typeof schema>;

export const presets = {
  quick: { images: 3000, epochs: 1, label: 'Quick: 3,000 images, 1 epoch per run' },
  full: { images: trainImages, epochs: 5, label: 'Full: 54,000 images, 5 epochs per run (several minutes)' },
} as const;

/** The swept values of the chosen axis. */
export function axisValues(state: State): number[] {
  return state[valueKeys[state.axis]];
}

/** The store name of a sweep instance: 'batch-sweep' for the default key, 'batch-sweep:<key>' for others (lessons with their own sweep). */
export function storeName(key: string): string {
  return key === 'sweep' ? widgetName : `${widgetName}:${key}`;
}

/** The plan: the architecture controls as the base, the chosen axis over its values, both arms (or one). */
export function sweepPlan(state: State, widget = widgetName): ExperimentPlan {
  return {
    widget,
    base: { ...architectureConfig(state), epochs: state.epochs, trainLimit: state.images >= trainImages ? null : state.images },
    arms: state.norms === 'both' ? bnArms : bnArms.filter((a) => a.id === state.norms),
    axis: axisOf(state.axis, axisValues(state), Number(state.width)),
    seeds: [state.seed],
    record: {},
    chart: 'sweep',
  };
}

/** The Keras / PyTorch panel's run: the sweep's first run exactly as planned, and what the sweep varies (throws like expandPlan when the settings cannot run). */
export function panelRun(state: State): { config: TrainConfig; note: string } {
  const runs = expandPlan(sweepPlan(state));
  const arms = state.norms === 'both' ? ', each without and with BN (the BN runs add the BatchNormalization layers)' : '';
  return {
    config: runs[0].config,
    note: `The first of the sweep's ${runs.length} runs (${runs[0].key}). The sweep varies the ${axisLabels[state.axis]} over ${axisValues(state).join(', ')}${arms}; everything else is as here.`,
  };
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)} %`;
}

const at = (e: QueueEntry) => e.key.split(' · ')[0];

/** "Highest validation accuracy: BN 97.1 % at batch 32; …", where only BN trained, or a not-yet line. */
export function accuracySummary(queue: readonly QueueEntry[]): string {
  const done = queue.filter((e) => e.state === 'done' && e.result?.validationAccuracy != null);
  if (done.length === 0) return 'No finished runs yet: final validation accuracy per point appears here as runs finish.';
  const arms = [...new Set(queue.map((e) => e.arm))];
  const parts = arms.flatMap((arm) => {
    const mine = done.filter((e) => e.arm === arm);
    if (mine.length === 0) return [];
    const best = mine.reduce((a, b) => (b.result!.validationAccuracy! > a.result!.validationAccuracy! ? b : a));
    const worst = mine.reduce((a, b) => (b.result!.validationAccuracy! < a.result!.validationAccuracy! ? b : a));
    const range = mine.length > 1 ? `, lowest ${percent(worst.result!.validationAccuracy!)} at ${at(worst)}` : '';
    return [`${best.armLabel}: highest ${percent(best.result!.validationAccuracy!)} at ${at(best)}${range}`];
  });
  const only = onlyBnTrains(queue);
  const onlyText = only.length > 0 ? ` Only BN trains (above 50 %, the other stays below) at ${only.join(', ')}.` : '';
  return `Final validation accuracy — ${parts.join('; ')} (${done.length} of ${queue.length} runs done).${onlyText}`;
}

/** Points where the BN run learned (validation accuracy above 50 %) and the no-BN run did not (or diverged). */
export function onlyBnTrains(queue: readonly QueueEntry[]): string[] {
  const learned = (e: QueueEntry | undefined) => e?.state === 'done' && (e.result?.validationAccuracy ?? 0) > 0.5;
  const ended = (e: QueueEntry | undefined) => e !== undefined && (e.state === 'done' || (e.state === 'failed' && e.result !== null));
  const points = [...new Set(queue.map(at))];
  return points.filter((p) => {
    const none = queue.find((e) => at(e) === p && e.arm === 'none');
    const bn = queue.find((e) => at(e) === p && e.arm === 'batch');
    return learned(bn) && ended(none) && !learned(none);
  });
}

/** Time per epoch: fastest and slowest (one run per point: no difference between two points is called beyond the noise). */
export function timeSummary(queue: readonly QueueEntry[]): string {
  const done = queue.filter((e) => e.state === 'done' && e.result?.secondsPerEpoch != null);
  if (done.length === 0) return 'No finished runs yet: seconds per epoch per point appear here as runs finish.';
  const fastest = done.reduce((a, b) => (b.result!.secondsPerEpoch! < a.result!.secondsPerEpoch! ? b : a));
  const slowest = done.reduce((a, b) => (b.result!.secondsPerEpoch! > a.result!.secondsPerEpoch! ? b : a));
  const s = (e: QueueEntry) => `${e.result!.secondsPerEpoch!.toFixed(2)} s (${e.key})`;
  return done.length === 1
    ? `Time per epoch: ${s(fastest)}.`
    : `Time per epoch from ${s(fastest)} to ${s(slowest)}. One run per point, several at once on a device with cores to spare: a few percent between two points may be noise.`;
}

/** "Not run yet: 10 runs are planned…", "4 of 10 runs done; the sweep is running.", "2 of 10 runs done (cancelled)." */
export function sweepStatus(queue: readonly QueueEntry[], planned: number, running: boolean): string {
  const counts = countStates(queue);
  const total = Math.max(planned, queue.length);
  if (counts.done + counts.failed + counts.cancelled === 0 && !running)
    return `Not run yet: ${total} runs are planned; start the sweep to measure them.`;
  const cancelled = counts.cancelled + (total - queue.length);
  const tail = running ? '; the sweep is running' : cancelled > 0 ? ' (cancelled)' : '';
  return `${counts.done} of ${total} runs done${counts.failed ? `, ${counts.failed} failed` : ''}${tail}.`;
}

/** The axis a saved sweep varied, read from its runs' configs (the controls may show another now). */
export function savedAxis(
  configs: readonly { lr: number; batchSize: number; hidden: number[]; initScale: number }[],
  fallback: State['axis'],
): State['axis'] {
  const varies = (read: (c: (typeof configs)[number]) => number) => new Set(configs.map(read)).size > 1;
  if (varies((c) => c.lr)) return 'lr';
  if (varies((c) => c.batchSize)) return 'batch';
  if (varies((c) => c.hidden.length)) return 'depth';
  if (varies((c) => c.initScale)) return 'init';
  return fallback;
}
