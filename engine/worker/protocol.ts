/**
 * The one message protocol between a page and the training worker.
 *
 * Requests (ToWorker) carry an `id`; the worker answers each with exactly one `reply` carrying
 * the same id (ok + typed result, or an error). Everything else the worker sends is an event:
 * download progress (tagged with the load request's id) and run events (tagged with `runId`).
 * Both directions are parsed from `unknown` before use. Typed arrays in diagnostics are fresh
 * copies and travel as transferables (see `transferables`).
 *
 * One worker can hold several runs at once (a BN and a no-BN run advance in turns); runs are
 * named by the page (`runId`), so the page can record a run before the worker has answered.
 */
import type { ModelSummary } from '../model/mlp.ts';
import { parseLiveSettings, parseTrainConfig, type LiveSettings, type TrainConfig } from '../train/config.ts';
import type { EnsembleResult } from '../train/dropout-ensemble.ts';
import { checkIntensityChange, type IntensityChange, type IntensityResult } from '../train/intensity.ts';
import * as g from './guards.ts';

export type RunState = 'running' | 'paused' | 'finished' | 'stopped' | 'diverged' | 'failed';
export type EndState = Extract<RunState, 'finished' | 'stopped' | 'diverged' | 'failed'>;
export const endStates: readonly EndState[] = ['finished', 'stopped', 'diverged', 'failed'];
export const runStates: readonly RunState[] = ['running', 'paused', ...endStates];

export interface Evaluation {
  loss: number;
  accuracy: number;
}

export interface DiagnosticsOptions {
  /** Minimum time between two diagnostics events; at least 100 ms (≤ 10 updates/s). */
  intervalMs: number;
  /** Histogram bins, 4–256. */
  bins: number;
}

export interface RunOptions {
  /** Evaluate the test set after every epoch as well as at the end (costs ~6 % of an epoch). */
  testEachEpoch: boolean;
  /** Minimum time between two progress events; at least 100 ms (≤ 10 updates/s). */
  progressIntervalMs: number;
  /** Per-layer diagnostics from the start; null = off (turn on later with `watch`). */
  diagnostics: DiagnosticsOptions | null;
}

export const defaultRunOptions: Readonly<RunOptions> = Object.freeze({ testEachEpoch: false, progressIntervalMs: 100, diagnostics: null });
export const minIntervalMs = 100;
/** Run ids are made by `newRunId()` (~22 characters); the bound keeps errors that echo one short. */
export const maxRunIdLength = 100;

export type ToWorker =
  /** Absolute URL of the data manifest (mnist.json); the files sit beside it. */
  | { type: 'load-data'; id: number; manifestUrl: string }
  /** Aborts a load in progress; its load-data requests fail with 'cancelled'. */
  | { type: 'cancel-load'; id: number }
  /** Asks whether the worker still answers (the page sends it after a silence while runs are going). */
  | { type: 'ping'; id: number }
  | { type: 'start'; id: number; runId: string; config: TrainConfig; options: RunOptions }
  | { type: 'pause'; id: number; runId: string }
  | { type: 'resume'; id: number; runId: string }
  | { type: 'stop'; id: number; runId: string }
  /** Live settings, effective from the next step. */
  | { type: 'update'; id: number; runId: string; changes: Partial<LiveSettings> }
  /** Turn per-layer diagnostics on (options) or off (null) for a run. */
  | { type: 'watch'; id: number; runId: string; diagnostics: DiagnosticsOptions | null }
  /** Forget an ended run (its model is kept until then for a last diagnostics look). */
  | { type: 'release'; id: number; runId: string }
  /** Test an ended BN run's weights three ways (engine/train/inference-stats.ts): running, recalibrated, batch statistics at each size. */
  | { type: 'inference-stats'; id: number; runId: string; batchSizes: number[] }
  /** Test an ended run's weights on the first `limit` test images with their intensity changed (engine/train/intensity.ts). */
  | { type: 'intensity-test'; id: number; runId: string; changes: IntensityChange[]; batchSize: number; limit: number }
  /** Test an ended run with dropout as an ensemble on the first `limit` test images (engine/train/dropout-ensemble.ts): the scaled network against the average of K sampled masks. */
  | { type: 'dropout-ensemble'; id: number; runId: string; samples: number[]; limit: number; seed: number };

