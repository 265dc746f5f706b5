import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, test } from 'vitest';
import { parseTrainConfig } from '@engine/train/config.ts';
import { openRunStore } from '@client/run-store';
import { driverWorker } from '@client/testing/fake-worker';
import { createTrainingClient } from '@client/training-client';
import { planQueue } from './queue';
import { queueFromRecords, runSweep, widgetName } from './runner';

async function setup() {
  const client = createTrainingClient(driverWorker());
  await client.loadData({ manifestUrl: 'http://localhost/data/mnist.json' });
  const store = await openRunStore({ indexedDB: new IDBFactory() });
  let n = 0;
  return { client, store, newRunId: () => `run-${++n}` };
}

describe('runSweep({ client, store, queue, … })', () => {
  test('runs the entries one after another, never two at once, and saves each run in one group', async () => {
    const { client, store, newRunId } = await setup();
    const queue = planQueue([25, 50], ['none', 'batch']);
    const runner = runSweep({ client, store, queue, group: 'g1', newRunId, configOf: (e) => parseTrainConfig({ hidden: [8], epochs: 1, batchSize: e.batchSize, norm: e.norm }) });
    let maxRunning = 0;
    runner.onChange(() => (maxRunning = Math.max(maxRunning, runner.queue.filter((e) => e.state === 'running').length)));
    await runner.finished;
    expect(maxRunning).toBe(1);
    expect(runner.queue.map((e) => [e.key, e.state, e.runId])).toEqual([
      ['b25-none', 'done', 'run-1'],
      ['b25-batch', 'done', 'run-2'],
      ['b50-none', 'done', 'run-3'],
      ['b50-batch', 'done', 'run-4'],
    ]);
    expect(runner.queue.every((e) => typeof e.result!.validationAccuracy === 'number' && e.result!.secondsPerEpoch! > 0)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    const saved = await store.list({ widget: widgetName });
    expect(saved).toHaveLength(4);
    expect(new Set(saved.map((r) => r.group))).toEqual(new Set(['g1']));
    const again = queueFromRecords(saved);
    expect(again.map((e) => [e.key, e.state])).toEqual(runner.queue.map((e) => [e.key, e.state]));
    expect(again[0].result?.validationAccuracy).toBe(runner.queue[0].result?.validationAccuracy);
  });

  test('a refused start fails its entry and the sweep goes on', async () => {
    const { client, store, newRunId } = await setup();
    const runner = runSweep({
      client,
      store,
      queue: planQueue([25, 50], ['none']),
      group: 'g2',
      newRunId,
      configOf: (e) => ({ ...parseTrainConfig({ hidden: [8], epochs: 1 }), batchSize: e.batchSize === 25 ? -1 : e.batchSize }),
    });
    await runner.finished;
    expect(runner.queue[0].state).toBe('failed');
    expect(runner.queue[0].error).toMatch(/batchSize/);
    expect(runner.queue[1].state).toBe('done');
  });

  test('cancelAll stops the running entry and cancels the pending ones', async () => {
    const { client, store, newRunId } = await setup();
    const runner = runSweep({ client, store, queue: planQueue([10, 20, 30], ['none']), group: 'g3', newRunId, configOf: (e) => parseTrainConfig({ hidden: [8], epochs: 50, batchSize: e.batchSize }) });
    await new Promise<void>((resolve) => {
      const off = runner.onChange(() => {
        if ((runner.records.get('b10-none')?.progress.length ?? 0) > 0) {
          off();
          resolve();
        }
      });
    });
    runner.cancelAll();
    await runner.finished;
    expect(runner.queue.map((e) => e.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(runner.queue[0].runId).toBe('run-1');
    expect(runner.queue[1].runId).toBeNull();
    expect(runner.records.get('b10-none')?.state).toBe('stopped');
  });
});
