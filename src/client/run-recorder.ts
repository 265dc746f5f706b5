/**
 * Starts a run and keeps its record: written to the store before the run starts (so a tab
 * closed mid-run leaves an 'interrupted' record, not nothing), updated as events arrive (at
 * once for state changes and epochs, at most once a second for progress), and finalised at the
 * end, when the worker is told to release the run (its model is not needed again). Widgets read
 * `record` and `onChange` to plot; every experiment widget should start its runs through here so
 * they all land in the same history.
 */
import { parseTrainConfig, type LiveSettings, type TrainConfig } from '@engine/train/config.ts';
import type { RunOptions, RunStatus } from '@engine/worker/protocol.ts';
import { applyRunEvent, applySettingChange, applyStarted, createRunRecord, type RunRecord } from './run-record';
import type { RunStore } from './run-store';
import type { Result, TrainingClient } from './training-client';

export interface RecordedRun {
  readonly id: string;
  /** The latest state of the record. */
  readonly record: RunRecord;
  /** Called with the new record after every change; returns the unsubscribe function. */
  onChange(listener: (record: RunRecord) => void): () => void;
  pause(): Promise<Result<RunStatus>>;
  resume(): Promise<Result<RunStatus>>;
  stop(): Promise<Result<RunStatus>>;
  /** Sends live settings and records the change once the worker accepted it. */
  update(changes: Partial<LiveSettings>): Promise<Result<RunStatus>>;
  /** Drops the change listeners; the run goes on (unless stopped) and is still recorded to its end. */
  dispose(): void;
  /** Resolves once every change so far is in the store (call after the end, before relying on a reload). */
  saved(): Promise<void>;
  /**
   * Why the last save failed ("QuotaExceededError: …"), or null once a save went through. The
   * run goes on regardless and its record stays in this page (the store lists it as unsaved);
   * `onChange` listeners are called when this changes.
   */
  readonly saveError: string | null;
}

export interface StartRecordedRun {
  client: TrainingClient;
  /** null where IndexedDB is unavailable: the run is then kept in memory only. */
  store: RunStore | null;
  runId: string;
  widget: string;
  config: Partial<TrainConfig>;
  options?: Partial<RunOptions>;
  label?: string;
  group?: string | null;
  /** Keep the trained model in the worker after the end (to test it again, e.g. BN inference statistics); default false. */
  keepModel?: boolean;
  now?: () => number;
  /** Minimum time between two saves of progress (state changes and epochs save at once). */
  saveIntervalMs?: number;
}

export async function startRecordedRun(params: StartRecordedRun): Promise<Result<RecordedRun>> {
  const { client, store, runId, widget, now = () => Date.now(), saveIntervalMs = 1000 } = params;
  let config: TrainConfig;
  try {
    config = parseTrainConfig(params.config);
  } catch (e) {
    return { ok: false, error: { code: 'invalid-config', message: (e as Error).message } };
  }
  let record = createRunRecord({ id: runId, widget, label: params.label, group: params.group, config, now: now() });
  const listeners = new Set<(record: RunRecord) => void>();

  // Saves run one after another, so an older snapshot never overwrites a newer one. A failed
  // save (a full disk) must not stop the run: it is reported, and the next one tries again.
  let saving: Promise<void> = Promise.resolve();
  let saveError: string | null = null;
  const reportSave = (error: string | null) => {
    if (error === saveError) return;
    saveError = error;
    listeners.forEach((listener) => listener(record));
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    const snapshot = record;
    saving = saving
      .then(() => store?.put(snapshot))
      .then(
        () => reportSave(null),
        (e: unknown) => reportSave(e instanceof Error ? e.message : String(e)),
      );
    return saving;
  };
  const saveSoon = () => {
    timer ??= setTimeout(save, saveIntervalMs);
  };

  const release = store?.hold(runId) ?? (() => {});
  await save();

  const set = (next: RunRecord, urgent: boolean) => {
    if (next === record) return;
    record = next;
    listeners.forEach((listener) => listener(record));
    if (urgent) void save();
    else saveSoon();
  };

  const unsubscribe = client.onRun(runId, (event) => {
    // Progress and diagnostics arrive up to 10 times a second: saved at most once a second.
    set(applyRunEvent(record, event, now()), event.type !== 'progress' && event.type !== 'diagnostics' && event.type !== 'landscape');
    if (event.type === 'end') {
      // Keep the run's lock until its final state is written: released earlier, a reload in
      // between finds a 'running' record that nobody holds and lists a finished run as interrupted.
      void saving.then(release);
      unsubscribe();
      // The record keeps everything a widget shows; the worker's copy of the model is not needed
      // again, and 100 unreleased quick runs held ~240 MB there.
      if (!params.keepModel) void client.release(runId);
    }
  });

  const started = await client.start(runId, config, params.options);
  if (!started.ok) {
    unsubscribe();
    set(
      {
        ...record,
        state: 'failed',
        summary: {
          steps: 0,
          epochs: 0,
          seconds: 0,
          samplesPerSecond: 0,
          train: null,
          validation: null,
          test: null,
          diverged: null,
          error: started.error.message,
        },
      },
      true,
    );
    release();
    return started;
  }
  set(applyStarted(record, started.value, now()), true);

  return {
    ok: true,
    value: {
      id: runId,
      get record() {
        return record;
      },
      onChange(listener) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
      pause: () => client.pause(runId),
      resume: () => client.resume(runId),
      stop: () => client.stop(runId),
      async update(changes) {
        const result = await client.update(runId, changes);
        if (result.ok) set(applySettingChange(record, result.value.step, changes, now()), true);
        return result;
      },
      dispose() {
        listeners.clear();
      },
      saved: () => (timer === undefined ? saving : save()),
      get saveError() {
        return saveError;
      },
    },
  };
}
