/**
 * The one message protocol between a page and the training worker, each shape declared once as
 * a schema (engine/schema.ts) from which its type is inferred.
 *
 * Requests (ToWorker) carry an `id`; the worker answers each with exactly one `reply` carrying
 * the same id (ok + typed result, or an error). Everything else the worker sends is an event:
 * download progress and probe progress (tagged with their request's id) and run events (tagged
 * with `runId`). The worker parses every request (`parseToWorker`): the page is another realm and
 * its settings come from URLs and readers. The page trusts what its own worker sends and reads it
 * typed, unparsed; the schemas of run events are also what a saved run record is checked against
 * when it is read back. A diagnostics frame's layer shape is diagnostics-frame.ts.
 *
 * One worker can hold several runs (advanced in turns), named by the page (`runId`). Probes test
 * an ended run's kept model: one request type, `probe`; their table (needs, cost, sliced run) is
 * probes/index.ts.
 */
import { parseLiveSettings, parseTrainConfig } from '../train/config.ts';
import { EnsembleResult } from '../train/dropout-ensemble.ts';
import { FeatureMaps } from '../train/feature-maps.ts';
import { Evaluation } from '../train/evaluate.ts';
import { IntensityResult } from '../train/intensity.ts';
import { LandscapeSample, maxMultiple, maxMultiples, minMultiple } from '../train/landscape.ts';
import {
  array,
  boolean,
  custom,
  discriminated,
  literal,
  nullable,
  number,
  object,
  oneOf,
  string,
  withDefault,
  type Infer,
  type Shape,
} from '../schema.ts';
import { dropoutEnsembleArgs } from './probes/dropout-ensemble.ts';
import { featureMapsArgs } from './probes/feature-maps.ts';
import { inferenceStatsArgs } from './probes/inference-stats.ts';
import { intensityTestArgs } from './probes/intensity-test.ts';
import { float32, LayerDiagnostics, metric, nonNegative } from './diagnostics-frame.ts';

export { Evaluation };
export { ChannelDiagnostics, Histogram, LayerDiagnostics, ParamDiagnostics } from './diagnostics-frame.ts';

const count = number({ integer: true, min: 0 });
const requestId = count;
/** Run ids are made by `newRunId()` (~22 characters); the bound keeps errors that echo one short. */
export const maxRunIdLength = 100;
const runId = string({ minLength: 1, maxLength: maxRunIdLength });
export const minIntervalMs = 100;

export const runStates = ['running', 'paused', 'finished', 'stopped', 'diverged', 'failed'] as const;
export const endStates = ['finished', 'stopped', 'diverged', 'failed'] as const;
export type RunState = (typeof runStates)[number];
export type EndState = (typeof endStates)[number];

export const DiagnosticsOptions = object({
  /** Minimum time between two diagnostics events; at least 100 ms (≤ 10 updates/s). */
  intervalMs: number({ min: minIntervalMs }),
  /** Histogram bins, 4–256. */
  bins: number({ integer: true, min: 4, max: 256 }),
});
export type DiagnosticsOptions = Infer<typeof DiagnosticsOptions>;

export const LandscapeOptions = object({
  /** Probe every `every`-th step (steps 1, 1 + every, 1 + 2·every, …); each probe costs one forward and backward per multiple, plus one. */
  every: number({ integer: true, min: 1 }),
  /** The multiples t of the step at which the loss and gradient are measured (train/landscape.ts). */
  multiples: array(number({ min: minMultiple, max: maxMultiple }), { minLength: 1, maxLength: maxMultiples }),
});
export type LandscapeOptions = Infer<typeof LandscapeOptions>;

export const RunOptions = object({
  /** Evaluate the test set after every epoch as well as at the end (costs ~6 % of an epoch); default false. */
  testEachEpoch: withDefault(boolean(), false),
  /** Minimum time between two progress events; at least 100 ms (≤ 10 updates/s); default 100. */
  progressIntervalMs: withDefault(number({ min: minIntervalMs }), 100),
  /** Per-layer diagnostics from the start; null = off (turn on later with `watch`); default null. */
  diagnostics: withDefault(nullable(DiagnosticsOptions), null),
  /** The loss landscape along the step, probed without changing the run; null = off; default null. */
  landscape: withDefault(nullable(LandscapeOptions), null),
});
export type RunOptions = Infer<typeof RunOptions>;
export const defaultRunOptions: Readonly<RunOptions> = Object.freeze(RunOptions.parse({}));

