import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { startRecordedRun } from './run-recorder';
import type { RunRecord } from './run-record';
import { openRunStore, type RunStore } from './run-store';
import { driverWorker } from './testing/fake-worker';
import { createTrainingClient } from './training-client';

async function setup() {
  const client = createTrainingClient(driverWorker());
  await client.loadData({ manifestUrl: 'http://localhost/data/mnist.json' });
  const store = await openRunStore({ indexedDB: new IDBFactory() });
  return { client, store };
}

const whenEnded = (run: { record: RunRecord; onChange(l: (r: RunRecord) => void): () => void }) =>
  new Promise<RunRecord>((done) => {
    if (!['starting', 'running', 'paused'].includes(run.record.state)) return done(run.record);
    run.onChange((r) => !['starting', 'running', 'paused'].includes(r.state) && done(r));
  });

/** The store write after a state change is asynchronous: wait for it rather than for a fixed time. */
async function storedWhen(store: RunStore, id: string, ready: (r: RunRecord) => boolean): Promise<RunRecord> {
  for (let tries = 0; tries < 500; tries++) {
    const record = await store.get(id);
    if (record && ready(record)) return record;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`run ${id} was not stored in the expected state within 5 s`);
}

describe('startRecordedRun({ client, store, … })', () => {
  it('writes the record before the run starts and saves the finished run with its history', async () => {
    const { client, store } = await setup();
    const saved: string[] = [];
    const put = store.put;
    store.put = (record) => (saved.push(`${record.id}:${record.state}`), put(record));
    const started = await startRecordedRun({
      client,
      store,
      runId: 'r1',
      widget: 'training-run',
      config: { hidden: [8], epochs: 2, batchSize: 30 },
    });
    if (!started.ok) throw new Error(started.error.message);
    expect(saved[0]).toBe('r1:starting');
    const ended = await whenEnded(started.value);
    expect(ended.state).toBe('finished');
    const stored = await storedWhen(store, 'r1', (r) => r.state === 'finished');
    expect(stored.epochs).toHaveLength(2);
    expect(stored.summary?.test).not.toBeNull();
    expect(stored.info?.stepsPerEpoch).toBe(10);
    expect(stored.label).toBe('no BN · Adam lr 0.001 · batch 30');
    expect(saved.at(-1)).toBe('r1:finished');
  });

  it('records accepted live changes with their step and ignores rejected ones', async () => {
    const { client, store } = await setup();
    const started = await startRecordedRun({
      client,
      store,
      runId: 'r2',
      widget: 'training-run',
      config: { hidden: [8], epochs: 50, batchSize: 30 },
    });
    if (!started.ok) throw new Error(started.error.message);
    const run = started.value;
    await run.pause();
    expect((await run.update({ lr: 0.01 })).ok).toBe(true);
    expect((await run.update({ weightDecay: 0.1 })).ok).toBe(false);
    expect(run.record.changes).toEqual([{ step: expect.any(Number), changes: { lr: 0.01 } }]);
    await run.stop();
    expect((await whenEnded(run)).state).toBe('stopped');
    expect((await storedWhen(store, 'r2', (r) => r.state === 'stopped')).changes).toHaveLength(1);
  });

  it('saves a run the worker refused as failed, with the reason', async () => {
    const client = createTrainingClient(driverWorker()); // no data loaded
    const store = await openRunStore({ indexedDB: new IDBFactory() });
    const result = await startRecordedRun({ client, store, runId: 'r3', widget: 'training-run', config: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'no-data' } });
    expect(await storedWhen(store, 'r3', (r) => r.state === 'failed')).toMatchObject({
      state: 'failed',
      summary: { error: expect.stringContaining('not loaded') },
    });
  });

  it('rejects a bad config without saving anything', async () => {
    const { client, store } = await setup();
    const result = await startRecordedRun({ client, store, runId: 'r4', widget: 'training-run', config: { epochs: 0 } });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-config' } });
    expect(await store.list()).toEqual([]);
  });

  it('works without a store, keeping the record in memory', async () => {
    const { client } = await setup();
    const started = await startRecordedRun({
      client,
      store: null,
      runId: 'r5',
      widget: 'training-run',
      config: { hidden: [8], epochs: 1, batchSize: 60 },
    });
    if (!started.ok) throw new Error(started.error.message);
    expect((await whenEnded(started.value)).epochs).toHaveLength(1);
  });

  it('releases an ended run in the worker, keeping the record', async () => {
    const { client, store } = await setup();
    const started = await startRecordedRun({
      client,
      store,
      runId: 'r6',
      widget: 'training-run',
      config: { hidden: [8], epochs: 50, batchSize: 30 },
    });
    if (!started.ok) throw new Error(started.error.message);
    await started.value.stop();
    await whenEnded(started.value);
    let answer = await client.pause('r6');
    for (let tries = 0; tries < 500 && answer.ok; tries++) {
      await new Promise((r) => setTimeout(r, 10));
      answer = await client.pause('r6');
    }
    expect(answer).toMatchObject({ ok: false, error: { code: 'unknown-run' } });
    expect(started.value.record.state).toBe('stopped');
  });

  it('saves the run as failed with the reason when the worker crashes mid-run', async () => {
    const worker = driverWorker();
    const client = createTrainingClient(worker);
    await client.loadData({ manifestUrl: 'http://localhost/data/mnist.json' });
    const store = await openRunStore({ indexedDB: new IDBFactory() });
    const started = await startRecordedRun({
      client,
      store,
      runId: 'r7',
      widget: 'training-run',
      config: { hidden: [8], epochs: 50, batchSize: 30 },
    });
    if (!started.ok) throw new Error(started.error.message);
    worker.crash('out of memory');
    expect((await whenEnded(started.value)).state).toBe('failed');
    expect(await storedWhen(store, 'r7', (r) => r.state === 'failed')).toMatchObject({
      state: 'failed',
      summary: { error: 'the training worker stopped: out of memory; start again to use a fresh one' },
    });
  });

  it('reports a save refused for lack of space at once, goes on training, and keeps the run readable in the page', async () => {
    const { client, store } = await setup();
    const put = store.put;
    let puts = 0;
    store.put = (record) =>
      ++puts > 1 ? put(record).then(() => Promise.reject(new Error('QuotaExceededError: The quota has been exceeded.'))) : put(record);
    const started = await startRecordedRun({
      client,
      store,
      runId: 'r8',
      widget: 'training-run',
      config: { hidden: [8], epochs: 2, batchSize: 30 },
    });
    if (!started.ok) throw new Error(started.error.message);
    const run = started.value;
    const errors = new Set<string | null>();
    run.onChange(() => errors.add(run.saveError));
    expect((await whenEnded(run)).state).toBe('finished');
    await run.saved();
    expect(run.saveError).toBe('QuotaExceededError: The quota has been exceeded.');
    expect(errors).toContain('QuotaExceededError: The quota has been exceeded.');
    expect(run.record.epochs).toHaveLength(2);
  });

  it('forgets the save error once a later save goes through', async () => {
    const { client, store } = await setup();
    const put = store.put;
    let full = false;
    store.put = (record) => (full ? Promise.reject(new Error('AbortError: the transaction was aborted')) : put(record));
    const started = await startRecordedRun({
      client,
      store,
      runId: 'r9',
      widget: 'training-run',
      config: { hidden: [8], epochs: 50, batchSize: 30 },
    });
    if (!started.ok) throw new Error(started.error.message);
    full = true;
    await started.value.pause();
    await started.value.saved();
    await expect.poll(() => started.value.saveError).toBe('AbortError: the transaction was aborted');
    full = false;
    await started.value.stop();
    await whenEnded(started.value);
    await started.value.saved();
    expect(started.value.saveError).toBeNull();
  });
});
