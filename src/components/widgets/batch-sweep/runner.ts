/**
 * Drives a sweep queue through the training client: starts the next entry when the previous
 * one has ended, records every run in the saved-runs store (one group per sweep), and turns
 * the worker's end states into queue states. No DOM: the element subscribes with `onChange`.
 */
import type { RunRecord } from '@client/run-record';
import { startRecordedRun, type RecordedRun } from '@client/run-recorder';
import type { RunStore } from '@client/run-store';
import type { TrainingClient } from '@client/training-client';
import type { TrainConfig } from '@engine/train/config.ts';
import { cancelEntry, cancelPending, markEnded, markFailed, markRunning, nextEntry, type EntryState, type QueueEntry } from './queue';

export const widgetName = 'batch-sweep';

export interface SweepRunner {
  readonly queue: readonly QueueEntry[];
  /** The record of each started entry, by entry key. */
  readonly records: ReadonlyMap<string, RunRecord>;
  /** Called after every queue or record change. */
  onChange(listener: () => void): () => void;
  /** Cancels a pending entry, or stops the running one (it ends as cancelled). */
  cancel(key: string): void;
  /** Cancels everything left, including the running entry. */
  cancelAll(): void;
  /** Resolves when no entry is pending or running. */
  readonly finished: Promise<void>;
}

export interface SweepOptions {
  client: TrainingClient;
  store: RunStore | null;
  queue: readonly QueueEntry[];
  configOf: (entry: QueueEntry) => TrainConfig;
  group: string;
  newRunId: () => string;
}

const ended = ['finished', 'stopped', 'diverged', 'failed'] as const;
type Ended = (typeof ended)[number];

export function runSweep(options: SweepOptions): SweepRunner {
  const { client, store, configOf, group } = options;
  let queue: QueueEntry[] = [...options.queue];
  const records = new Map<string, RunRecord>();
  const runs = new Map<string, RecordedRun>();
  const stopWhenStarted = new Set<string>();
  const listeners = new Set<() => void>();
  let resolveFinished: () => void = () => {};
  const finished = new Promise<void>((resolve) => (resolveFinished = resolve));
  const notify = () => listeners.forEach((listener) => listener());
  const busy = (state: EntryState) => state === 'pending' || state === 'running';

  async function pump(): Promise<void> {
    const entry = nextEntry(queue);
    if (!entry) {
      if (!queue.some((e) => busy(e.state))) resolveFinished();
      return;
    }
    const runId = options.newRunId();
    queue = markRunning(queue, entry.key, runId);
    notify();
    const started = await startRecordedRun({ client, store, runId, widget: widgetName, group, config: configOf(entry) });
    if (!started.ok) {
      queue = markFailed(queue, entry.key, started.error.message);
      notify();
      void pump();
      return;
    }
    const run = started.value;
    runs.set(entry.key, run);
    const follow = (record: RunRecord) => {
      records.set(entry.key, record);
      if ((ended as readonly string[]).includes(record.state) && record.summary && queue.find((e) => e.key === entry.key)?.state === 'running') {
        queue = markEnded(queue, entry.key, record.state as Ended, record.summary);
        runs.delete(entry.key);
        run.dispose();
        notify();
        void pump();
        return;
      }
      notify();
    };
    run.onChange(follow);
    follow(run.record);
    if (stopWhenStarted.delete(entry.key)) void run.stop();
  }

  void pump();

  return {
    get queue() {
      return queue;
    },
    records,
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    cancel(key) {
      const entry = queue.find((e) => e.key === key);
      if (!entry) return;
      if (entry.state === 'pending') {
        queue = cancelEntry(queue, key);
        notify();
        if (!queue.some((e) => busy(e.state))) resolveFinished();
      } else if (entry.state === 'running') {
        const run = runs.get(key);
        if (run) void run.stop();
        else stopWhenStarted.add(key);
      }
    },
    cancelAll() {
      queue = cancelPending(queue);
      notify();
      const running = queue.find((e) => e.state === 'running');
      if (running) this.cancel(running.key);
      else resolveFinished();
    },
    finished,
  };
}

/** A saved sweep as a queue again (for display after a reload): each saved run is one entry. */
export function queueFromRecords(saved: readonly RunRecord[]): QueueEntry[] {
  return saved
    .map((r): QueueEntry => {
      const { batchSize, norm } = r.config;
      const base = { key: `b${batchSize}-${norm}`, batchSize, norm, runId: r.id, result: null, error: null };
      const summary = r.summary;
      switch (r.state) {
        case 'finished':
        case 'stopped':
        case 'diverged':
        case 'failed':
          if (!summary) return { ...base, state: 'failed', error: 'no summary was saved' };
          return markEnded([{ ...base, state: 'running' }], base.key, r.state, summary)[0];
        case 'interrupted':
          return { ...base, state: 'failed', error: 'interrupted: the tab closed before it finished' };
        default:
          return { ...base, state: 'cancelled', error: 'not finished when this page loaded' };
      }
    })
    .sort((a, b) => a.batchSize - b.batchSize || (a.norm === b.norm ? 0 : a.norm === 'none' ? -1 : 1));
}
