/**
 * The page's side of the training worker: typed requests that resolve to results (never throw,
 * never hang), and subscriptions to run events. Messages from the worker are the page's own
 * code's, typed by the protocol and not re-parsed; only their envelope (an object with a known
 * `type`) is checked, and anything else is reported through `onError`.
 *
 * A worker that crashes, closes itself or stops answering must not leave a run "running": every
 * request has a deadline (`requestTimeoutMs`; a load's deadline moves with each progress message,
 * `loadStallMs`; a probe's with each of its progress messages, which the worker sends at least
 * every second while the probe runs in slices, `probeStallMs`, so a probe may take minutes and
 * is still told apart from a dead worker), and while runs are going a silence of `silenceMs`
 * sends a `ping`. A missed
 * deadline, an `error` event or an undecodable message ends the client: pending requests settle
 * with the reason, every run it started gets an `end` event with state 'failed' (so records and
 * widgets see it), the worker is terminated, and `getTrainingClient()` starts a fresh one.
 *
 * Usage (see src/client/README.md):
 *   const client = getTrainingClient();                       // one shared worker per page
 *   const data = await client.loadData({ manifestUrl: dataManifestUrl(), onProgress });
 *   if (!data.ok) showRetry(data.error.message);
 *   const off = client.onRun(runId, (event) => …);            // progress, epoch, diagnostics, state, end
 *   const started = await client.start(runId, { norm: 'batch', trainLimit: 5000 });
 */
import { parseTrainConfig, type LiveSettings, type TrainConfig } from '@engine/train/config.ts';
import { describe } from '@engine/validate.ts';
import {
  defaultRunOptions,
  type DataInfo,
  type DiagnosticsOptions,
  type ErrorCode,
  type FromWorker,
  type ProbeArgs,
  type ProbeKind,
  type ProbeResultOf,
  type RequestType,
  type Results,
  type RunEvent,
  type RunInfo,
  type RunOptions,
  type RunStatus,
  type ToWorker,
} from '@engine/worker/protocol.ts';

export type ClientErrorCode = ErrorCode | 'worker-crashed' | 'worker-timeout' | 'protocol' | 'terminated';

export interface ClientError {
  code: ClientErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ClientError };

/** What the client needs from a Worker (tests pass a fake). */
export interface WorkerLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: Event) => void): void;
  terminate(): void;
}

export interface LoadProgress {
  loaded: number;
  total: number;
  source: 'network' | 'cache';
}

export interface TrainingClient {
  /**
   * Downloads (or takes from the cache) and verifies the data. Concurrent calls share one load;
   * after a success later calls resolve at once; after a failure the next call tries again.
   */
  loadData(options: { manifestUrl: string; onProgress?: (progress: LoadProgress) => void }): Promise<Result<DataInfo>>;
  /** Starts a run named `runId` (choose it with `newRunId()`); config is merged over the defaults. */
  start(runId: string, config: Partial<TrainConfig>, options?: Partial<RunOptions>): Promise<Result<RunInfo>>;
  pause(runId: string): Promise<Result<RunStatus>>;
  resume(runId: string): Promise<Result<RunStatus>>;
  stop(runId: string): Promise<Result<RunStatus>>;
  /** Live settings, effective from the next step. */
  update(runId: string, changes: Partial<LiveSettings>): Promise<Result<RunStatus>>;
  /** Per-layer diagnostics on (≤ 10/s) or off (null). */
  watch(runId: string, diagnostics: DiagnosticsOptions | null): Promise<Result<RunStatus>>;
  /** Lets the worker forget an ended run (stops it first if it is still going). */
  release(runId: string): Promise<Result<RunStatus>>;
  /**
   * Tests an ended run's kept model (engine/worker/probes/): `{ kind: 'inference-stats', batchSizes }`,
   * `{ kind: 'intensity-test', changes, batchSize, limit }`, `{ kind: 'dropout-ensemble', samples, limit, seed }` or
   * `{ kind: 'feature-maps', layer, count, start }` (a ConvNet's conv output before its norm, with the norm's parameters).
   * Refused at once with the reason (code 'bad-state' or 'too-large') when the run cannot take it;
   * otherwise `onProgress` hears how much of its declared cost is done until the result arrives.
   */
  probe<K extends ProbeKind>(
    runId: string,
    args: Extract<ProbeArgs, { kind: K }>,
    options?: { onProgress?: (progress: ProbeProgress) => void },
  ): Promise<Result<ProbeResultOf<K>>>;
  /** Aborts a data download in progress; the waiting `loadData` calls resolve with code 'cancelled'. */
  cancelLoad(): Promise<Result<{ cancelled: boolean }>>;
  /** Events of one run; returns the unsubscribe function. */
  onRun(runId: string, listener: (event: RunEvent) => void): () => void;
  /** Events of every run. */
  onEvent(listener: (event: RunEvent) => void): () => void;
  /** Protocol violations and a crashed worker. */
  onError(listener: (error: ClientError) => void): () => void;
  /** False once the worker crashed or was terminated; make a new client then. */
  readonly alive: boolean;
  terminate(): void;
}

