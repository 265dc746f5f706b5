/**
 * A run as the page keeps it: configuration, metrics history, diagnostics frames and summary,
 * built up from the worker's events by one reducer. Widgets plot it live; the store saves it, so
 * the same record re-plots after a reload; the exporters turn it into CSV and JSON. What comes back
 * from storage is parsed with `parseStoredRun` (the record's one schema), never cast.
 */
import { array, custom, nullable, number, object, oneOf, refine, string, withDefault, type Infer } from '@engine/schema.ts';
import { parseLiveSettings, parseTrainConfig, type LiveSettings, type TrainConfig } from '@engine/train/config.ts';
import { describe } from '@engine/validate.ts';
import { DiagnosticsEvent, EpochMetrics, RunInfo, RunSummary, runStates, type RunEvent, type RunState } from '@engine/worker/protocol.ts';

/** 'starting' before the worker answered; 'interrupted' when the tab running it went away. */
export type RecordState = RunState | 'starting' | 'interrupted';

export const activeStates: readonly RecordState[] = ['starting', 'running', 'paused'];
const recordStates = oneOf<RecordState>(['starting', 'interrupted', ...runStates]);

/** The record format this build writes and reads; records saved before it was written down are version 1. */
export const recordVersion = 1;

/** A loss or accuracy as measured: NaN and ±Infinity are what a diverged run reports. */
const measured = number({ nan: true });
const finite = refine(number(), (v) => (Number.isFinite(v) ? null : 'a finite number'));
const count = number({ integer: true, min: 0 });

const progressPoint = object({
  step: count,
  /** Fractional epochs done, the x axis of the curves (step / stepsPerEpoch). */
  epoch: number(),
  /** Running means over the current epoch, as Keras prints them. */
  loss: measured,
  accuracy: measured,
  batchLoss: measured,
});
export type ProgressPoint = Infer<typeof progressPoint>;

/** One epoch's results, as the worker's `epoch` event carries them (without its routing fields). */
export type EpochPoint = EpochMetrics;

const settingChange = object({ step: count, changes: custom('live settings', parseLiveSettings) });
export type SettingChange = Infer<typeof settingChange>;

/** One diagnostics event without its routing fields: what the layer-diagnostics charts draw. */
const diagnosticsFrame = object({
  step: DiagnosticsEvent.shape.step,
  gradNorm: DiagnosticsEvent.shape.gradNorm,
  clippedShare: DiagnosticsEvent.shape.clippedShare,
  layers: DiagnosticsEvent.shape.layers,
});
export type DiagnosticsFrame = Infer<typeof diagnosticsFrame>;

/**
 * Evenly thinned diagnostics: of the `received` frames, those whose arrival index is a multiple
 * of `stride` (a power of two, doubled each time the bound is reached), plus always the newest.
 */
const diagnosticsHistory = object({ frames: array(diagnosticsFrame), received: count, stride: number({ integer: true, min: 1 }) });
export type DiagnosticsHistory = Infer<typeof diagnosticsHistory>;

const noDiagnostics: DiagnosticsHistory = Object.freeze({ frames: [], received: 0, stride: 1 }) as DiagnosticsHistory;

const { runId: _runId, config: _config, ...infoShape } = RunInfo.shape;

/** Records saved by a build that wrote another format are named as such, not as a bad field. */
const version = custom<typeof recordVersion>(`version ${recordVersion}`, (v) => {
  if (v === undefined || v === recordVersion) return recordVersion;
  throw new Error(`saved by another build of the site (record version ${describe(v)}; this build reads version ${recordVersion})`);
});

