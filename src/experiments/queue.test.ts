import { describe, expect, test } from 'vitest';
import type { RunSummary } from '@engine/worker/protocol.ts';
import { axisOf, bnArms } from './axes';
import { expandPlan, type ExperimentPlan } from './plan';
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

/** A batch-size sweep plan's queue, as the kit builds it. */
function sweep(sizes: number[], norms: ('none' | 'batch')[]) {
  const plan: ExperimentPlan = {
    widget: 't',
    base: { hidden: [8] },
    arms: bnArms.filter((a) => norms.includes(a.id as 'none' | 'batch')),
    axis: axisOf('batch', sizes),
    seeds: [1],
    record: {},
    chart: 'sweep',
  };
  return planQueue(expandPlan(plan));
}

describe('experiment queue', () => {
  test('planQueue(entries) keeps the plan order: each point without then with BN', () => {
    const queue = sweep([16, 64], ['none', 'batch']);
    expect(queue.map((e) => e.key)).toEqual(['batch 16 · no BN', 'batch 16 · BN', 'batch 64 · no BN', 'batch 64 · BN']);
    expect(queue.map((e) => [e.arm, e.position])).toEqual([
      ['none', 16],
      ['batch', 16],
      ['none', 64],
      ['batch', 64],
    ]);
    expect(queue.every((e) => e.state === 'pending' && e.runId === null)).toBe(true);
  });

  test('runs one entry at a time, in order, and records how each ended', () => {
    let q = sweep([16, 32], ['none']);
    const first = nextEntry(q)!;
    expect(first.key).toBe('batch 16 · no BN');
    q = markRunning(q, first.key, 'run-a');
    expect(nextEntry(q)).toBeNull();
    expect(() => markRunning(q, 'batch 32 · no BN', 'run-b')).toThrow(/while another entry is running/);
    q = markEnded(q, first.key, 'finished', summary());
    expect(q[0]).toMatchObject({
      state: 'done',
      runId: 'run-a',
      result: { validationAccuracy: 0.91, secondsPerEpoch: 0.5, testAccuracy: 0.9 },
    });
    const second = nextEntry(q)!;
    expect(second.key).toBe('batch 32 · no BN');
    q = markEnded(
      markRunning(q, second.key, 'run-b'),
      second.key,
      'diverged',
      summary({ diverged: { step: 12, loss: Infinity }, epochs: 0 }),
    );
    expect(q[1]).toMatchObject({ state: 'failed', error: 'diverged at step 12', result: { secondsPerEpoch: null } });
    expect(nextEntry(q)).toBeNull();
    expect(countStates(q)).toEqual({ pending: 0, running: 0, done: 1, failed: 1, cancelled: 0 });
  });

  test('with two lanes, two entries run at once and a third waits for one of them', () => {
    let q = sweep([16, 32], ['none', 'batch']);
    q = markRunning(q, nextEntry(q, 2)!.key, 'run-a', 2);
    q = markRunning(q, nextEntry(q, 2)!.key, 'run-b', 2);
    expect(q.map((e) => e.state)).toEqual(['running', 'running', 'pending', 'pending']);
    expect(nextEntry(q, 2)).toBeNull();
    expect(() => markRunning(q, 'batch 32 · no BN', 'run-c', 2)).toThrow(/2 entries are running already/);
    q = markEnded(q, 'batch 16 · BN', 'finished', summary());
    expect(nextEntry(q, 2)!.key).toBe('batch 32 · no BN');
  });

  test('cancelling: a pending entry is skipped, a stopped run counts as cancelled, cancelPending empties the queue', () => {
    let q = sweep([16, 32, 64], ['batch']);
    q = cancelEntry(q, 'batch 16 · BN');
    expect(nextEntry(q)!.key).toBe('batch 32 · BN');
    q = markRunning(q, 'batch 32 · BN', 'r');
    expect(() => cancelEntry(q, 'batch 32 · BN')).toThrow(/must be pending, received running/);
    q = markEnded(q, 'batch 32 · BN', 'stopped', summary());
    q = cancelPending(q);
    expect(q.map((e) => e.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(() => cancelEntry(q, 'batch 8 · BN')).toThrow(/no entry 'batch 8 · BN'/);
  });

  test('a start the worker refused fails the entry with its reason and the queue moves on', () => {
    let q = sweep([16, 32], ['none']);
    q = markFailed(q, 'batch 16 · no BN', 'the data is not loaded yet');
    expect(q[0]).toMatchObject({ state: 'failed', error: 'the data is not loaded yet' });
    expect(nextEntry(q)!.key).toBe('batch 32 · no BN');
  });

  test('sweepPoints lists only finished entries, at their axis position, labelled by arm', () => {
    let q = sweep([16, 32], ['none', 'batch']);
    q = markEnded(markRunning(q, 'batch 16 · no BN', 'a'), 'batch 16 · no BN', 'finished', summary());
    q = markEnded(markRunning(q, 'batch 16 · BN', 'b'), 'batch 16 · BN', 'finished', summary({ validation: null }));
    q = markEnded(markRunning(q, 'batch 32 · no BN', 'c'), 'batch 32 · no BN', 'stopped', summary());
    expect(sweepPoints(q, (r) => r.validationAccuracy)).toEqual([{ x: 16, series: 'no BN', value: 0.91 }]);
    expect(sweepPoints(q, (r) => r.secondsPerEpoch)).toHaveLength(2);
  });
});
