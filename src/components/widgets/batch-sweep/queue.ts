/**
 * The batch-size sweep's queue, as plain data and pure transitions: one entry per (batch size,
 * norm), run strictly one after another so each run's time per epoch is measured alone. The
 * element owns the worker calls; these functions only decide what comes next and record what
 * happened, so the order, cancelling and failure handling are tested without a browser.
 */
import type { RunSummary } from '@engine/worker/protocol.ts';

export type Norm = 'none' | 'batch';
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
  /** Stable within one sweep: `b<size>-<norm>`. */
  key: string;
  batchSize: number;
  norm: Norm;
  state: EntryState;
  /** The worker's (and the saved run's) id once started. */
  runId: string | null;
  result: SweepResult | null;
  /** Why it failed, in words. */
  error: string | null;
}

export const normLabels: Record<Norm, string> = { none: 'no BN', batch: 'BN' };

/** Entries in run order: each batch size without then with BN, smallest first, so both lines grow together. */
export function planQueue(batchSizes: readonly number[], norms: readonly Norm[]): QueueEntry[] {
  const bad = batchSizes.find((b) => !(Number.isInteger(b) && b >= 1));
  if (bad !== undefined) throw new RangeError(`planQueue: batch sizes must be positive integers, received ${bad}`);
  if (norms.length === 0) throw new RangeError('planQueue: norms must list at least one of none, batch, received none');
  const sizes = [...new Set(batchSizes)].sort((a, b) => a - b);
  return sizes.flatMap((batchSize) =>
    norms.map((norm) => ({ key: `b${batchSize}-${norm}`, batchSize, norm, state: 'pending' as const, runId: null, result: null, error: null })),
  );
}

/** The entry to start now: none while one is running, else the first pending one. */
export function nextEntry(queue: readonly QueueEntry[]): QueueEntry | null {
  if (queue.some((e) => e.state === 'running')) return null;
  return queue.find((e) => e.state === 'pending') ?? null;
}

function change(queue: readonly QueueEntry[], key: string, from: readonly EntryState[], fields: Partial<QueueEntry>): QueueEntry[] {
  const entry = queue.find((e) => e.key === key);
  if (!entry) throw new RangeError(`sweep queue: no entry '${key}'`);
  if (!from.includes(entry.state)) throw new RangeError(`sweep queue: entry '${key}' must be ${from.join(' or ')}, received ${entry.state}`);
  return queue.map((e) => (e.key === key ? { ...e, ...fields } : e));
}

export function markRunning(queue: readonly QueueEntry[], key: string, runId: string): QueueEntry[] {
  if (queue.some((e) => e.state === 'running')) throw new RangeError(`sweep queue: cannot start '${key}' while another entry is running`);
  return change(queue, key, ['pending'], { state: 'running', runId });
}

/** Records how a run ended: finished → done; diverged or failed → failed with the reason; stopped → cancelled. */
export function markEnded(queue: readonly QueueEntry[], key: string, state: 'finished' | 'stopped' | 'diverged' | 'failed', summary: RunSummary): QueueEntry[] {
  const result = resultOf(summary);
  switch (state) {
    case 'finished':
      return change(queue, key, ['running'], { state: 'done', result });
    case 'stopped':
      return change(queue, key, ['running'], { state: 'cancelled', result });
    case 'diverged':
      return change(queue, key, ['running'], { state: 'failed', result, error: `diverged at step ${summary.diverged?.step ?? summary.steps}` });
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

/** Chart points of finished entries for one measured quantity. */
export function sweepPoints(queue: readonly QueueEntry[], read: (r: SweepResult) => number | null): { batchSize: number; series: string; value: number }[] {
  return queue.flatMap((e) => {
    const value = e.state === 'done' && e.result ? read(e.result) : null;
    return value === null ? [] : [{ batchSize: e.batchSize, series: normLabels[e.norm], value }];
  });
}