/** A run as saved: declared once, so its type and the check of what IndexedDB gives back agree. */
export const runRecordSchema = object({
  version,
  id: string({ minLength: 1 }),
  /** Which widget made it ('training-run', 'bn-vs-none', …). */
  widget: string(),
  /** Short human label, e.g. "BN · Adam lr 0.001 · batch 32". */
  label: string(),
  /** Runs made together (a comparison, a sweep) share a group id; null otherwise. */
  group: nullable(string()),
  /** The configuration the run started with (older records get today's defaults for settings added since); live changes are in `changes` (see `configAt`). */
  config: custom('the settings the run started with', (v) => {
    if (v === undefined) throw new TypeError('expected the settings the run started with, received undefined');
    return parseTrainConfig(v);
  }),
  state: recordStates,
  createdAt: finite,
  updatedAt: finite,
  info: nullable(object(infoShape)),
  /** Throttled progress (≤ 10/s), thinned to at most `maxProgressPoints`. */
  progress: array(progressPoint),
  epochs: array(EpochMetrics),
  /** Live setting changes, in order, with the step they took effect after. */
  changes: array(settingChange),
  /**
   * Per-layer diagnostics frames of a run that asked for them (none otherwise), thinned to at
   * most `maxDiagnosticsFrames` (fewer for wide models). Records saved before diagnostics were
   * kept lack the field: they read as none.
   */
  diagnostics: withDefault(diagnosticsHistory, noDiagnostics),
  /** Latest throughput and ETA (not history). */
  samplesPerSecond: number(),
  etaSeconds: nullable(number()),
  summary: nullable(RunSummary),
});
export type RunRecord = Infer<typeof runRecordSchema>;

/**
 * A value read back from storage under `key`, checked: the record, or why it cannot be read
 * ("record.createdAt: expected a number, received '2026-12-01'"). Never throws.
 */