const TrainConfig = custom('a training configuration', parseTrainConfig);
const LiveSettings = custom('live settings', parseLiveSettings);

/** Which probe, with its arguments (each declared beside its rule in probes/). */
export const ProbeArgs = discriminated('kind', [inferenceStatsArgs, intensityTestArgs, dropoutEnsembleArgs, featureMapsArgs]);
export type ProbeArgs = Infer<typeof ProbeArgs>;
export type ProbeKind = ProbeArgs['kind'];

const request = <T extends string, const S extends Shape>(type: T, fields: S) => object({ type: literal(type), id: requestId, ...fields });

export const ToWorker = discriminated('type', [
  /** Absolute URL of the data manifest (mnist.json); the files sit beside it. */
  request('load-data', { manifestUrl: string({ minLength: 1 }) }),
  /** Aborts a load in progress; its load-data requests fail with 'cancelled'. */
  request('cancel-load', {}),
  /** Asks whether the worker still answers (the page sends it after a silence while runs are going). */
  request('ping', {}),
  request('start', { runId, config: TrainConfig, options: withDefault(RunOptions, defaultRunOptions) }),
  request('pause', { runId }),
  request('resume', { runId }),
  request('stop', { runId }),
  /** Live settings, effective from the next step (validated here, once). */
  request('update', { runId, changes: LiveSettings }),
  /** Turn per-layer diagnostics on (options) or off (null) for a run. */
  request('watch', { runId, diagnostics: withDefault(nullable(DiagnosticsOptions), null) }),
  /** Forget an ended run (its model is kept until then for a last diagnostics look and probes). */
  request('release', { runId }),
  /** Test an ended run's kept model; progress events keep the request alive while it runs in slices. */
  request('probe', { runId, probe: ProbeArgs }),
]);
export type ToWorker = Infer<typeof ToWorker>;
export type RequestType = ToWorker['type'];

export const DataInfo = object({
  train: count,
  validation: count,
  test: count,
  features: count,
  /** Where the bytes came from this time ('memory': this worker had them already). */
  source: oneOf(['network', 'cache', 'memory']),
  seconds: nonNegative,
});
export type DataInfo = Infer<typeof DataInfo>;

export const ModelSummary = object({
  rows: array(object({ name: string(), type: string(), outputShape: string(), params: count })),
  trainable: count,
  nonTrainable: count,
  total: count,
});

export const RunInfo = object({
  runId,
  /** The full parsed configuration (defaults filled in). */
  config: TrainConfig,
  summary: ModelSummary,
  stepsPerEpoch: count,
  totalSteps: count,
  trainCount: count,
  validationCount: count,
});
export type RunInfo = Infer<typeof RunInfo>;

export const RunStatus = object({ runId, state: oneOf(runStates), step: count });
export type RunStatus = Infer<typeof RunStatus>;

/** One BN layer's running and recalibrated statistics (per unit). */
export const BnStatsComparison = object({
  name: string(),
  runningMean: float32,
  runningVariance: float32,
  recalibratedMean: float32,
  recalibratedVariance: float32,
});

export const InferenceStats = object({
  kind: literal('inference-stats'),
  running: Evaluation,
  recalibrated: Evaluation,
  batch: array(object({ batchSize: number({ integer: true, min: 1 }), evaluation: Evaluation })),
  layers: array(BnStatsComparison),
});
export type InferenceStats = Infer<typeof InferenceStats>;

/** A trained model on intensity-changed test images, one result per change in the request's order. */
export const IntensityTest = object({ kind: literal('intensity-test'), results: array(IntensityResult) });
export type IntensityTest = Infer<typeof IntensityTest>;

