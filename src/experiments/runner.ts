/**
 * The experiment kit's runner: drives a plan's queue through the training clients, one run per
 * client at a time — several at once on several workers, or one after another for a plan that
 * times its arms (`sequential`, so every arm is timed alone) — records every run in the saved-runs store (one group per plan run, see planGroupId) with what
 * the plan asks to record, and turns the worker's end states into queue states. No DOM: an
 * element subscribes with `onChange`.
 */
import type { RunRecord } from '@client/run-record';
import { startRecordedRun, type RecordedRun } from '@client/run-recorder';
import type { RunStore } from '@client/run-store';
import type { TrainingClient } from '@client/training-client';
import type { DiagnosticsEvent, LandscapeEvent } from '@engine/worker/protocol.ts';
import { expandPlan, plannedRuns, planGroupId, type ExperimentPlan, type PlanEntry } from './plan';
import {
  cancelEntry,
  cancelPending,
  markEnded,
  markFailed,
  markRunning,
  nextEntry,
  planQueue,
  type EntryState,
  type QueueEntry,
} from './queue';

export interface PlanRunner {
  readonly queue: readonly QueueEntry[];
  /** The record of each started entry, by entry key. */
  readonly records: ReadonlyMap<string, RunRecord>;
  /** The saved group id of this plan run. */
  readonly group: string;
  /** Called after every queue or record change. */
  onChange(listener: () => void): () => void;
  /** Cancels a pending entry, or stops the running one (it ends as cancelled). */
  cancel(key: string): void;
  /** Cancels everything left, including the running entry. */
  cancelAll(): void;
  /** Resolves when no entry is pending or running. */
  readonly finished: Promise<void>;
  /** The client an entry ran on (its kept model lives in that worker), or null before it started. */
  clientOf(key: string): TrainingClient | null;
}

export interface RunPlanOptions {
  /** Workers to train on, each with the data loaded: one run each at a time (a sequential plan uses the first). */
  clients: readonly TrainingClient[];
  store: RunStore | null;
  plan: ExperimentPlan;
  newRunId: () => string;
  /** Diagnostics frames of each entry, when the plan records them. */
  onDiagnostics?: (key: string, event: DiagnosticsEvent) => void;
  /** Landscape samples of each entry, when the plan records them. */
  onLandscape?: (key: string, event: LandscapeEvent) => void;
  now?: () => number;
}

const ended = ['finished', 'stopped', 'diverged', 'failed'] as const;
type Ended = (typeof ended)[number];