/** Multiply-adds a probe has done of its declared total. */
export interface ProbeProgress {
  done: number;
  total: number;
}

interface Pending {
  request: RequestType;
  settle: (result: Result<unknown>) => void;
  onProgress?: (p: never) => void;
  deadline: number;
  /** A probe that reported progress: its deadline is now a stall limit. */
  probing: boolean;
}

export interface ClientTimeouts {
  /** A request must be answered within this (or, for a load or a probe, send its first progress); default 10 s. */
  requestTimeoutMs: number;
  /** A load must send progress (or its reply) at least this often; default 60 s (the worker's own stall limit is 30 s). */
  loadStallMs: number;
  /** A probe must send progress (or its reply) at least this often; default 30 s (the worker sends it at least every second). */
  probeStallMs: number;
  /** While runs are going, a silence this long sends a ping; default 5 s. */
  silenceMs: number;
}

export const defaultClientTimeouts: Readonly<ClientTimeouts> = Object.freeze({
  requestTimeoutMs: 10_000,
  loadStallMs: 60_000,
  probeStallMs: 30_000,
  silenceMs: 5_000,
});

const fromWorkerTypes: readonly string[] = [
  'reply',
  'data-progress',
  'probe-progress',
  'progress',
  'epoch',
  'diagnostics',
  'landscape',
  'state',
  'end',
] satisfies FromWorker['type'][];

/** What the client knows of a run it started, to end it as failed if the worker goes away. */
interface Started {
  step: number;
  epochs: number;
  seconds: number;
}

