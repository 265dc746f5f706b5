import { describe, expect, test } from 'vitest';
import { experimentNamed } from '@experiments/experiments';
import type { RunRecord } from '@client/run-record';
import type { QueueEntry } from '@experiments/queue';
import { entryText } from '../run-controller/run-text';
import { axisPoints, finalTracePoints, firstBatchLoss, measuredText, pendingVerdict, statusLine, verdictText } from './model';

const entry = (key: string, state: QueueEntry['state'], fields: Partial<QueueEntry> = {}): QueueEntry => ({
  key,
  arm: 'none',
  armLabel: 'no BN',
  position: 1,
  state,
  runId: null,
  result: null,
  error: null,
  ...fields,
});
const result = {
  validationAccuracy: 0.9123,
  validationLoss: 0.3,
  trainAccuracy: 0.9,
  testAccuracy: null,
  secondsPerEpoch: 2.5,
  samplesPerSecond: 1600,
};
const lr = experimentNamed('lr-headroom');

describe('the experiment element’s words and points', () => {
  test('entryText with measuredText says what each run measured, or why it did not finish', () => {
    expect(entryText(entry('a', 'done', { result }), null, measuredText(lr))).toBe('done: 91.23 % validation accuracy, 2.5 s per epoch');
    expect(entryText(entry('a', 'failed', { error: 'diverged at step 7' }), null, measuredText(lr))).toBe('failed: diverged at step 7');
    expect(entryText(entry('a', 'running'), 'epoch 1 of 1')).toBe('running: epoch 1 of 1');
    expect(entryText(entry('a', 'done', { result }), null)).toBe('done: 91.23 % validation, 2.5 s per epoch');
  });

  test('statusLine counts runs while they go and says how they ended', () => {
    const queue = [entry('a', 'done', { result }), entry('b', 'running'), entry('c', 'pending')];
    expect(statusLine(queue, true)).toBe('1 of 3 runs ended, 1 running.');
    expect(statusLine([entry('a', 'pending'), entry('b', 'pending')], false)).toBe(
      '2 runs planned. Press start to train them in this page.',
    );
    // One run (the dropout-ensemble plan) is one run, not "1 runs".
    expect(statusLine([entry('a', 'pending')], false)).toBe('1 run planned. Press start to train it in this page.');
    expect(statusLine([entry('a', 'running')], true)).toBe('0 of 1 run ended, 1 running.');
    expect(statusLine([entry('a', 'done')], false)).toBe('The run ended.');
    expect(statusLine([entry('a', 'done', { result }), entry('b', 'failed', { error: 'diverged at step 3' })], false)).toBe(
      'All 2 runs ended (1 failed or diverged).',
    );
  });

  test('axisPoints puts finished runs at their axis value and a diverged run as a cross (null)', () => {
    const points = axisPoints(
      [
        entry('lr 1 · no BN', 'failed', { error: 'diverged at step 3' }),
        entry('lr 1 · BN', 'done', { arm: 'batch', armLabel: 'BN', result }),
      ],
      lr,
    );
    expect(points).toEqual([
      { x: 1, series: 'BN', value: 0.9123 },
      { x: 1, series: 'no BN', value: null },
    ]);
  });

  test('verdictText: pending and incomplete say so; a decided verdict leads with its outcome', () => {
    expect(verdictText({ state: 'pending' })).toEqual({ outcome: 'pending', text: pendingVerdict });
    expect(verdictText({ state: 'incomplete', reason: 'a did not finish (cancelled)' }).text).toBe(
      'No verdict: a did not finish (cancelled). Start again to answer the question.',
    );
    expect(
      verdictText({ state: 'decided', value: { outcome: 'holds only when', condition: 'batches hold 8 or more', reason: 'Measured.' } }),
    ).toEqual({
      outcome: 'holds only when',
      text: 'Verdict: holds only when batches hold 8 or more. Measured.',
    });
  });

  test('finalTracePoints places each finished run’s last traced value at its axis position, and nothing for the others', () => {
    const traces: Record<string, { value: number }[]> = { a: [{ value: 5 }, { value: 3 }], b: [{ value: 9 }], c: [{ value: 1 }], d: [] };
    const queue = [
      entry('a', 'done', { result, position: 0.001, armLabel: 'Adam + L2' }),
      entry('b', 'running', { position: 0.01 }),
      entry('c', 'failed', { error: 'diverged at step 3', position: 0.1 }),
      entry('d', 'done', { result, position: 1 }),
      entry('e', 'done', { result, position: null }),
    ];
    expect(finalTracePoints(queue, (k) => traces[k])).toEqual([{ x: 0.001, series: 'Adam + L2', value: 3 }]);
  });

  test('firstBatchLoss reads the first mini-batch’s loss only when the record kept step 1', () => {
    const record = (steps: number[]) =>
      ({
        progress: steps.map((step) => ({ step, epoch: step / 10, loss: 2, accuracy: 0.1, batchLoss: step + 0.5 })),
      }) as unknown as RunRecord;
    expect(firstBatchLoss(record([1, 5]))).toBe(1.5);
    expect(firstBatchLoss(record([3, 5]))).toBeNull();
    expect(firstBatchLoss(record([]))).toBeNull();
    expect(firstBatchLoss(undefined)).toBeNull();
  });
});