export const DropoutEnsembleTest = object({ kind: literal('dropout-ensemble'), ...EnsembleResult.shape });
export type DropoutEnsembleTest = Infer<typeof DropoutEnsembleTest>;

/** One conv block's feature maps before its norm, and the norm's parameters (engine/train/feature-maps.ts). */
export { FeatureMaps };

export const ProbeResult = discriminated('kind', [InferenceStats, IntensityTest, DropoutEnsembleTest, FeatureMaps]);
export type ProbeResult = Infer<typeof ProbeResult>;
/** The result of the probe of kind K. */
export type ProbeResultOf<K extends ProbeKind> = Extract<ProbeResult, { kind: K }>;

/** The result schema of each request. */
export const results = {
  'load-data': DataInfo,
  /** Whether a load was in progress to cancel. */
  'cancel-load': object({ cancelled: boolean() }),
  /** Whether any run is training. */
  ping: object({ busy: boolean() }),
  start: RunInfo,
  pause: RunStatus,
  resume: RunStatus,
  stop: RunStatus,
  update: RunStatus,
  watch: RunStatus,
  release: RunStatus,
  probe: ProbeResult,
} satisfies Record<RequestType, unknown>;
export type Results = { [K in RequestType]: Infer<(typeof results)[K]> };

export const errorCodes = [
  'invalid-message', // the request did not parse
  'invalid-config', // a config or live setting was rejected
  'data-download', // network or HTTP failure
  'data-corrupt', // wrong size, magic number or checksum
  'cancelled', // the page cancelled the download
  'no-data', // a run was started before the data loaded
  'unknown-run',
  'bad-state', // e.g. resume on a finished run, a probe a run cannot take
  'too-large', // a probe over the worker's limits, refused before it started
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const WorkerError = object({ code: oneOf(errorCodes), message: string() });
export type WorkerError = Infer<typeof WorkerError>;

export type OkReply = { [K in RequestType]: { type: 'reply'; id: number; request: K; ok: true; result: Results[K] } }[RequestType];
/** `id` is null only when the request was too malformed to carry one. */
export type ErrorReply = { type: 'reply'; id: number | null; request: RequestType | null; ok: false; error: WorkerError };
export type Reply = OkReply | ErrorReply;

export const DataProgressEvent = object({
  type: literal('data-progress'),
  /** The load-data request this belongs to. */
  id: requestId,
  /** Bytes so far and expected over all files (expected grows if a host sends files decoded). */
  loaded: nonNegative,
  total: nonNegative,
  source: oneOf(['network', 'cache']),
});
export type DataProgressEvent = Infer<typeof DataProgressEvent>;

/** A probe is still working: `done` of its declared `total` multiply-adds. Sent at least every second while it runs. */
export const ProbeProgressEvent = object({ type: literal('probe-progress'), id: requestId, done: nonNegative, total: nonNegative });
export type ProbeProgressEvent = Infer<typeof ProbeProgressEvent>;

export const ProgressEvent = object({
  type: literal('progress'),
  runId,
  step: count,
  totalSteps: count,
  /** 0-based epoch the last step belonged to. */
  epoch: count,
  epochs: count,
  stepInEpoch: count,
  stepsPerEpoch: count,
  /** Running means over the current epoch so far (what Keras prints). */
  loss: metric,
  accuracy: metric,
  /** Loss of the last mini-batch. */
  batchLoss: metric,
  samplesPerSecond: nonNegative,
  /** Training time so far, pauses excluded. */
  elapsedSeconds: nonNegative,
  etaSeconds: nullable(nonNegative),
});
export type ProgressEvent = Infer<typeof ProgressEvent>;

/** An epoch's results: what an `epoch` event carries and what a run record keeps per epoch. */
export const EpochMetrics = object({
  /** Epochs completed (1-based: 1 after the first epoch). */
  epoch: count,
  step: count,
  train: Evaluation,
  validation: nullable(Evaluation),
  test: nullable(Evaluation),
  /** Wall time of this epoch's training steps, pauses and evaluation excluded. */
  seconds: nonNegative,
  samplesPerSecond: nonNegative,
});
export type EpochMetrics = Infer<typeof EpochMetrics>;
export const EpochEvent = object({ type: literal('epoch'), runId, ...EpochMetrics.shape });
export type EpochEvent = Infer<typeof EpochEvent>;

export const DiagnosticsEvent = object({
  type: literal('diagnostics'),
  runId,
  step: count,
  /** Global gradient norm before clipping. */
  gradNorm: metric,
  /** Share of the steps so far whose gradient norm was clipped; null when clipping is off. */
  clippedShare: nullable(nonNegative),
  layers: array(LayerDiagnostics),
});
export type DiagnosticsEvent = Infer<typeof DiagnosticsEvent>;

/** The loss landscape along the update of step `step` (train/landscape.ts), for runs started with `landscape`. */
export const LandscapeEvent = object({ type: literal('landscape'), runId, step: count, ...LandscapeSample.shape });
export type LandscapeEvent = Infer<typeof LandscapeEvent>;

export const StateEvent = object({ type: literal('state'), runId, state: oneOf(runStates), step: count });
export type StateEvent = Infer<typeof StateEvent>;

export const RunSummary = object({
  steps: count,
  /** Epochs completed. */
  epochs: count,
  /** Training time, pauses excluded. */
  seconds: nonNegative,
  samplesPerSecond: nonNegative,
  /** Last completed epoch's metrics (or the running ones if none completed). */
  train: nullable(Evaluation),
  validation: nullable(Evaluation),
  test: nullable(Evaluation),
  diverged: nullable(object({ step: count, loss: metric })),
  /** Why a run failed (state 'failed'); null otherwise. */
  error: nullable(string()),
});
export type RunSummary = Infer<typeof RunSummary>;

export const EndEvent = object({ type: literal('end'), runId, state: oneOf(endStates), summary: RunSummary });
export type EndEvent = Infer<typeof EndEvent>;

export type RunEvent = ProgressEvent | EpochEvent | DiagnosticsEvent | LandscapeEvent | StateEvent | EndEvent;
export type FromWorker = Reply | DataProgressEvent | ProbeProgressEvent | RunEvent;

export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string; id: number | null };