export function parseStoredRun(value: unknown, key: IDBValidKey): { ok: true; record: RunRecord } | { ok: false; reason: string } {
  try {
    const record = runRecordSchema.parse(value, 'record');
    if (record.id !== key) return { ok: false, reason: `record.id: expected ${describe(key)} (its key), received ${describe(record.id)}` };
    return { ok: true, record };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

export const maxProgressPoints = 2000;

/**
 * Diagnostics frames kept per run: at most 120 (what the diagnostics widget keeps live, so a saved
 * run re-plots with the density it was watched with), and fewer for wide models so that a record's
 * frames stay within `diagnosticsBudgetBytes` (2 MB) in IndexedDB, but never fewer than 30. A
 * frame's size is mostly BN's four statistic vectors per BN layer (16 bytes per unit) plus two
 * 32-bin histograms per layer (a ConvNet's feature maps add 8–16 bytes per channel): 4 hidden layers of 128 units with BN make about 13 kB (120 frames,
 * ~1.6 MB); 8 layers of 512 make about 75 kB (26 frames would fit; 30 are kept, ~2.2 MB).
 */
export const maxDiagnosticsFrames = 120;
export const minDiagnosticsFrames = 30;
export const diagnosticsBudgetBytes = 2_000_000;

export function createRunRecord(fields: {
  id: string;
  widget: string;
  label?: string;
  group?: string | null;
  config: TrainConfig;
  now: number;
}): RunRecord {
  return {
    version: recordVersion,
    id: fields.id,
    widget: fields.widget,
    label: fields.label ?? describeConfig(fields.config),
    group: fields.group ?? null,
    config: fields.config,
    state: 'starting',
    createdAt: fields.now,
    updatedAt: fields.now,
    info: null,
    progress: [],
    epochs: [],
    changes: [],
    diagnostics: noDiagnostics,
    samplesPerSecond: 0,
    etaSeconds: null,
    summary: null,
  };
}

/** "BN · Adam lr 0.001 · batch 32 · 5,000 images" — what distinguishes runs in a list. */
export function describeConfig(c: TrainConfig): string {
  const optimizer = { adam: 'Adam', adamw: 'AdamW', sgd: 'SGD' }[c.optimizer];
  const parts = [
    c.norm === 'batch' ? `BN${c.normPlacement === 'after-activation' ? ' (after act.)' : ''}` : 'no BN',
    `${optimizer} lr ${c.lr}`,
    `batch ${c.batchSize}`,
  ];
  if (c.trainLimit !== null) parts.push(`${c.trainLimit.toLocaleString('en-US')} images`);
  if (c.dataOrder !== 'shuffle-each-epoch') parts.push(c.dataOrder.replace(/-/g, ' '));
  return parts.join(' · ');
}

/** Applies the worker's answer to `start`. */
export function applyStarted(record: RunRecord, info: RunInfo, now: number): RunRecord {
  const { runId: _runId, config, ...rest } = info;
  return { ...record, config, info: rest, state: record.state === 'starting' ? 'running' : record.state, updatedAt: now };
}

/** Records a live-setting change the worker accepted after `step` steps (effective from the next). */
export function applySettingChange(record: RunRecord, step: number, changes: Partial<LiveSettings>, now: number): RunRecord {
  return { ...record, changes: [...record.changes, { step, changes }], updatedAt: now };
}

/** The configuration in force for step number `step` (1-based); Infinity gives the latest. */
export function configAt(record: RunRecord, step = Infinity): TrainConfig {
  let config = record.config;
  for (const change of record.changes) if (change.step < step) config = { ...config, ...change.changes };
  return config;
}

/** Folds one run event into the record (events of other runs are ignored). */
export function applyRunEvent(record: RunRecord, event: RunEvent, now: number): RunRecord {
  if (event.runId !== record.id) return record;
  switch (event.type) {
    case 'progress': {
      const point: ProgressPoint = {
        step: event.step,
        epoch: event.step / event.stepsPerEpoch,
        loss: event.loss,
        accuracy: event.accuracy,
        batchLoss: event.batchLoss,
      };
      const last = record.progress.at(-1);
      const progress = last?.step === point.step ? [...record.progress.slice(0, -1), point] : [...record.progress, point];
      return {
        ...record,
        progress: thin(progress),
        samplesPerSecond: event.samplesPerSecond,
        etaSeconds: event.etaSeconds,
        updatedAt: now,
      };
    }
    case 'epoch': {
      const { type: _type, runId: _runId, ...point } = event;
      return { ...record, epochs: [...record.epochs.filter((e) => e.epoch !== point.epoch), point], updatedAt: now };
    }
    case 'state':
      return { ...record, state: event.state, updatedAt: now };
    case 'end':
      return { ...record, state: event.state, summary: event.summary, etaSeconds: null, updatedAt: now };
    case 'diagnostics': {
      const { type: _type, runId: _runId, ...frame } = event;
      return { ...record, diagnostics: appendDiagnostics(record.diagnostics, frame), updatedAt: now };
    }
    default:
      return event satisfies never;
  }
}

/** Halves the older points once there are too many, keeping the first and the newest. */
function thin(points: ProgressPoint[]): ProgressPoint[] {
  if (points.length <= maxProgressPoints) return points;
  return points.filter((_, i) => i % 2 === 0 || i === points.length - 1);
}

/** Approximate stored size of a frame: its typed arrays plus ~100 bytes of fields per layer. */
export function frameBytes(frame: DiagnosticsFrame): number {
  let bytes = 100;
  for (const l of frame.layers) {
    bytes += 100 + 60 * l.params.length;
    const c = l.channels;
    for (const a of [
      l.activations?.counts,
      l.gradients?.counts,
      l.movingMean,
      l.movingVariance,
      l.batchMean,
      l.batchVariance,
      c?.mean,
      c?.std,
      c?.gradNorm,
      c?.saturated,
    ])
      bytes += a?.byteLength ?? 0;
  }
  return bytes;
}

/** How many frames like this one a record keeps (see `maxDiagnosticsFrames`). */
export function diagnosticsFrameLimit(frame: DiagnosticsFrame): number {
  return Math.max(minDiagnosticsFrames, Math.min(maxDiagnosticsFrames, Math.floor(diagnosticsBudgetBytes / frameBytes(frame))));
}

/**
 * Adds the newest frame. The previous newest is dropped unless it is on the grid (its arrival
 * index a multiple of the stride); past the limit, the stride doubles and every other frame on the
 * grid goes, so the kept frames stay evenly spaced in arrivals and the first and the newest are
 * always there. A frame for the step already last replaces it.
 */
export function appendDiagnostics(
  history: DiagnosticsHistory,
  frame: DiagnosticsFrame,
  max = diagnosticsFrameLimit(frame),
): DiagnosticsHistory {
  if (history.frames.at(-1)?.step === frame.step) return { ...history, frames: [...history.frames.slice(0, -1), frame] };
  const onGrid = history.received === 0 || (history.received - 1) % history.stride === 0;
  let frames = [...(onGrid ? history.frames : history.frames.slice(0, -1)), frame];
  let stride = history.stride;
  while (frames.length > max) {
    stride *= 2;
    frames = frames.filter((_, j) => j % 2 === 0 || j === frames.length - 1);
  }
  return { frames, received: history.received + 1, stride };
}

/** The record's diagnostics frames; [] for records saved before they were kept. */
export function diagnosticsOf(record: RunRecord): DiagnosticsFrame[] {
  return record.diagnostics.frames;
}

export function isActive(record: RunRecord): boolean {
  return activeStates.includes(record.state);
}
