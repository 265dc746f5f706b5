/**
 * The page's side of the training worker: typed requests that resolve to results (never throw,
 * never hang), and subscriptions to run events. Every message from the worker is parsed with
 * the protocol's guard before use; a message that fails it is reported through `onError`.
 *
 * Usage (see src/client/README.md):
 *   const client = getTrainingClient();                       // one shared worker per page
 *   const data = await client.loadData({ manifestUrl: dataManifestUrl(), onProgress });
 *   if (!data.ok) showRetry(data.error.message);
 *   const off = client.onRun(runId, (event) => …);            // progress, epoch, diagnostics, state, end
 *   const started = await client.start(runId, { norm: 'batch', trainLimit: 5000 });
 */
import { parseTrainConfig, type LiveSettings, type TrainConfig } from '@engine/train/config.ts';
import {
  defaultRunOptions,
  parseFromWorker,
  type DataInfo,
  type DiagnosticsOptions,
  type ErrorCode,
  type FromWorker,
  type InferenceStats,
  type RequestType,
  type Results,
  type RunEvent,
  type RunInfo,
  type RunOptions,
  type RunStatus,
  type ToWorker,
} from '@engine/worker/protocol.ts';

export type ClientErrorCode = ErrorCode | 'worker-crashed' | 'protocol' | 'terminated';

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
  /** An ended BN run's weights tested three ways: running averages, recalibrated statistics, batch statistics at each size. */
  inferenceStats(runId: string, batchSizes: readonly number[]): Promise<Result<InferenceStats>>;
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

type Pending = { request: RequestType; settle: (result: Result<unknown>) => void; onProgress?: (p: LoadProgress) => void };

export function createTrainingClient(worker: WorkerLike): TrainingClient {
  let nextId = 1;
  let dead: ClientError | null = null;
  const pending = new Map<number, Pending>();
  const runListeners = new Map<string, Set<(event: RunEvent) => void>>();
  const allListeners = new Set<(event: RunEvent) => void>();
  const errorListeners = new Set<(error: ClientError) => void>();
  let loading: Promise<Result<DataInfo>> | null = null;
  const progressListeners = new Set<(p: LoadProgress) => void>();
  let loaded: Result<DataInfo> | null = null;

  const reportError = (error: ClientError) => errorListeners.forEach((listener) => listener(error));

  function die(error: ClientError): void {
    if (dead) return;
    dead = error;
    for (const p of pending.values()) p.settle({ ok: false, error });
    pending.clear();
    reportError(error);
  }

  function receive(data: unknown): void {
    const parsed = parseFromWorker(data);
    if (!parsed.ok) {
      reportError({ code: 'protocol', message: `worker sent a malformed message: ${parsed.error}` });
      return;
    }
    const message: FromWorker = parsed.message;
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
          waiter.settle({ ok: false, error: { code: 'protocol', message: `expected a ${waiter.request} reply, received ${message.request}` } });
        } else {
          waiter.settle(message.ok ? { ok: true, value: message.result } : { ok: false, error: message.error });
        }
        return;
      }
      case 'data-progress':
        pending.get(message.id)?.onProgress?.({ loaded: message.loaded, total: message.total, source: message.source });
        return;
      case 'progress':
      case 'epoch':
      case 'diagnostics':
      case 'state':
      case 'end':
        runListeners.get(message.runId)?.forEach((listener) => listener(message));
        allListeners.forEach((listener) => listener(message));
        return;
      default:
        message satisfies never;
    }
  }

  worker.addEventListener('message', (event) => receive((event as MessageEvent).data));
  worker.addEventListener('messageerror', () => reportError({ code: 'protocol', message: 'a message from the worker could not be deserialized' }));
  worker.addEventListener('error', (event) => {
    const detail = (event as ErrorEvent).message;
    die({ code: 'worker-crashed', message: `the training worker stopped${detail ? `: ${detail}` : ''}; reload the page to try again` });
  });

  type Unsent = ToWorker extends infer T ? (T extends unknown ? Omit<T, 'id'> : never) : never;

  function send<K extends RequestType>(message: Unsent & { type: K }, onProgress?: (p: LoadProgress) => void): Promise<Result<Results[K]>> {
    if (dead) return Promise.resolve({ ok: false, error: dead });
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, { request: message.type, settle: resolve as (r: Result<unknown>) => void, onProgress });
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
      loading ??= send({ type: 'load-data', manifestUrl }, (p) => progressListeners.forEach((listener) => listener(p))).then((result) => {
        loading = null;
        progressListeners.clear();
        if (result.ok) loaded = result;
        return result;
      });
      return loading;
    },
    start(runId, config, options = {}) {
      let full: TrainConfig;
      try {
        full = parseTrainConfig(config);
      } catch (e) {
        return Promise.resolve({ ok: false, error: { code: 'invalid-config', message: (e as Error).message } });
      }
      return send({ type: 'start', runId, config: full, options: { ...defaultRunOptions, ...options } });
    },
    pause: (runId) => send({ type: 'pause', runId }),
    resume: (runId) => send({ type: 'resume', runId }),
    stop: (runId) => send({ type: 'stop', runId }),
    update: (runId, changes) => send({ type: 'update', runId, changes }),
    watch: (runId, diagnostics) => send({ type: 'watch', runId, diagnostics }),
    release: (runId) => send({ type: 'release', runId }),
    inferenceStats: (runId, batchSizes) => send({ type: 'inference-stats', runId, batchSizes: [...batchSizes] }),
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
      worker.terminate();
      die({ code: 'terminated', message: 'the training worker was closed' });
    },
  };
}

/** A fresh run id, unique across tabs and reloads (it also keys the saved run). */
export function newRunId(): string {
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID().slice(0, 8) : Math.random().toString(36).slice(2, 10);
  return `run-${Date.now().toString(36)}-${random}`;
}