export type RequestType = ToWorker['type'];

export interface DataInfo {
  train: number;
  validation: number;
  test: number;
  features: number;
  /** Where the bytes came from this time ('memory': this worker had them already). */
  source: 'network' | 'cache' | 'memory';
  seconds: number;
}

export interface RunInfo {
  runId: string;
  /** The full parsed configuration (defaults filled in). */
  config: TrainConfig;
  summary: ModelSummary;
  stepsPerEpoch: number;
  totalSteps: number;
  trainCount: number;
  validationCount: number;
}

export interface RunStatus {
  runId: string;
  state: RunState;
  step: number;
  /** The run's configuration as now in force (live settings included). */
  config: TrainConfig;
}

/** One BN layer's running and recalibrated statistics (per unit). */
export interface BnStatsComparison {
  name: string;
  runningMean: Float32Array;
  runningVariance: Float32Array;
  recalibratedMean: Float32Array;
  recalibratedVariance: Float32Array;
}

/** Test-set results of one trained BN model, three ways. */
export interface InferenceStats {
  runId: string;
  running: Evaluation;
  recalibrated: Evaluation;
  batch: { batchSize: number; evaluation: Evaluation }[];
  layers: BnStatsComparison[];
}

/** A trained model with dropout as an ensemble: the scaled network against the average of K sampled masks, per K. */
export interface DropoutEnsembleTest extends EnsembleResult {
  runId: string;
}

/** A trained model on intensity-changed test images, one result per change in the request's order. */
export interface IntensityTest {
  runId: string;
  results: IntensityResult[];
}

export interface Results {
  'load-data': DataInfo;
  'inference-stats': InferenceStats;
  'intensity-test': IntensityTest;
  'dropout-ensemble': DropoutEnsembleTest;
  /** Whether a load was in progress to cancel. */
  'cancel-load': { cancelled: boolean };
  /** Whether any run is training. */
  ping: { busy: boolean };
  start: RunInfo;
  pause: RunStatus;
  resume: RunStatus;
  stop: RunStatus;
  update: RunStatus;
  watch: RunStatus;
  release: RunStatus;
}

export type ErrorCode =
  | 'invalid-message' // the request did not parse
  | 'invalid-config' // a config or live setting was rejected
  | 'data-download' // network or HTTP failure
  | 'data-corrupt' // wrong size, magic number or checksum
  | 'cancelled' // the page cancelled the download
  | 'no-data' // a run was started before the data loaded
  | 'unknown-run'
  | 'bad-state' // e.g. resume on a finished run
  | 'internal';
export const errorCodes: readonly ErrorCode[] = ['invalid-message', 'invalid-config', 'data-download', 'data-corrupt', 'cancelled', 'no-data', 'unknown-run', 'bad-state', 'internal'];

export interface WorkerError {
  code: ErrorCode;
  message: string;
}

export type OkReply = { [K in RequestType]: { type: 'reply'; id: number; request: K; ok: true; result: Results[K] } }[RequestType];
/** `id` is null only when the request was too malformed to carry one. */
export type ErrorReply = { type: 'reply'; id: number | null; request: RequestType | null; ok: false; error: WorkerError };
export type Reply = OkReply | ErrorReply;

export interface DataProgressEvent {
  type: 'data-progress';
  /** The load-data request this belongs to. */
  id: number;
  /** Bytes so far and expected over all files (expected grows if a host sends files decoded). */
  loaded: number;
  total: number;
  source: 'network' | 'cache';
}

export interface ProgressEvent {
  type: 'progress';
  runId: string;
  step: number;
  totalSteps: number;
  /** 0-based epoch the last step belonged to. */
  epoch: number;
  epochs: number;
  stepInEpoch: number;
  stepsPerEpoch: number;
  /** Running means over the current epoch so far (what Keras prints). */
  loss: number;
  accuracy: number;
  /** Loss of the last mini-batch. */
  batchLoss: number;
  samplesPerSecond: number;
  /** Training time so far, pauses excluded. */
  elapsedSeconds: number;
  etaSeconds: number | null;
}