/** Starts a plan (expandPlan throws on an invalid one: check planProblem first). */
export function runPlan(options: RunPlanOptions): PlanRunner {
  const { clients, store, plan } = options;
  if (clients.length === 0) throw new RangeError(`${plan.widget}: a plan needs at least one training client, received none`);
  const lanes = plan.sequential ? 1 : clients.length;
  const clientOf = new Map<string, TrainingClient>();
  const entries = new Map<string, PlanEntry>(expandPlan(plan).map((e) => [e.key, e]));
  let queue: QueueEntry[] = planQueue([...entries.values()]);
  const group = planGroupId(plan.widget, queue.length, options.now?.());
  const offEvents: (() => void)[] = [];
  const records = new Map<string, RunRecord>();
  const runs = new Map<string, RecordedRun>();
  const stopWhenStarted = new Set<string>();
  const listeners = new Set<() => void>();
  let resolveFinished: () => void = () => {};
  const finished = new Promise<void>((resolve) => (resolveFinished = resolve));
  const notify = () => listeners.forEach((listener) => listener());
  const busy = (state: EntryState) => state === 'pending' || state === 'running';

  /** A client no running entry uses, or null when every lane is busy. */
  function freeClient(): TrainingClient | null {
    const used = new Set(queue.filter((e) => e.state === 'running').map((e) => clientOf.get(e.key)));
    return clients.slice(0, lanes).find((c) => !used.has(c)) ?? null;
  }

  /** Starts pending entries while a lane is free; resolves `finished` once nothing is left. */
  function pump(): void {
    for (
      let entry = nextEntry(queue, lanes), client = freeClient();
      entry && client;
      entry = nextEntry(queue, lanes), client = freeClient()
    ) {
      void start(entry, client);
    }
    if (!queue.some((e) => busy(e.state))) {
      offEvents.forEach((off) => off());
      resolveFinished();
    }
  }

  async function start(entry: QueueEntry, client: TrainingClient): Promise<void> {
    const runId = options.newRunId();
    queue = markRunning(queue, entry.key, runId, lanes);
    clientOf.set(entry.key, client);
    notify();
    const diagnostics = plan.record.diagnostics ?? null;
    const onDiagnostics = options.onDiagnostics;
    const landscape = plan.record.landscape ?? null;
    const onLandscape = options.onLandscape;
    // Subscribed before the start request, so the first diagnostics frame or landscape sample is not missed.
    if (diagnostics && onDiagnostics)
      offEvents.push(client.onRun(runId, (event) => event.type === 'diagnostics' && onDiagnostics(entry.key, event)));
    if (landscape && onLandscape)
      offEvents.push(client.onRun(runId, (event) => event.type === 'landscape' && onLandscape(entry.key, event)));
    const started = await startRecordedRun({
      client,
      store,
      runId,
      widget: plan.widget,
      group,
      label: entry.key,
      config: entries.get(entry.key)!.config,
      options: {
        ...(diagnostics ? { diagnostics: { ...diagnostics } } : {}),
        ...(landscape ? { landscape: { every: landscape.every, multiples: [...landscape.multiples] } } : {}),
      },
      keepModel: plan.record.models === true,
    });
    if (!started.ok) {
      queue = markFailed(queue, entry.key, started.error.message);
      notify();
      pump();
      return;
    }
    const run = started.value;
    runs.set(entry.key, run);
    const follow = (record: RunRecord) => {
      records.set(entry.key, record);
      if (
        (ended as readonly string[]).includes(record.state) &&
        record.summary &&
        queue.find((e) => e.key === entry.key)?.state === 'running'
      ) {
        queue = markEnded(queue, entry.key, record.state as Ended, record.summary);
        runs.delete(entry.key);
        run.dispose();
        // The next entry (or the end of the plan) waits until this run's end is saved, so a reload never finds it unfinished.
        void run.saved().then(() => {
          notify();
          pump();
        });
        return;
      }
      notify();
    };
    run.onChange(follow);
    follow(run.record);
    if (stopWhenStarted.delete(entry.key)) void run.stop();
  }

  pump();

  return {
    get queue() {
      return queue;
    },
    records,
    group,
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
      const running = queue.filter((e) => e.state === 'running');
      for (const e of running) this.cancel(e.key);
      if (running.length === 0) resolveFinished();
    },
    finished,
    clientOf: (key) => clientOf.get(key) ?? null,
  };
}

/**
 * A saved plan run as a queue again (for display after a reload): each saved run is one entry,
 * named as it was saved, placed on the plan's axis by its own config and given the arm whose
 * settings it has — so a sweep over other values than today's controls still draws. `planned`
 * counts the runs the plan had when it started (runs cancelled before they started were never
 * saved), so a sweep cancelled after 2 of 10 reads "2 of 10".
 */
export function queueFromRecords(plan: ExperimentPlan, saved: readonly RunRecord[]): { queue: QueueEntry[]; planned: number } {
  const armOf = (r: RunRecord) =>
    plan.arms.find((arm) =>
      Object.entries(arm.config).every(([k, v]) => JSON.stringify(r.config[k as keyof RunRecord['config']]) === JSON.stringify(v)),
    );
  const queue = [...saved]
    .sort((a, b) => a.createdAt - b.createdAt)
    .map((r): QueueEntry => {
      const arm = armOf(r);
      const position = plan.axis ? plan.axis.position(r.config[plan.axis.key] as never) : null;
      const base = {
        key: r.label,
        arm: arm?.id ?? r.label,
        armLabel: arm?.label ?? r.label,
        position: position !== null && Number.isFinite(position) ? position : null,
        runId: r.id,
        result: null,
        error: null,
      };
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
    });
  const group = saved[0]?.group ?? null;
  return { queue, planned: Math.max(queue.length, (group && plannedRuns(group)) || 0) };
}