export function createTrainingClient(worker: WorkerLike, timeouts: Partial<ClientTimeouts> = {}): TrainingClient {
  const { requestTimeoutMs, loadStallMs, probeStallMs, silenceMs } = { ...defaultClientTimeouts, ...timeouts };
  let nextId = 1;
  let dead: ClientError | null = null;
  const pending = new Map<number, Pending>();
  const started = new Map<string, Started>();
  let heardAt = Date.now();
  let watchdog: ReturnType<typeof setInterval> | null = null;
  let checkedAt = Date.now();
  const checkMs = Math.min(1000, requestTimeoutMs / 2, silenceMs / 2);
  const runListeners = new Map<string, Set<(event: RunEvent) => void>>();
  const allListeners = new Set<(event: RunEvent) => void>();
  const errorListeners = new Set<(error: ClientError) => void>();
  let loading: Promise<Result<DataInfo>> | null = null;
  const progressListeners = new Set<(p: LoadProgress) => void>();
  let loaded: Result<DataInfo> | null = null;

  const reportError = (error: ClientError) => errorListeners.forEach((listener) => listener(error));

  function emitRun(event: RunEvent): void {
    runListeners.get(event.runId)?.forEach((listener) => listener(event));
    allListeners.forEach((listener) => listener(event));
  }

  function die(error: ClientError): void {
    if (dead) return;
    dead = error;
    if (watchdog !== null) clearInterval(watchdog);
    watchdog = null;
    for (const p of pending.values()) p.settle({ ok: false, error });
    pending.clear();
    worker.terminate();
    for (const [runId, s] of started) {
      const summary = {
        steps: s.step,
        epochs: s.epochs,
        seconds: s.seconds,
        samplesPerSecond: 0,
        train: null,
        validation: null,
        test: null,
        diverged: null,
        error: error.message,
      };
      emitRun({ type: 'end', runId, state: 'failed', summary });
    }
    started.clear();
    reportError(error);
  }

  /** Runs every second while anything is pending or running: deadlines, and a ping after a silence. */
  function check(): void {
    const now = Date.now();
    // A check this late means the page slept or was throttled (a closed laptop, a background tab):
    // replies may be queued behind this timer, so the missed time is not the worker's fault.
    const late = now - checkedAt - checkMs;
    checkedAt = now;
    if (late > 5 * checkMs) {
      for (const p of pending.values()) p.deadline += late;
      heardAt += late;
      return;
    }
    for (const p of pending.values()) {
      if (now > p.deadline) {
        const what =
          p.request === 'load-data'
            ? `sent nothing about the data for ${loadStallMs / 1000} s`
            : p.probing
              ? `sent nothing about the probe for ${probeStallMs / 1000} s`
              : `did not answer ${p.request} within ${requestTimeoutMs / 1000} s`;
        die({ code: 'worker-timeout', message: `the training worker ${what}; it was closed, start again to use a fresh one` });
        return;
      }
    }
    if (started.size > 0 && now - heardAt > silenceMs && ![...pending.values()].some((p) => p.request === 'ping'))
      void send({ type: 'ping' });
    if (pending.size === 0 && started.size === 0 && watchdog !== null) {
      clearInterval(watchdog);
      watchdog = null;
    }
  }

  function watch(): void {
    if (watchdog !== null) return;
    checkedAt = Date.now();
    watchdog = setInterval(check, checkMs);
  }

  function receive(data: unknown): void {
    heardAt = Date.now();
    if (data === null || typeof data !== 'object' || !fromWorkerTypes.includes((data as { type?: never }).type ?? '')) {
      reportError({ code: 'protocol', message: `worker sent a message of no known type: ${describe(data)}` });
      return;
    }
    const message = data as FromWorker;
    switch (message.type) {
      case 'reply': {
        const waiter = message.id === null ? undefined : pending.get(message.id);
        if (!waiter) {
          const what = message.ok ? `a ${message.request} reply` : `an error (${message.error.message})`;
          reportError({ code: 'protocol', message: `worker sent ${what} for unknown request ${message.id}` });
          return;
        }
        pending.delete(message.id!);
        if (message.ok && message.request !== waiter.request) {
          waiter.settle({
            ok: false,
            error: { code: 'protocol', message: `expected a ${waiter.request} reply, received ${message.request}` },
          });
        } else {
          waiter.settle(message.ok ? { ok: true, value: message.result } : { ok: false, error: message.error });
        }
        return;
      }
      case 'data-progress': {
        const waiter = pending.get(message.id);
        if (waiter) waiter.deadline = Date.now() + loadStallMs;
        (waiter?.onProgress as ((p: LoadProgress) => void) | undefined)?.({
          loaded: message.loaded,
          total: message.total,
          source: message.source,
        });
        return;
      }
      case 'probe-progress': {
        const waiter = pending.get(message.id);
        if (!waiter) return;
        // The probe is working in slices: from now on only a silence of probeStallMs counts against it.
        waiter.probing = true;
        waiter.deadline = Date.now() + probeStallMs;
        (waiter.onProgress as ((p: ProbeProgress) => void) | undefined)?.({ done: message.done, total: message.total });
        return;
      }
      case 'progress':
      case 'epoch':
      case 'diagnostics':
      case 'landscape':
      case 'state':
      case 'end': {
        const s = started.get(message.runId);
        if (s && message.type === 'progress') Object.assign(s, { step: message.step, seconds: message.elapsedSeconds });
        if (s && message.type === 'epoch') s.epochs = message.epoch;
        if (message.type === 'end') started.delete(message.runId);
        emitRun(message);
        return;
      }
      default:
        message satisfies never;
    }
  }

  worker.addEventListener('message', (event) => receive((event as MessageEvent).data));
  // A message that cannot be decoded may have been a reply or an end event: waiting on could hang.
  worker.addEventListener('messageerror', () =>
    die({
      code: 'protocol',
      message: 'a message from the training worker could not be decoded; it was closed, start again to use a fresh one',
    }),
  );
  worker.addEventListener('error', (event) => {
    const detail = (event as ErrorEvent).message;
    die({ code: 'worker-crashed', message: `the training worker stopped${detail ? `: ${detail}` : ''}; start again to use a fresh one` });
  });

  type Unsent = ToWorker extends infer T ? (T extends unknown ? Omit<T, 'id'> : never) : never;

  function send<K extends RequestType>(message: Unsent & { type: K }, onProgress?: (p: never) => void): Promise<Result<Results[K]>> {
    if (dead) return Promise.resolve({ ok: false, error: dead });
    const id = nextId++;
    return new Promise((resolve) => {
      const deadline = Date.now() + (message.type === 'load-data' ? loadStallMs : requestTimeoutMs);
      pending.set(id, { request: message.type, settle: resolve as (r: Result<unknown>) => void, onProgress, deadline, probing: false });
      watch();
      try {
        worker.postMessage({ ...message, id });
      } catch (e) {
        pending.delete(id);
        resolve({ ok: false, error: { code: 'protocol', message: `could not send ${message.type}: ${(e as Error).message}` } });
      }
    });
  }

  const subscribe = <T>(set: Set<T>, listener: T) => {
    set.add(listener);
    return () => void set.delete(listener);
  };

  return {
    get alive() {
      return dead === null;
    },
    loadData({ manifestUrl, onProgress }) {
      if (loaded?.ok) return Promise.resolve(loaded);
      if (onProgress) progressListeners.add(onProgress);
      loading ??= send({ type: 'load-data', manifestUrl }, (p: LoadProgress) => progressListeners.forEach((listener) => listener(p))).then(
        (result) => {
          loading = null;
          progressListeners.clear();
          if (result.ok) loaded = result;
          return result;
        },
      );
      return loading;
    },
    start(runId, config, options = {}) {
      let full: TrainConfig;
      try {
        full = parseTrainConfig(config);
      } catch (e) {
        return Promise.resolve({ ok: false, error: { code: 'invalid-config', message: (e as Error).message } });
      }
      return send({ type: 'start', runId, config: full, options: { ...defaultRunOptions, ...options } }).then((result) => {
        if (result.ok) {
          started.set(runId, { step: 0, epochs: 0, seconds: 0 });
          watch();
        }
        return result;
      });
    },
    pause: (runId) => send({ type: 'pause', runId }),
    resume: (runId) => send({ type: 'resume', runId }),
    stop: (runId) => send({ type: 'stop', runId }),
    update: (runId, changes) => send({ type: 'update', runId, changes }),
    watch: (runId, diagnostics) => send({ type: 'watch', runId, diagnostics }),
    release: (runId) => send({ type: 'release', runId }),
    probe<K extends ProbeKind>(
      runId: string,
      args: Extract<ProbeArgs, { kind: K }>,
      options: { onProgress?: (progress: ProbeProgress) => void } = {},
    ) {
      return send({ type: 'probe', runId, probe: args }, options.onProgress) as Promise<Result<ProbeResultOf<K>>>;
    },
    cancelLoad: () => send({ type: 'cancel-load' }),
    onRun(runId, listener) {
      let set = runListeners.get(runId);
      if (!set) runListeners.set(runId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) runListeners.delete(runId);
      };
    },
    onEvent: (listener) => subscribe(allListeners, listener),
    onError: (listener) => subscribe(errorListeners, listener),
    terminate() {
      die({ code: 'terminated', message: 'the training worker was closed' });
    },
  };
}

/** A fresh run id, unique across tabs and reloads (it also keys the saved run). */
export function newRunId(): string {
  const random =
    typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID().slice(0, 8) : Math.random().toString(36).slice(2, 10);
  return `run-${Date.now().toString(36)}-${random}`;
}