export interface EpochEvent {
  type: 'epoch';
  runId: string;
  /** Epochs completed (1-based: 1 after the first epoch). */
  epoch: number;
  step: number;
  train: Evaluation;
  validation: Evaluation | null;
  test: Evaluation | null;
  /** Wall time of this epoch's training steps, pauses and evaluation excluded. */
  seconds: number;
  samplesPerSecond: number;
}

export interface Histogram {
  /** Range of the values; counts split [min, max] into equal bins. */
  min: number;
  max: number;
  counts: Uint32Array;
  mean: number;
  std: number;
  /** Fraction of values exactly 0 (dead ReLUs, dropped units). */
  zeros: number;
}

export interface ParamDiagnostics {
  name: string;
  /** L2 norm of the values. */
  norm: number;
  /** L2 norm of the gradient of the last step (after clipping). */
  gradNorm: number;
  /** ‖Δθ‖ / ‖θ‖ over the last step; ~1e-3 is the usual healthy band (CS231n). */
  updateRatio: number;
}

export interface LayerDiagnostics {
  name: string;
  kind: string;
  units: number;
  /** Distribution of this layer's outputs over the last training batch. */
  activations: Histogram | null;
  /** Distribution of the loss gradient with respect to those outputs. */
  gradients: Histogram | null;
  params: ParamDiagnostics[];
  /** BN running statistics (Keras moving_mean / moving_variance); null for other layers. */
  movingMean: Float32Array | null;
  movingVariance: Float32Array | null;
  /** BN statistics of the last training batch, which the running ones chase; null for other layers. */
  batchMean: Float32Array | null;
  batchVariance: Float32Array | null;
  /**
   * Share of a sigmoid or tanh layer's outputs in the flat tails, where the derivative is below
   * about 6 % of its peak (|tanh| > 0.97, Karpathy's makemore part 3; sigmoid < 0.015 or > 0.985);
   * null for other layers.
   */
  saturated: number | null;
  /**
   * Share of a ReLU layer's units whose output is 0 for every example of the last training
   * batch (dead on that batch, so their weights get no gradient from it); null for other layers,
   * absent in frames saved before it was measured.
   */
  dead?: number | null;
}

export interface DiagnosticsEvent {
  type: 'diagnostics';
  runId: string;
  step: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Share of the steps so far whose gradient norm was clipped; null when clipping is off. */
  clippedShare: number | null;
  layers: LayerDiagnostics[];
}

export interface StateEvent {
  type: 'state';
  runId: string;
  state: RunState;
  step: number;
}

export interface RunSummary {
  steps: number;
  /** Epochs completed. */
  epochs: number;
  /** Training time, pauses excluded. */
  seconds: number;
  samplesPerSecond: number;
  /** Last completed epoch's metrics (or the running ones if none completed). */
  train: Evaluation | null;
  validation: Evaluation | null;
  test: Evaluation | null;
  diverged: { step: number; loss: number } | null;
  /** Why a run failed (state 'failed'); null otherwise. */
  error: string | null;
}

export interface EndEvent {
  type: 'end';
  runId: string;
  state: EndState;
  summary: RunSummary;
}

export type RunEvent = ProgressEvent | EpochEvent | DiagnosticsEvent | StateEvent | EndEvent;
export type FromWorker = Reply | DataProgressEvent | RunEvent;

export function assertNever(value: never): never {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
}

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string; id: number | null };

function attempt<T>(data: unknown, read: (data: unknown) => T): Parsed<T> {
  try {
    return { ok: true, message: read(data) };
  } catch (e) {
    const id = data && typeof data === 'object' ? (data as g.Fields).id : null;
    return { ok: false, error: e instanceof Error ? e.message : String(e), id: Number.isInteger(id) && (id as number) >= 0 ? (id as number) : null };
  }
}

const requestTypes: readonly RequestType[] = ['load-data', 'cancel-load', 'ping', 'start', 'pause', 'resume', 'stop', 'update', 'watch', 'release', 'inference-stats', 'intensity-test', 'dropout-ensemble'];