/** Validates a request arriving in the worker; a failure keeps the request's id when it has a valid one, for the error reply. */
export function parseToWorker(data: unknown): Parsed<ToWorker> {
  try {
    return { ok: true, message: ToWorker.parse(data, 'message') };
  } catch (e) {
    const id = data !== null && typeof data === 'object' ? (data as { id?: unknown }).id : undefined;
    return {
      ok: false,
      error: e instanceof Error ? e.message : String(e),
      id: typeof id === 'number' && Number.isInteger(id) && id >= 0 ? id : null,
    };
  }
}

/** The buffers of a message's typed arrays, to pass as postMessage's transfer list. */
export function transferables(message: FromWorker): ArrayBuffer[] {
  const arrays =
    message.type === 'diagnostics'
      ? message.layers.flatMap((l) => [
          l.activations?.counts,
          l.gradients?.counts,
          l.movingMean,
          l.movingVariance,
          l.batchMean,
          l.batchVariance,
          l.channels?.mean,
          l.channels?.std,
          l.channels?.gradNorm,
          l.channels?.saturated,
        ])
      : message.type === 'reply' && message.ok && message.request === 'probe' && message.result.kind === 'inference-stats'
        ? message.result.layers.flatMap((l) => [l.runningMean, l.runningVariance, l.recalibratedMean, l.recalibratedVariance])
        : message.type === 'reply' && message.ok && message.request === 'probe' && message.result.kind === 'feature-maps'
          ? [message.result.images, message.result.preNorm, ...Object.values(message.result.norm).filter((v) => v instanceof Float32Array)]
          : [];
  const buffers: ArrayBuffer[] = [];
  for (const a of arrays) if (a && a.buffer instanceof ArrayBuffer && !buffers.includes(a.buffer)) buffers.push(a.buffer);
  return buffers;
}
