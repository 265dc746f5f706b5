import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, test } from 'vitest';
import { openRunStore } from '@client/run-store';
import { driverWorker } from '@client/testing/fake-worker';
import { createTrainingClient } from '@client/training-client';
import { axisOf, bnArms } from './axes';
import type { ExperimentPlan } from './plan';
import { queueFromRecords, runPlan } from './runner';

async function setup() {
  const client = createTrainingClient(driverWorker());
  await client.loadData({ manifestUrl: 'http://localhost/data/mnist.json' });
  const store = await openRunStore({ indexedDB: new IDBFactory() });
  let n = 0;
  return { client, store, newRunId: () => `run-${++n}` };
}

const sweep = (sizes: number[], epochs = 1, arms = bnArms): ExperimentPlan => ({
  widget: 'kit-test',
  base: { hidden: [8], epochs },
  arms,
  axis: axisOf('batch', sizes),
  seeds: [1],
  record: {},
  chart: 'sweep',
});

async function untilProgress(runner: ReturnType<typeof runPlan>, key: string): Promise<void> {
  await new Promise<void>((resolve) => {
    const off = runner.onChange(() => {
      if ((runner.records.get(key)?.progress.length ?? 0) > 0) {
        off();
        resolve();
      }
    });
  });
}

describe('runPlan({ clients: [client], store, plan, … })', () => {
  test('runs the entries one after another, never two at once, and saves each run in one group', async () => {
    const { client, store, newRunId } = await setup();
    const runner = runPlan({ clients: [client], store, newRunId, plan: sweep([25, 50]) });
    let maxRunning = 0;
    runner.onChange(() => (maxRunning = Math.max(maxRunning, runner.queue.filter((e) => e.state === 'running').length)));
    await runner.finished;
    expect(maxRunning).toBe(1);
    expect(runner.queue.map((e) => [e.key, e.state, e.runId])).toEqual([
      ['batch 25 · no BN', 'done', 'run-1'],
      ['batch 25 · BN', 'done', 'run-2'],
      ['batch 50 · no BN', 'done', 'run-3'],
      ['batch 50 · BN', 'done', 'run-4'],
    ]);
    expect(runner.queue.every((e) => typeof e.result!.validationAccuracy === 'number' && e.result!.secondsPerEpoch! > 0)).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    const saved = await store.list({ widget: 'kit-test' });
    expect(saved).toHaveLength(4);
    expect(new Set(saved.map((r) => r.group))).toEqual(new Set([runner.group]));
    expect(saved.find((r) => r.label === 'batch 50 · BN')?.config).toMatchObject({ batchSize: 50, norm: 'batch', hidden: [8] });
    const again = queueFromRecords(sweep([16]), saved);
    expect(again.planned).toBe(4);
    expect(again.queue.map((e) => [e.key, e.state, e.arm, e.position])).toEqual(
      runner.queue.map((e) => [e.key, e.state, e.arm, e.position]),
    );
    expect(again.queue[0].result?.validationAccuracy).toBe(runner.queue[0].result?.validationAccuracy);
  });

  test('a start the worker refuses (no data loaded) fails its entry with the reason, and the plan goes on', async () => {
    const client = createTrainingClient(driverWorker());
    let n = 0;
    const runner = runPlan({ clients: [client], store: null, newRunId: () => `r${++n}`, plan: sweep([25]) });
    await runner.finished;
    expect(runner.queue.map((e) => e.state)).toEqual(['failed', 'failed']);
    expect(runner.queue[1].error).toMatch(/data/i);
  });

  test('an invalid plan is refused before anything starts, naming the run and the setting', async () => {
    const { client, store, newRunId } = await setup();
    expect(() => runPlan({ clients: [client], store, newRunId, plan: sweep([1, 25]) })).toThrow(
      /batch 1 · BN: batchSize 1 with norm 'batch' cannot train/,
    );
  });

  test('cancelAll stops the running entry and cancels the pending ones; the saved group still knows it planned 3', async () => {
    const { client, store, newRunId } = await setup();
    const runner = runPlan({ clients: [client], store, newRunId, plan: sweep([10, 20, 30], 50, [bnArms[0]]) });
    await untilProgress(runner, 'batch 10 · no BN');
    runner.cancelAll();
    await runner.finished;
    expect(runner.queue.map((e) => e.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(runner.queue[0].runId).toBe('run-1');
    expect(runner.queue[1].runId).toBeNull();
    expect(runner.records.get('batch 10 · no BN')?.state).toBe('stopped');
    await new Promise((r) => setTimeout(r, 20));
    const restored = queueFromRecords(sweep([10, 20, 30], 50, [bnArms[0]]), await store.list({ widget: 'kit-test' }));
    expect(restored.planned).toBe(3);
    expect(restored.queue.map((e) => e.state)).toEqual(['cancelled']);
  });

  test('records diagnostics frames when the plan asks for them', async () => {
    const { client, store, newRunId } = await setup();
    const frames: string[] = [];
    const plan: ExperimentPlan = { ...sweep([25], 1, [bnArms[1]]), record: { diagnostics: { intervalMs: 100, bins: 8 } } };
    const runner = runPlan({ clients: [client], store, newRunId, plan, onDiagnostics: (key) => frames.push(key) });
    await runner.finished;
    expect(frames.length).toBeGreaterThan(0);
    expect(new Set(frames)).toEqual(new Set(['batch 25 · BN']));
  });

  test('with two clients, two runs go at once, one per client, and each seeded run gives the numbers it gives alone', async () => {
    const alone = await setup();
    const sequential = runPlan({ clients: [alone.client], store: null, newRunId: alone.newRunId, plan: sweep([25, 50]) });
    await sequential.finished;
    const second = createTrainingClient(driverWorker());
    await second.loadData({ manifestUrl: 'http://localhost/data/mnist.json' });
    const runner = runPlan({ clients: [alone.client, second], store: null, newRunId: alone.newRunId, plan: sweep([25, 50]) });
    let maxRunning = 0;
    runner.onChange(() => (maxRunning = Math.max(maxRunning, runner.queue.filter((e) => e.state === 'running').length)));
    await runner.finished;
    expect(maxRunning).toBe(2);
    expect(new Set(runner.queue.map((e) => runner.clientOf(e.key)))).toEqual(new Set([alone.client, second]));
    const numbers = (r: typeof runner) =>
      r.queue.map((e) => [e.key, e.state, e.result?.validationAccuracy, e.result?.validationLoss, e.result?.trainAccuracy]);
    expect(numbers(runner)).toEqual(numbers(sequential));
    expect(runner.queue.every((e) => e.state === 'done')).toBe(true);
  });

  test('a sequential plan (one that times its arms) runs one at a time however many clients there are', async () => {
    const { client, newRunId } = await setup();
    const second = createTrainingClient(driverWorker());
    await second.loadData({ manifestUrl: 'http://localhost/data/mnist.json' });
    const runner = runPlan({ clients: [client, second], store: null, newRunId, plan: { ...sweep([25, 50]), sequential: true } });
    let maxRunning = 0;
    runner.onChange(() => (maxRunning = Math.max(maxRunning, runner.queue.filter((e) => e.state === 'running').length)));
    await runner.finished;
    expect(maxRunning).toBe(1);
    expect(runner.queue.every((e) => runner.clientOf(e.key) === client)).toBe(true);
  });

  test('cancelAll stops every running entry of a parallel plan', async () => {
    const { client, newRunId } = await setup();
    const second = createTrainingClient(driverWorker());
    await second.loadData({ manifestUrl: 'http://localhost/data/mnist.json' });
    const runner = runPlan({ clients: [client, second], store: null, newRunId, plan: sweep([10, 20], 50, [bnArms[0]]) });
    await untilProgress(runner, 'batch 10 · no BN');
    await untilProgress(runner, 'batch 20 · no BN');
    runner.cancelAll();
    await runner.finished;
    expect(runner.queue.map((e) => e.state)).toEqual(['cancelled', 'cancelled']);
    expect([...runner.records.values()].map((r) => r.state)).toEqual(['stopped', 'stopped']);
  });
});