function readDiagnosticsOptions(value: unknown, path: string): DiagnosticsOptions | null {
  if (value === null) return null;
  const o = g.object(value, path);
  const intervalMs = g.number(o, 'intervalMs', path, { min: minIntervalMs });
  const bins = g.number(o, 'bins', path, { min: 4, integer: true });
  if (bins > 256) throw new g.ProtocolError(`${path}.bins: expected an integer in [4, 256], received ${bins}`);
  return { intervalMs, bins };
}

function readIntensityChange(value: unknown, path: string): IntensityChange {
  const o = g.object(value, path);
  try {
    return checkIntensityChange({ contrast: g.number(o, 'contrast', path), brightness: g.number(o, 'brightness', path) }, path);
  } catch (e) {
    throw new g.ProtocolError((e as Error).message);
  }
}

function readConfig(value: unknown, path: string): TrainConfig {
  try {
    return parseTrainConfig(value);
  } catch (e) {
    throw new g.ProtocolError(`${path}: ${(e as Error).message}`);
  }
}

/** Validates a request arriving in the worker. Config and live settings go through the engine's parsers. */
export function parseToWorker(data: unknown): Parsed<ToWorker> {
  return attempt(data, (): ToWorker => {
    const m = g.object(data, 'message');
    const type = g.oneOf(m, 'type', requestTypes, 'message');
    const id = g.number(m, 'id', type, { min: 0, integer: true });
    if (type === 'load-data') return { type, id, manifestUrl: g.string(m, 'manifestUrl', type) };
    if (type === 'cancel-load' || type === 'ping') return { type, id };
    const runId = g.string(m, 'runId', type);
    if (runId.length > maxRunIdLength) throw new g.ProtocolError(`${type}.runId: expected at most ${maxRunIdLength} characters, received ${runId.length}`);
    switch (type) {
      case 'start': {
        const o = g.object(m.options ?? {}, 'start.options');
        const options: RunOptions = {
          testEachEpoch: o.testEachEpoch === undefined ? defaultRunOptions.testEachEpoch : g.boolean(o, 'testEachEpoch', 'start.options'),
          progressIntervalMs: o.progressIntervalMs === undefined ? defaultRunOptions.progressIntervalMs : g.number(o, 'progressIntervalMs', 'start.options', { min: minIntervalMs }),
          diagnostics: readDiagnosticsOptions(o.diagnostics ?? null, 'start.options.diagnostics'),
        };
        return { type, id, runId, config: readConfig(m.config, 'start.config'), options };
      }
      case 'update': {
        try {
          return { type, id, runId, changes: parseLiveSettings(m.changes) };
        } catch (e) {
          throw new g.ProtocolError(`update.changes: ${(e as Error).message}`);
        }
      }
      case 'watch':
        return { type, id, runId, diagnostics: readDiagnosticsOptions(m.diagnostics ?? null, 'watch.diagnostics') };
      case 'inference-stats': {
        const batchSizes = g.array(m, 'batchSizes', type).map((b, i) => g.number({ b }, 'b', `${type}.batchSizes[${i}]`, { min: 1, integer: true }));
        return { type, id, runId, batchSizes };
      }
      case 'intensity-test': {
        const changes = g.array(m, 'changes', type).map((c, i) => readIntensityChange(c, `${type}.changes[${i}]`));
        if (changes.length === 0) throw new g.ProtocolError(`${type}.changes: expected at least one intensity change, received none`);
        return { type, id, runId, changes, batchSize: g.number(m, 'batchSize', type, { min: 2, integer: true }), limit: g.number(m, 'limit', type, { min: 1, integer: true }) };
      }
      case 'dropout-ensemble': {
        // At most 5 values of K up to 200, on at most the 10,000 test images: the K passes run only the layers from the first dropout on.
        const samples = g.array(m, 'samples', type).map((k, i) => g.number({ k }, 'k', `${type}.samples[${i}]`, { min: 1, integer: true }));
        if (samples.length === 0 || samples.length > 5 || samples.some((k, i) => k > 200 || (i > 0 && k <= samples[i - 1]))) {
          throw new g.ProtocolError(`${type}.samples: expected 1 to 5 ascending numbers of masks from 1 to 200 such as [1, 10, 100], received [${samples.join(', ')}]`);
        }
        const limit = g.number(m, 'limit', type, { min: 1, integer: true });
        if (limit > 10_000) throw new g.ProtocolError(`${type}.limit: expected at most the 10,000 test images, received ${limit}`);
        const seed = g.number(m, 'seed', type, { min: 0, integer: true });
        if (seed > 0xffffffff) throw new g.ProtocolError(`${type}.seed: expected an integer seed up to 4294967295, received ${seed}`);
        return { type, id, runId, samples, limit, seed };
      }
      case 'pause':
      case 'resume':
      case 'stop':
      case 'release':
        return { type, id, runId };
      default:
        return assertNever(type);
    }
  });
}

