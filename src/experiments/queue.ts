/**
 * The experiment kit's queue, as plain data and pure transitions: one entry per run of a plan
 * (plan.ts), started in plan order, up to `lanes` at once (lanes.ts; one for a plan that times its
 * arms, so each time is measured alone). The runner owns the worker calls; these functions only
 * decide what comes next and record what happened, so the order, cancelling and failure handling
 * are tested without a browser.
 */
import type { RunSummary } from '@engine/worker/protocol.ts';
import type { PlanEntry } from './plan';

export type EntryState = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';
export const entryStates: readonly EntryState[] = ['pending', 'running', 'done', 'failed', 'cancelled'];

export interface SweepResult {
  validationAccuracy: number | null;
  validationLoss: number | null;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  secondsPerEpoch: number | null;
  samplesPerSecond: number;
}

export interface QueueEntry {
  /** Stable within one plan, readable: 'batch 32 · BN' (see expandPlan). */
  key: string;
  /** The arm's id and label ('batch', 'BN'). */
  arm: string;
  armLabel: string;
  /** Position on the swept axis, null without an axis. */
  position: number | null;
  state: EntryState;
  /** The worker's (and the saved run's) id once started. */
  runId: string | null;
  result: SweepResult | null;
  /** Why it failed, in words. */
  error: string | null;
}

/** The queue of a plan's entries, in the plan's run order, all pending. */
export function planQueue(entries: readonly PlanEntry[]): QueueEntry[] {
  return entries.map((e) => ({
    key: e.key,
    arm: e.arm.id,
    armLabel: e.arm.label,
    position: e.position,
    state: 'pending' as const,
    runId: null,
    result: null,
    error: null,
  }));
}

const runningCount = (queue: readonly QueueEntry[]) => queue.filter((e) => e.state === 'running').length;

/** The entry to start now: none while `lanes` are running, else the first pending one. */
export function nextEntry(queue: readonly QueueEntry[], lanes = 1): QueueEntry | null {
  if (runningCount(queue) >= lanes) return null;
  return queue.find((e) => e.state === 'pending') ?? null;
}

function change(queue: readonly QueueEntry[], key: string, from: readonly EntryState[], fields: Partial<QueueEntry>): QueueEntry[] {
  const entry = queue.find((e) => e.key === key);
  if (!entry) throw new RangeError(`experiment queue: no entry '${key}'`);
  if (!from.includes(entry.state))
    throw new RangeError(`experiment queue: entry '${key}' must be ${from.join(' or ')}, received ${entry.state}`);
  return queue.map((e) => (e.key === key ? { ...e, ...fields } : e));
}

export function markRunning(queue: readonly QueueEntry[], key: string, runId: string, lanes = 1): QueueEntry[] {
  const running = runningCount(queue);
  if (running >= lanes)
    throw new RangeError(
      `experiment queue: cannot start '${key}': ${lanes === 1 ? 'while another entry is running' : `${running} entries are running already`}, at most ${lanes} at once`,
    );
  return change(queue, key, ['pending'], { state: 'running', runId });
}

/** Records how a run ended: finished → done; diverged or failed → failed with the reason; stopped → cancelled. */
export function markEnded(
  queue: readonly QueueEntry[],
  key: string,
  state: 'finished' | 'stopped' | 'diverged' | 'failed',
  summary: RunSummary,
): QueueEntry[] {
  const result = resultOf(summary);
  switch (state) {
    case 'finished':
      return change(queue, key, ['running'], { state: 'done', result });
    case 'stopped':
      return change(queue, key, ['running'], { state: 'cancelled', result });
    case 'diverged':
      return change(queue, key, ['running'], {
        state: 'failed',
        result,
        error: `diverged at step ${summary.diverged?.step ?? summary.steps}`,
      });
    case 'failed':
      return change(queue, key, ['running'], { state: 'failed', result, error: summary.error ?? 'the run failed' });
  }
}

/** A start that the worker refused (bad config, no data): the entry fails, the queue goes on. */
export function markFailed(queue: readonly QueueEntry[], key: string, error: string): QueueEntry[] {
  return change(queue, key, ['pending', 'running'], { state: 'failed', error });
}

/** Cancels a pending entry (a running one is stopped by the element and ends as cancelled). */
export function cancelEntry(queue: readonly QueueEntry[], key: string): QueueEntry[] {
  return change(queue, key, ['pending'], { state: 'cancelled' });
}

export function cancelPending(queue: readonly QueueEntry[]): QueueEntry[] {
  return queue.map((e) => (e.state === 'pending' ? { ...e, state: 'cancelled' } : e));
}

export function countStates(queue: readonly QueueEntry[]): Record<EntryState, number> {
  const counts = Object.fromEntries(entryStates.map((s) => [s, 0])) as Record<EntryState, number>;
  for (const e of queue) counts[e.state]++;
  return counts;
}

export function resultOf(summary: RunSummary): SweepResult {
  return {
    validationAccuracy: summary.validation?.accuracy ?? null,
    validationLoss: summary.validation?.loss ?? null,
    trainAccuracy: summary.train?.accuracy ?? null,
    testAccuracy: summary.test?.accuracy ?? null,
    secondsPerEpoch: summary.epochs > 0 ? summary.seconds / summary.epochs : null,
    samplesPerSecond: summary.samplesPerSecond,
  };
}

/** Chart points of finished entries for one measured quantity: x is the axis position, one series per arm. */
export function sweepPoints(
  queue: readonly QueueEntry[],
  read: (r: SweepResult) => number | null,
): { x: number; series: string; value: number }[] {
  return queue.flatMap((e) => {
    const value = e.state === 'done' && e.result && e.position !== null ? read(e.result) : null;
    return value === null ? [] : [{ x: e.position!, series: e.armLabel, value }];
  });
}
