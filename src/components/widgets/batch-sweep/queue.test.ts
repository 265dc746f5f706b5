import { describe, expect, test } from 'vitest';
import type { RunSummary } from '@engine/worker/protocol.ts';
import { cancelEntry, cancelPending, countStates, markEnded, markFailed, markRunning, nextEntry, planQueue, sweepPoints } from './queue';

const summary = (fields: Partial<RunSummary> = {}): RunSummary => ({
  steps: 94,
  epochs: 1,
  seconds: 0.5,
  samplesPerSecond: 6000,
  train: { loss: 0.4, accuracy: 0.88 },
  validation: { loss: 0.3, accuracy: 0.91 },
  test: { loss: 0.31, accuracy: 0.9 },
  diverged: null,
  error: null,
  ...fields,
});

describe('batch-sweep queue', () => {
  test('planQueue(sizes, norms) orders entries by batch size, without then with BN, dropping duplicates', () => {
    const queue = planQueue([64, 16, 64], ['none', 'batch']);
    expect(queue.map((e) => e.key)).toEqual(['b16-none', 'b16-batch', 'b64-none', 'b64-batch']);
    expect(queue.every((e) => e.state === 'pending' && e.runId === null)).toBe(true);
    expect(() => planQueue([16, 0], ['none'])).toThrow(/received 0/);
    expect(() => planQueue([16], [])).toThrow(/at least one/);
  });

  test('runs one entry at a time, in order, and records how each ended', () => {
    let q = planQueue([16, 32], ['none']);
    const first = nextEntry(q)!;
    expect(first.key).toBe('b16-none');
    q = markRunning(q, first.key, 'run-a');
    expect(nextEntry(q)).toBeNull();
    expect(() => markRunning(q, 'b32-none', 'run-b')).toThrow(/while another entry is running/);
    q = markEnded(q, first.key, 'finished', summary());
    expect(q[0]).toMatchObject({ state: 'done', runId: 'run-a', result: { validationAccuracy: 0.91, secondsPerEpoch: 0.5, testAccuracy: 0.9 } });
    const second = nextEntry(q)!;
    expect(second.key).toBe('b32-none');
    q = markEnded(markRunning(q, second.key, 'run-b'), second.key, 'diverged', summary({ diverged: { step: 12, loss: Infinity }, epochs: 0 }));
    expect(q[1]).toMatchObject({ state: 'failed', error: 'diverged at step 12', result: { secondsPerEpoch: null } });
    expect(nextEntry(q)).toBeNull();
    expect(countStates(q)).toEqual({ pending: 0, running: 0, done: 1, failed: 1, cancelled: 0 });
  });

  test('cancelling: a pending entry is skipped, a stopped run counts as cancelled, cancelPending empties the queue', () => {
    let q = planQueue([16, 32, 64], ['batch']);
    q = cancelEntry(q, 'b16-batch');
    expect(nextEntry(q)!.key).toBe('b32-batch');
    q = markRunning(q, 'b32-batch', 'r');
    expect(() => cancelEntry(q, 'b32-batch')).toThrow(/must be pending, received running/);
    q = markEnded(q, 'b32-batch', 'stopped', summary());
    q = cancelPending(q);
    expect(q.map((e) => e.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(() => cancelEntry(q, 'b8-batch')).toThrow(/no entry 'b8-batch'/);
  });

  test('a start the worker refused fails the entry with its reason and the queue moves on', () => {
    let q = planQueue([16, 32], ['none']);
    q = markFailed(q, 'b16-none', 'the data is not loaded yet');
    expect(q[0]).toMatchObject({ state: 'failed', error: 'the data is not loaded yet' });
    expect(nextEntry(q)!.key).toBe('b32-none');
  });

  test('sweepPoints lists only finished entries, labelled by norm', () => {
    let q = planQueue([16, 32], ['none', 'batch']);
    q = markEnded(markRunning(q, 'b16-none', 'a'), 'b16-none', 'finished', summary());
    q = markEnded(markRunning(q, 'b16-batch', 'b'), 'b16-batch', 'finished', summary({ validation: null }));
    q = markEnded(markRunning(q, 'b32-none', 'c'), 'b32-none', 'stopped', summary());
    expect(sweepPoints(q, (r) => r.validationAccuracy)).toEqual([{ batchSize: 16, series: 'no BN', value: 0.91 }]);
    expect(sweepPoints(q, (r) => r.secondsPerEpoch)).toHaveLength(2);
  });
});