function readSummary(value: unknown, path: string): ModelSummary {
  const o = g.object(value, path);
  const rows = g.array(o, 'rows', path).map((r, i) => {
    const row = g.object(r, `${path}.rows[${i}]`);
    const p = `${path}.rows[${i}]`;
    return { name: g.string(row, 'name', p), type: g.string(row, 'type', p), outputShape: g.string(row, 'outputShape', p), params: g.number(row, 'params', p, { min: 0, integer: true }) };
  });
  const count = (key: string) => g.number(o, key, path, { min: 0, integer: true });
  return { rows, trainable: count('trainable'), nonTrainable: count('nonTrainable'), total: count('total') };
}

function readStatus(value: unknown, path: string): RunStatus {
  const o = g.object(value, path);
  return { runId: g.string(o, 'runId', path), state: g.oneOf(o, 'state', runStates, path), step: g.number(o, 'step', path, { min: 0, integer: true }), config: readConfig(o.config, `${path}.config`) };
}

function readResult(request: RequestType, value: unknown): Results[RequestType] {
  const path = `reply(${request}).result`;
  switch (request) {
    case 'load-data': {
      const o = g.object(value, path);
      const n = (key: string) => g.number(o, key, path, { min: 0, integer: true });
      return { train: n('train'), validation: n('validation'), test: n('test'), features: n('features'), source: g.oneOf(o, 'source', ['network', 'cache', 'memory'] as const, path), seconds: g.number(o, 'seconds', path, { min: 0 }) };
    }
    case 'cancel-load':
      return { cancelled: g.boolean(g.object(value, path), 'cancelled', path) };
    case 'ping':
      return { busy: g.boolean(g.object(value, path), 'busy', path) };
    case 'start': {
      const o = g.object(value, path);
      const n = (key: string) => g.number(o, key, path, { min: 0, integer: true });
      return {
        runId: g.string(o, 'runId', path),
        config: readConfig(o.config, `${path}.config`),
        summary: readSummary(o.summary, `${path}.summary`),
        stepsPerEpoch: n('stepsPerEpoch'),
        totalSteps: n('totalSteps'),
        trainCount: n('trainCount'),
        validationCount: n('validationCount'),
      };
    }
    case 'pause':
    case 'resume':
    case 'stop':
    case 'update':
    case 'watch':
    case 'release':
      return readStatus(value, path);
    case 'inference-stats': {
      const o = g.object(value, path);
      return {
        runId: g.string(o, 'runId', path),
        running: g.evaluation(o, 'running', path),
        recalibrated: g.evaluation(o, 'recalibrated', path),
        batch: g.array(o, 'batch', path).map((b, i) => {
          const q = g.object(b, `${path}.batch[${i}]`);
          return { batchSize: g.number(q, 'batchSize', `${path}.batch[${i}]`, { min: 1, integer: true }), evaluation: g.evaluation(q, 'evaluation', `${path}.batch[${i}]`) };
        }),
        layers: g.array(o, 'layers', path).map((l, i) => {
          const q = g.object(l, `${path}.layers[${i}]`);
          const p = `${path}.layers[${i}]`;
          return { name: g.string(q, 'name', p), runningMean: g.float32(q, 'runningMean', p), runningVariance: g.float32(q, 'runningVariance', p), recalibratedMean: g.float32(q, 'recalibratedMean', p), recalibratedVariance: g.float32(q, 'recalibratedVariance', p) };
        }),
      };
    }
    case 'dropout-ensemble': {
      const o = g.object(value, path);
      return {
        runId: g.string(o, 'runId', path),
        scaledAccuracy: g.number(o, 'scaledAccuracy', path, { min: 0 }),
        ensembles: g.array(o, 'ensembles', path).map((e, i) => {
          const p = `${path}.ensembles[${i}]`;
          const q = g.object(e, p);
          return { samples: g.number(q, 'samples', p, { min: 1, integer: true }), accuracy: g.number(q, 'accuracy', p, { min: 0 }), agreement: g.number(q, 'agreement', p, { min: 0 }) };
        }),
      };
    }
    case 'intensity-test': {
      const o = g.object(value, path);
      return {
        runId: g.string(o, 'runId', path),
        results: g.array(o, 'results', path).map((r, i) => {
          const p = `${path}.results[${i}]`;
          const q = g.object(r, p);
          return {
            change: readIntensityChange(q.change, `${p}.change`),
            running: g.evaluation(q, 'running', p),
            batch: q.batch === null ? null : g.evaluation(q, 'batch', p),
            firstLayerShift: g.number(q, 'firstLayerShift', p, { min: 0 }),
          };
        }),
      };
    }
    default:
      return assertNever(request);
  }
}

