import { describe, expect, test } from 'vitest';
import type { QueueEntry } from './queue';
import { claimVerdict } from './claim';
import { lrHeadroom } from './claims/lr-headroom';
import { result } from './claims/testing';

describe('claimVerdict(experiment, queue, extras)', () => {
  const experiment = lrHeadroom;
  const entry = (key: string, state: QueueEntry['state'], fields: Partial<QueueEntry> = {}): QueueEntry => ({
    key,
    arm: 'none',
    armLabel: 'no BN',
    position: 1,
    state,
    runId: 'r',
    result: state === 'pending' || state === 'running' ? null : result(0.9),
    error: null,
    ...fields,
  });

  test('is pending while any run is pending or running, and never calls the verdict function then', () => {
    expect(claimVerdict(experiment, [entry('a', 'done'), entry('b', 'running')], () => undefined)).toEqual({ state: 'pending' });
  });

  test('counts a diverged run as a finished outcome, a cancelled one as missing', () => {
    const diverged = entry('lr 3 · no BN', 'failed', { position: 3, error: 'diverged at step 12' });
    const bn = entry('lr 3 · BN', 'done', { arm: 'batch', armLabel: 'BN', position: 3 });
    const decided = claimVerdict(experiment, [diverged, bn], () => undefined);
    expect(decided).toMatchObject({ state: 'decided', value: { outcome: 'holds' } });
    expect(claimVerdict(experiment, [entry('a', 'cancelled'), bn], () => undefined)).toEqual({
      state: 'incomplete',
      reason: 'a did not finish (cancelled)',
    });
  });
});
