import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '@engine/worker/protocol.ts';
import { parseTrainConfig } from '@engine/train/config.ts';
import { createTrainingClient, newRunId, type ClientError } from './training-client';
import { driverWorker, FakeWorker } from './testing/fake-worker';

const manifestUrl = 'http://localhost/data/mnist.json';

describe('createTrainingClient(worker)', () => {
  it('loads data with progress, runs a config to the end and delivers its events to subscribers', async () => {
    const client = createTrainingClient(driverWorker());
    const progress: number[] = [];
    const data = await client.loadData({ manifestUrl, onProgress: (p) => progress.push(p.loaded / p.total) });
    expect(data).toMatchObject({ ok: true, value: { train: 300, source: 'network' } });
    expect(progress).toEqual([0.5, 1]);

    const runId = newRunId();
    const events: RunEvent[] = [];
    const all: RunEvent[] = [];
    client.onEvent((e) => all.push(e));
    const ended = new Promise<void>((done) => client.onRun(runId, (e) => (events.push(e), e.type === 'end' && done())));
    const started = await client.start(runId, { hidden: [8], epochs: 2, batchSize: 30 });
    expect(started).toMatchObject({ ok: true, value: { runId, stepsPerEpoch: 10, totalSteps: 20 } });
    await ended;
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(2);
    expect(events.at(-1)).toMatchObject({ type: 'end', state: 'finished' });
    expect(all).toEqual(events);
  });

  it('shares one load between concurrent callers, answers later calls at once, and retries after a failure', async () => {
    const worker = new FakeWorker();
    let fail = true;
    worker.onPost = (m) => {
      const { id } = m as { id: number };
      worker.deliver(
        fail
          ? {
              type: 'reply',
              id,
              request: 'load-data',
              ok: false,
              error: { code: 'data-download', message: 'could not download x: HTTP 503' },
            }
          : {
              type: 'reply',
              id,
              request: 'load-data',
              ok: true,
              result: { train: 1, validation: 1, test: 1, features: 1, source: 'cache', seconds: 0 },
            },
      );
    };
    const client = createTrainingClient(worker);
    const [a, b] = await Promise.all([client.loadData({ manifestUrl }), client.loadData({ manifestUrl })]);
    expect(worker.sent).toHaveLength(1);
    expect(a).toEqual({ ok: false, error: { code: 'data-download', message: 'could not download x: HTTP 503' } });
    expect(b).toBe(a);
    fail = false;
    expect(await client.loadData({ manifestUrl })).toMatchObject({ ok: true });
    expect(await client.loadData({ manifestUrl })).toMatchObject({ ok: true });
    expect(worker.sent).toHaveLength(2);
  });

  it('rejects a bad config before sending anything, as a typed result', async () => {
    const worker = driverWorker();
    const client = createTrainingClient(worker);
    const result = await client.start('r', { batchSize: -4 });
    expect(result).toEqual({
      ok: false,
      error: { code: 'invalid-config', message: 'train config: batchSize must be an integer in [1, 4096], received -4' },
    });
    expect(worker.sent).toHaveLength(0);
  });

  it('passes worker errors through as typed results (unknown run, no data)', async () => {
    const client = createTrainingClient(driverWorker());
    expect(await client.pause('nope')).toEqual({
      ok: false,
      error: { code: 'unknown-run', message: "pause: no run 'nope' in this worker (ended runs are forgotten after 4 newer ones end)" },
    });
    expect(await client.start('r', {})).toMatchObject({ ok: false, error: { code: 'no-data' } });
  });

  it('reports messages of no known type and replies to unknown requests through onError, without settling anything', async () => {
    const worker = new FakeWorker();
    const client = createTrainingClient(worker);
    const errors: ClientError[] = [];
    client.onError((e) => errors.push(e));
    worker.deliver({ type: 'gossip', runId: 'r' });
    worker.deliver({ type: 'reply', id: 99, request: 'pause', ok: true, result: { runId: 'r', state: 'paused', step: 1 } });
    worker.deliver('hello');
    expect(errors.map((e) => e.code)).toEqual(['protocol', 'protocol', 'protocol']);
    expect(errors[0].message).toBe('worker sent a message of no known type: {"type":"gossip","runId":"r"}');
    expect(errors[1].message).toBe('worker sent a pause reply for unknown request 99');
    expect(errors[2].message).toBe("worker sent a message of no known type: 'hello'");
  });

  it('probes an ended run in the worker, reporting progress against the declared cost, and passes a refusal through with its reason', async () => {
    const client = createTrainingClient(driverWorker());
    await client.loadData({ manifestUrl });
    const ended = new Promise<void>((done) => client.onRun('bn', (e) => e.type === 'end' && done()));
    await client.start('bn', { hidden: [8], norm: 'batch', dropout: 0, epochs: 1, batchSize: 30 });
    await ended;
    const progress: number[] = [];
    const result = await client.probe(
      'bn',
      { kind: 'inference-stats', batchSizes: [1, 8] },
      { onProgress: (p) => progress.push(p.done / p.total) },
    );
    expect(result).toMatchObject({ ok: true, value: { kind: 'inference-stats', batch: [{ batchSize: 1 }, { batchSize: 8 }] } });
    expect(progress[0]).toBe(0);
    expect(await client.probe('bn', { kind: 'dropout-ensemble', samples: [1, 10], limit: 50, seed: 1 })).toEqual({
      ok: false,
      error: {
        code: 'bad-state',
        message: "probe: testing dropout as an ensemble needs dropout; run 'bn' has none (rate 0), so there are no masks to sample",
      },
    });
  });

  it('settles a request whose reply names another request type as a protocol error', async () => {
    const worker = new FakeWorker();
    worker.onPost = (m) =>
      worker.deliver({
        type: 'reply',
        id: (m as { id: number }).id,
        request: 'resume',
        ok: true,
        result: { runId: 'r', state: 'running', step: 0 },
      });
    const client = createTrainingClient(worker);
    expect(await client.pause('r')).toEqual({ ok: false, error: { code: 'protocol', message: 'expected a pause reply, received resume' } });
  });

  it('settles every pending request when the worker crashes, and refuses new ones', async () => {
    const worker = new FakeWorker();
    const client = createTrainingClient(worker);
    const errors: ClientError[] = [];
    client.onError((e) => errors.push(e));
    const pending = client.stop('r');
    worker.crash('out of memory');
    const crashed = {
      ok: false,
      error: { code: 'worker-crashed', message: 'the training worker stopped: out of memory; start again to use a fresh one' },
    };
    expect(await pending).toEqual(crashed);
    expect(await client.resume('r')).toEqual(crashed);
    expect(client.alive).toBe(false);
    expect(errors).toHaveLength(1);
  });

  it('ends every run it started as failed when the worker crashes, so records and widgets leave "running"', async () => {
    const worker = driverWorker();
    const client = createTrainingClient(worker);
    await client.loadData({ manifestUrl });
    const ends: RunEvent[] = [];
    client.onRun('r', (e) => e.type === 'end' && ends.push(e));
    expect(await client.start('r', { hidden: [8], epochs: 50, batchSize: 30 })).toMatchObject({ ok: true });
    worker.crash('boom');
    expect(ends).toEqual([
      {
        type: 'end',
        runId: 'r',
        state: 'failed',
        summary: expect.objectContaining({ error: 'the training worker stopped: boom; start again to use a fresh one' }),
      },
    ]);
    expect(worker.terminated).toBe(true);
  });

  describe('with a worker that goes silent', () => {
    afterEach(() => void vi.useRealTimers());

    it('times out a request the worker never answers, ends the client and terminates the worker', async () => {
      vi.useFakeTimers();
      const worker = new FakeWorker(); // answers nothing
      const client = createTrainingClient(worker, { requestTimeoutMs: 2000 });
      const stop = client.stop('r');
      await vi.advanceTimersByTimeAsync(3500);
      expect(await stop).toEqual({
        ok: false,
        error: {
          code: 'worker-timeout',
          message: 'the training worker did not answer stop within 2 s; it was closed, start again to use a fresh one',
        },
      });
      expect(worker.terminated).toBe(true);
      expect(client.alive).toBe(false);
    });

    it('does not blame the worker for time the page spent asleep (a late timer extends the deadlines)', async () => {
      vi.useFakeTimers();
      const worker = new FakeWorker();
      const client = createTrainingClient(worker, { requestTimeoutMs: 2000 });
      const stop = client.stop('r');
      vi.setSystemTime(Date.now() + 60_000); // the laptop slept for a minute, no timer ran
      await vi.advanceTimersByTimeAsync(1000);
      expect(client.alive).toBe(true);
      worker.deliver({ type: 'reply', id: 1, request: 'stop', ok: true, result: { runId: 'r', state: 'stopped', step: 1 } });
      expect(await stop).toMatchObject({ ok: true });
    });

    it('times out a load only when progress stops, not while it flows', async () => {
      vi.useFakeTimers();
      const worker = new FakeWorker();
      const client = createTrainingClient(worker, { loadStallMs: 3000 });
      const load = client.loadData({ manifestUrl });
      for (let i = 0; i < 5; i++) {
        await vi.advanceTimersByTimeAsync(2000);
        worker.deliver({ type: 'data-progress', id: 1, loaded: i, total: 10, source: 'network' });
      }
      expect(client.alive).toBe(true);
      await vi.advanceTimersByTimeAsync(5000);
      expect(await load).toMatchObject({
        ok: false,
        error: { code: 'worker-timeout', message: expect.stringContaining('sent nothing about the data for 3 s') },
      });
    });

    it('keeps a probe alive while its progress flows, far past the request deadline, and times it out only when progress stops', async () => {
      vi.useFakeTimers();
      const worker = new FakeWorker();
      const client = createTrainingClient(worker, { requestTimeoutMs: 2000, probeStallMs: 4000 });
      const probe = client.probe('r', { kind: 'inference-stats', batchSizes: [1] });
      for (let i = 0; i < 10; i++) {
        worker.deliver({ type: 'probe-progress', id: 1, done: i, total: 10 });
        await vi.advanceTimersByTimeAsync(3000);
      }
      expect(client.alive).toBe(true);
      await vi.advanceTimersByTimeAsync(6000);
      expect(await probe).toEqual({
        ok: false,
        error: {
          code: 'worker-timeout',
          message: 'the training worker sent nothing about the probe for 4 s; it was closed, start again to use a fresh one',
        },
      });
    });

    it('pings after a silence while a run is going, and fails the run when the worker closed itself', async () => {
      vi.useFakeTimers();
      const worker = new FakeWorker();
      let answering = true;
      worker.onPost = (m) => {
        const { type, id } = m as { type: string; id: number };
        if (!answering) return; // self.close(): no error event, no replies
        if (type === 'start')
          worker.deliver({
            type: 'reply',
            id,
            request: 'start',
            ok: true,
            result: {
              runId: 'r',
              config: parseTrainConfig({}),
              summary: { rows: [], trainable: 0, nonTrainable: 0, total: 0 },
              stepsPerEpoch: 1,
              totalSteps: 1,
              trainCount: 1,
              validationCount: 1,
            },
          });
      };
      const client = createTrainingClient(worker, { silenceMs: 2000, requestTimeoutMs: 2000 });
      const ends: RunEvent[] = [];
      client.onRun('r', (e) => ends.push(e));
      expect(await client.start('r', {})).toMatchObject({ ok: true });
      answering = false;
      await vi.advanceTimersByTimeAsync(6000);
      expect(worker.sent.map((m) => (m as { type: string }).type)).toEqual(['start', 'ping']);
      expect(ends).toMatchObject([
        {
          type: 'end',
          state: 'failed',
          summary: { error: 'the training worker did not answer ping within 2 s; it was closed, start again to use a fresh one' },
        },
      ]);
    });
  });

  it('stops delivering events after unsubscribe and terminates the worker', () => {
    const worker = new FakeWorker();
    const client = createTrainingClient(worker);
    const seen: string[] = [];
    const off = client.onRun('r', (e) => seen.push(e.type));
    worker.deliver({ type: 'state', runId: 'r', state: 'paused', step: 3 });
    worker.deliver({ type: 'state', runId: 'other', state: 'paused', step: 3 });
    off();
    worker.deliver({ type: 'state', runId: 'r', state: 'running', step: 3 });
    expect(seen).toEqual(['state']);
    client.terminate();
    expect(worker.terminated).toBe(true);
    expect(client.alive).toBe(false);
  });
});

describe('newRunId()', () => {
  it('makes distinct ids', () => {
    const ids = new Set(Array.from({ length: 50 }, newRunId));
    expect(ids.size).toBe(50);
  });
});