function readHistogram(value: unknown, path: string): Histogram | null {
  if (value === null) return null;
  const o = g.object(value, path);
  return { min: g.metric(o, 'min', path), max: g.metric(o, 'max', path), counts: g.uint32(o, 'counts', path), mean: g.metric(o, 'mean', path), std: g.metric(o, 'std', path), zeros: g.number(o, 'zeros', path, { min: 0 }) };
}

function readLayer(value: unknown, path: string): LayerDiagnostics {
  const o = g.object(value, path);
  return {
    name: g.string(o, 'name', path),
    kind: g.string(o, 'kind', path),
    units: g.number(o, 'units', path, { min: 1, integer: true }),
    activations: readHistogram(o.activations, `${path}.activations`),
    gradients: readHistogram(o.gradients, `${path}.gradients`),
    params: g.array(o, 'params', path).map((p, i) => {
      const q = g.object(p, `${path}.params[${i}]`);
      const pp = `${path}.params[${i}]`;
      return { name: g.string(q, 'name', pp), norm: g.metric(q, 'norm', pp), gradNorm: g.metric(q, 'gradNorm', pp), updateRatio: g.metric(q, 'updateRatio', pp) };
    }),
    movingMean: g.nullable(o, 'movingMean', g.float32, path),
    movingVariance: g.nullable(o, 'movingVariance', g.float32, path),
    batchMean: g.nullable(o, 'batchMean', g.float32, path),
    batchVariance: g.nullable(o, 'batchVariance', g.float32, path),
    saturated: g.nullable(o, 'saturated', (q, k, p) => g.number(q, k, p, { min: 0 }), path),
    // Frames saved before the dead share existed have no such field.
    ...(o.dead === undefined ? {} : { dead: g.nullable(o, 'dead', (q, k, p) => g.number(q, k, p, { min: 0 }), path) }),
  };
}

const fromWorkerTypes = ['reply', 'data-progress', 'progress', 'epoch', 'diagnostics', 'state', 'end'] as const;

/** Validates a message arriving from the worker. */
export function parseFromWorker(data: unknown): Parsed<FromWorker> {
  return attempt(data, (): FromWorker => {
    const m = g.object(data, 'message');
    const type = g.oneOf(m, 'type', fromWorkerTypes, 'message');
    if (type === 'reply') {
      const ok = g.boolean(m, 'ok', type);
      const id = ok || m.id !== null ? g.number(m, 'id', type, { min: 0, integer: true }) : null;
      if (ok && id !== null) {
        const request = g.oneOf(m, 'request', requestTypes, type);
        return { type, id, request, ok: true, result: readResult(request, m.result) } as OkReply;
      }
      const e = g.object(m.error, 'reply.error');
      const request = m.request === null ? null : g.oneOf(m, 'request', requestTypes, type);
      return { type, id, request, ok: false, error: { code: g.oneOf(e, 'code', errorCodes, 'reply.error'), message: g.string(e, 'message', 'reply.error') } };
    }
    if (type === 'data-progress') {
      const n = (key: string) => g.number(m, key, type, { min: 0 });
      return { type, id: g.number(m, 'id', type, { min: 0, integer: true }), loaded: n('loaded'), total: n('total'), source: g.oneOf(m, 'source', ['network', 'cache'] as const, type) };
    }
    const runId = g.string(m, 'runId', type);
    const int = (key: string) => g.number(m, key, type, { min: 0, integer: true });
    switch (type) {
      case 'progress':
        return {
          type,
          runId,
          step: int('step'),
          totalSteps: int('totalSteps'),
          epoch: int('epoch'),
          epochs: int('epochs'),
          stepInEpoch: int('stepInEpoch'),
          stepsPerEpoch: int('stepsPerEpoch'),
          loss: g.metric(m, 'loss', type),
          accuracy: g.metric(m, 'accuracy', type),
          batchLoss: g.metric(m, 'batchLoss', type),
          samplesPerSecond: g.number(m, 'samplesPerSecond', type, { min: 0 }),
          elapsedSeconds: g.number(m, 'elapsedSeconds', type, { min: 0 }),
          etaSeconds: g.nullable(m, 'etaSeconds', (o, k, p) => g.number(o, k, p, { min: 0 }), type),
        };
      case 'epoch':
        return {
          type,
          runId,
          epoch: int('epoch'),
          step: int('step'),
          train: g.evaluation(m, 'train', type),
          validation: g.nullable(m, 'validation', g.evaluation, type),
          test: g.nullable(m, 'test', g.evaluation, type),
          seconds: g.number(m, 'seconds', type, { min: 0 }),
          samplesPerSecond: g.number(m, 'samplesPerSecond', type, { min: 0 }),
        };
      case 'diagnostics':
        return { type, runId, step: int('step'), gradNorm: g.metric(m, 'gradNorm', type), clippedShare: g.nullable(m, 'clippedShare', (o, k, p) => g.number(o, k, p, { min: 0 }), type), layers: g.array(m, 'layers', type).map((l, i) => readLayer(l, `diagnostics.layers[${i}]`)) };
      case 'state':
        return { type, runId, state: g.oneOf(m, 'state', runStates, type), step: int('step') };
      case 'end': {
        const s = g.object(m.summary, 'end.summary');
        const p = 'end.summary';
        const diverged = s.diverged === null ? null : g.object(s.diverged, `${p}.diverged`);
        return {
          type,
          runId,
          state: g.oneOf(m, 'state', endStates, type),
          summary: {
            steps: g.number(s, 'steps', p, { min: 0, integer: true }),
            epochs: g.number(s, 'epochs', p, { min: 0, integer: true }),
            seconds: g.number(s, 'seconds', p, { min: 0 }),
            samplesPerSecond: g.number(s, 'samplesPerSecond', p, { min: 0 }),
            train: g.nullable(s, 'train', g.evaluation, p),
            validation: g.nullable(s, 'validation', g.evaluation, p),
            test: g.nullable(s, 'test', g.evaluation, p),
            diverged: diverged && { step: g.number(diverged, 'step', `${p}.diverged`, { min: 0, integer: true }), loss: g.metric(diverged, 'loss', `${p}.diverged`) },
            error: s.error === null ? null : g.string(s, 'error', p),
          },
        };
      }
      default:
        return assertNever(type);
    }
  });
}

/** The buffers of a message's typed arrays, to pass as postMessage's transfer list. */
export function transferables(message: FromWorker): ArrayBuffer[] {
  if (message.type !== 'diagnostics') return [];
  const buffers: ArrayBuffer[] = [];
  for (const layer of message.layers) {
    for (const a of [layer.activations?.counts, layer.gradients?.counts, layer.movingMean, layer.movingVariance, layer.batchMean, layer.batchVariance]) {
      if (a && a.buffer instanceof ArrayBuffer && !buffers.includes(a.buffer)) buffers.push(a.buffer);
    }
  }
  return buffers;
}
