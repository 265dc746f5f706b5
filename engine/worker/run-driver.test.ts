import { beforeEach, describe, expect, it } from 'vitest';
import { backendNames, type BackendName } from '../backend.ts';
import type { Dataset } from '../data/mnist.ts';
import { createRandom } from '../random.ts';
import { parseTrainConfig, type TrainConfig } from '../train/config.ts';
import { createDriver, type RunRequest } from './run-driver.ts';
import { maxProbeMacs } from './probes/index.ts';
import {
  defaultRunOptions,
  type EndEvent,
  type FromWorker,
  type OkReply,
  type ProbeArgs,
  type ProbeKind,
  type ProbeResultOf,
  type Reply,
  type RunEvent,
  type RunOptions,
} from './protocol.ts';

/** An easy 10-class problem: class c lights up features 2c and 2c+1 over faint noise. */
function toyDataset(count: number, seed: number): Dataset {
  const F = 20;
  const random = createRandom(seed);
  const images = new Uint8Array(count * F);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const c = Math.floor(random() * 10);
    labels[i] = c;
    for (let f = 0; f < F; f++) images[i * F + f] = Math.floor(random() * 60);
    images[i * F + 2 * c] = 255;
    images[i * F + 2 * c + 1] = 200;
  }
  return { images, labels, count, features: F };
}

const data = { train: toyDataset(400, 1), validation: toyDataset(100, 2), test: toyDataset(100, 3) };

/** The backend every run of the current describe block trains on (set by its beforeEach). */
let backend: BackendName = 'wasm';

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

function setup(clockStep = 1) {
  let t = 0;
  const clock = () => t;
  const events: FromWorker[] = [];
  const driver = createDriver({ now: () => (t += clockStep), emit: (e) => events.push(e) });
  driver.data = data;
  let id = 0;
  const send = (r: WithoutId<Exclude<RunRequest, { type: 'probe' }>>): Reply => driver.handle({ ...r, id: ++id } as RunRequest)!;
  /** Sends a probe and works until it is answered (at once when refused); returns the reply and the work calls it took. */
  const probe = <K extends ProbeKind>(runId: string, args: Extract<ProbeArgs, { kind: K }>) => {
    const request = { type: 'probe', id: ++id, runId, probe: args } as const;
    const refused = driver.handle(request);
    let calls = 0;
    const answer = () => events.find((e): e is Reply => e.type === 'reply' && e.id === request.id);
    while (!refused && !answer() && calls < 100_000) {
      driver.work(5);
      calls++;
    }
    const reply = refused ?? answer()!;
    return {
      reply,
      calls,
      result: (reply.ok && reply.request === 'probe' ? reply.result : null) as ProbeResultOf<K> | null,
      id: request.id,
    };
  };
  const start = (runId: string, config: Partial<TrainConfig>, options: Partial<RunOptions> = {}) =>
    send({
      type: 'start',
      runId,
      config: parseTrainConfig({ hidden: [16], batchSize: 20, epochs: 2, backend, ...config }),
      options: { ...defaultRunOptions, ...options },
    });
  const runToEnd = (limit = 10_000) => {
    for (let i = 0; i < limit && driver.work(5); i++);
  };
  const of = <T extends RunEvent['type']>(type: T, runId?: string) =>
    events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type && (!runId || (e as RunEvent).runId === runId));
  return { driver, events, send, probe, start, runToEnd, of, clock };
}

describe.each(backendNames)('createDriver({ now, emit }), %s backend', (name) => {
  beforeEach(() => {
    backend = name;
  });

  it('refuses to start before the data is loaded', () => {
    const driver = createDriver({ now: () => 0, emit: () => {} });
    const reply = driver.handle({ type: 'start', id: 1, runId: 'r', config: parseTrainConfig({}), options: defaultRunOptions });
    expect(reply).toMatchObject({ ok: false, error: { code: 'no-data' } });
  });

  it('trains a run to the end: model summary, one epoch event per epoch with validation, test at the end, accuracy far above chance', () => {
    const { start, runToEnd, of } = setup();
    const reply = start('r', { norm: 'batch', bnMomentum: 0.9, lr: 0.01 }) as Extract<OkReply, { request: 'start' }>;
    expect(reply.ok).toBe(true);
    expect(reply.result).toMatchObject({ runId: 'r', stepsPerEpoch: 20, totalSteps: 40, trainCount: 400, validationCount: 100 });
    expect(reply.result.summary.rows.map((r) => r.type)).toEqual([
      'Flatten',
      'Dense',
      'BatchNormalization',
      'Activation',
      'Dropout',
      'Dense',
    ]);
    expect(of('state')).toEqual([{ type: 'state', runId: 'r', state: 'running', step: 0 }]);
    runToEnd();
    const epochs = of('epoch');
    expect(epochs.map((e) => [e.epoch, e.step])).toEqual([
      [1, 20],
      [2, 40],
    ]);
    expect(epochs.every((e) => e.validation !== null && e.test === null && e.seconds > 0)).toBe(true);
    const ends = of('end');
    expect(ends).toHaveLength(1);
    expect(ends[0].state).toBe('finished');
    expect(ends[0].summary).toMatchObject({ steps: 40, epochs: 2, diverged: null, error: null });
    expect(ends[0].summary.test!.accuracy).toBeGreaterThan(0.5);
    expect(ends[0].summary.validation).toEqual(epochs[1].validation);
    const last = of('progress').at(-1)!;
    expect([last.step, last.totalSteps, last.epoch, last.stepInEpoch]).toEqual([40, 40, 1, 20]);
  });

  it('throttles progress events to one per interval plus one at each epoch end', () => {
    const { start, runToEnd, of, clock } = setup(1);
    start('r', { epochs: 3 }, { progressIntervalMs: 100 });
    runToEnd();
    // The fake clock advances 1 ms per reading: the throttled ones fit in clock() / 100, plus 3
    // epoch ends and the final one.
    const progress = of('progress');
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(clock() / 100) + 3 + 1);
    expect(progress.length).toBeGreaterThan(4);
  });

  it('does not step a paused run and continues where it was after resume', () => {
    const { driver, send, start, of } = setup();
    start('r', {});
    driver.work(3);
    const pause = send({ type: 'pause', runId: 'r' });
    expect(pause).toMatchObject({ ok: true, result: { state: 'paused' } });
    const at = (pause as Extract<OkReply, { request: 'pause' }>).result.step;
    expect(of('progress').at(-1)!.step).toBe(at);
    expect(driver.work(50)).toBe(false);
    expect(driver.busy).toBe(false);
    expect(send({ type: 'resume', runId: 'r' })).toMatchObject({ ok: true, result: { state: 'running', step: at } });
    driver.work(3);
    expect(of('state').map((e) => e.state)).toEqual(['running', 'paused', 'running']);
    expect((send({ type: 'pause', runId: 'r' }) as Extract<OkReply, { request: 'pause' }>).result.step).toBeGreaterThan(at);
  });

  it('applies a live setting from the next step and rejects settings the run cannot take', () => {
    const { driver, send, start } = setup();
    start('r', {});
    driver.work(2);
    expect(send({ type: 'update', runId: 'r', changes: { lr: 0.01, dropout: 0.5 } })).toEqual({
      type: 'reply',
      id: 2,
      request: 'update',
      ok: true,
      result: { runId: 'r', state: 'running', step: expect.any(Number) },
    });
    expect(send({ type: 'update', runId: 'r', changes: { weightDecay: 0.1 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid-config', message: expect.stringContaining("weightDecay needs optimizer 'adamw'") },
    });
  });

  it('ends a run whose loss stops being finite as diverged, naming the step', () => {
    const { start, runToEnd, of } = setup();
    start('r', { lr: 10, epochs: 50 });
    runToEnd();
    const end = of('end')[0] as EndEvent;
    expect(end.state).toBe('diverged');
    expect(end.summary.diverged!.step).toBeGreaterThan(0);
    expect(end.summary.diverged!.step).toBeLessThan(1000);
    const loss = end.summary.diverged!.loss;
    expect(loss > 1000 || !Number.isFinite(loss)).toBe(true); // config.divergeAbove defaults to 1000
    expect(end.summary.steps).toBe(end.summary.diverged!.step);
  });

  it('sends per-layer diagnostics while watched, at most once per interval', () => {
    const { driver, send, start, runToEnd, of } = setup();
    start('r', { norm: 'batch' });
    driver.work(10);
    expect(of('diagnostics')).toHaveLength(0);
    send({ type: 'watch', runId: 'r', diagnostics: { intervalMs: 100, bins: 8 } });
    runToEnd();
    const diagnostics = of('diagnostics');
    expect(diagnostics.length).toBeGreaterThan(0);
    const steps = diagnostics.map((d) => d.step);
    expect(new Set(steps).size).toBe(steps.length);
    const d = diagnostics[0];
    expect(d.layers.map((l) => l.name)).toEqual(['dense', 'batch_normalization', 'activation', 'dropout', 'dense_1']);
    expect(Number.isFinite(d.gradNorm)).toBe(true);
    const [dense, bn, activation] = d.layers;
    expect(dense.activations!.counts).toHaveLength(8);
    expect(dense.activations!.counts.reduce((a, b) => a + b, 0)).toBe(20 * 16);
    const kernel = dense.params.find((p) => p.name === 'kernel')!;
    expect(kernel.updateRatio).toBeGreaterThan(0);
    expect(kernel.updateRatio).toBeLessThan(1);
    expect(bn.movingMean).toHaveLength(16);
    expect(bn.batchVariance).toHaveLength(16);
    expect(activation.movingMean).toBeNull();
    expect(activation.activations!.min).toBeGreaterThanOrEqual(0); // after ReLU
    expect(activation.dead).toBeGreaterThanOrEqual(0);
    expect(activation.dead).toBeLessThanOrEqual(1);
    expect(dense.dead).toBeNull();
  });

  it('sends a watched run’s last step as a diagnostics frame even when the interval has not passed', () => {
    // A clock that never advances: the gate opens once, at the first step, and never again.
    const { send, start, runToEnd, of } = setup(0);
    start('r', {}, { diagnostics: { intervalMs: 100, bins: 8 } });
    runToEnd();
    const end = of('end')[0];
    expect(of('diagnostics').map((d) => d.step)).toEqual([1, end.summary.steps]);
    expect(send({ type: 'watch', runId: 'r', diagnostics: null })).toMatchObject({ ok: true, result: { step: end.summary.steps } });
  });

  it('sends the loss landscape of every k-th step of a run started with landscape options, and ends as an unprobed run does', () => {
    const { start, runToEnd, of } = setup();
    start('probed', { norm: 'batch' }, { landscape: { every: 5, multiples: [0.5, 2] } });
    start('plain', { norm: 'batch' });
    runToEnd();
    const samples = of('landscape', 'probed');
    // 400 images in batches of 20 for 2 epochs: steps 1, 6, …, 36.
    expect(samples.map((s) => s.step)).toEqual([1, 6, 11, 16, 21, 26, 31, 36]);
    expect(samples[0]).toMatchObject({ type: 'landscape', runId: 'probed', multiples: [0.5, 2] });
    expect(samples.every((s) => s.losses.length === 2 && s.lossRange >= 0 && s.smoothness > 0)).toBe(true);
    expect(of('landscape', 'plain')).toHaveLength(0);
    const [probed] = of('end', 'probed');
    const [plain] = of('end', 'plain');
    expect(probed.summary.validation).toEqual(plain.summary.validation);
    expect(probed.summary.train).toEqual(plain.summary.train);
  });

  it('advances two running runs in turns', () => {
    const { driver, send, start } = setup();
    start('a', {});
    start('b', { norm: 'batch' });
    const step = (runId: string) =>
      (send({ type: 'watch', runId, diagnostics: null }) as Extract<OkReply, { request: 'watch' }>).result.step;
    const seen: [number, number][] = [];
    for (let i = 0; i < 4; i++) {
      driver.work(1);
      seen.push([step('a'), step('b')]);
    }
    // The fake clock lets one step through per slice: a, b, a, b.
    expect(seen).toEqual([
      [1, 0],
      [1, 1],
      [2, 1],
      [2, 2],
    ]);
  });

  it('stops once, answers stop again without a second end event, and forgets a released run', () => {
    const { driver, send, start, of } = setup();
    start('r', {});
    driver.work(2);
    expect(send({ type: 'stop', runId: 'r' })).toMatchObject({ ok: true, result: { state: 'stopped' } });
    expect(send({ type: 'stop', runId: 'r' })).toMatchObject({ ok: true, result: { state: 'stopped' } });
    expect(of('end').map((e) => e.state)).toEqual(['stopped']);
    expect(send({ type: 'resume', runId: 'r' })).toMatchObject({
      ok: false,
      error: { code: 'bad-state', message: "resume: run 'r' has already stopped" },
    });
    expect(send({ type: 'start', runId: 'r', config: parseTrainConfig({}), options: defaultRunOptions })).toMatchObject({
      ok: false,
      error: { code: 'bad-state' },
    });
    expect(send({ type: 'release', runId: 'r' })).toMatchObject({ ok: true });
    expect(send({ type: 'pause', runId: 'r' })).toMatchObject({
      ok: false,
      error: { code: 'unknown-run', message: "pause: no run 'r' in this worker (ended runs are forgotten after 4 newer ones end)" },
    });
  });

  it('reports a configuration the session rejects as invalid-config', () => {
    const { send } = setup();
    const reply = send({ type: 'start', runId: 'r', config: { ...parseTrainConfig({}), batchSize: 0 }, options: defaultRunOptions });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-config', message: expect.stringContaining('batchSize') } });
  });

  it('tests an ended BN run three ways (running, recalibrated, batch statistics) and refuses runs without BN or still going', () => {
    const { start, runToEnd, probe } = setup();
    start('bn', { norm: 'batch', lr: 0.01 });
    expect(probe('bn', { kind: 'inference-stats', batchSizes: [1, 8] }).reply).toMatchObject({
      ok: false,
      error: { code: 'bad-state', message: expect.stringMatching(/needs a run that finished or was stopped.*'bn' is running/) },
    });
    runToEnd();
    const { result: r } = probe('bn', { kind: 'inference-stats', batchSizes: [1, 8, 100] });
    expect(r!.running.accuracy).toBeGreaterThan(0.5);
    expect(r!.recalibrated.accuracy).toBeGreaterThan(0.5);
    expect(r!.batch.map((b) => b.batchSize)).toEqual([1, 8, 100]);
    expect(r!.batch[0].evaluation.accuracy).toBeLessThan(0.3); // batch 1: every unit is β
    expect(r!.layers).toHaveLength(1);
    expect(r!.layers[0].runningMean).toHaveLength(16);
    // Asking again gives the same answer: the model's own statistics were put back.
    expect(probe('bn', { kind: 'inference-stats', batchSizes: [1, 8, 100] }).result!.running).toEqual(r!.running);
    start('plain', { norm: 'none' });
    runToEnd();
    expect(probe('plain', { kind: 'inference-stats', batchSizes: [8] }).reply).toMatchObject({
      ok: false,
      error: { code: 'bad-state', message: expect.stringMatching(/needs BN layers; run 'plain' has none/) },
    });
  });

  it('tests an ended run on intensity-changed test images (with batch statistics only for BN) and refuses a run still going', () => {
    const { start, runToEnd, probe } = setup();
    start('bn', { norm: 'batch', lr: 0.01 });
    const args = {
      kind: 'intensity-test',
      changes: [
        { contrast: 1, brightness: 0 },
        { contrast: 1, brightness: 0.4 },
      ],
      batchSize: 50,
      limit: 100,
    } as const;
    const request = () => ({ ...args, changes: [...args.changes] });
    expect(probe('bn', request()).reply).toMatchObject({
      ok: false,
      error: { code: 'bad-state', message: expect.stringMatching(/is running/) },
    });
    runToEnd();
    const [clean, bright] = probe('bn', request()).result!.results;
    expect(clean.firstLayerShift).toBe(0);
    expect(clean.batch).not.toBeNull();
    expect(bright.firstLayerShift).toBeGreaterThan(0.1);
    start('plain', { norm: 'none' });
    runToEnd();
    expect(probe('plain', request()).result!.results.map((r) => r.batch)).toEqual([null, null]);
  });

  it('tests an ended run with dropout as an ensemble of sampled masks (seeded: the same answer twice), and refuses a run without dropout or still going', () => {
    const { start, runToEnd, probe } = setup();
    start('d', { dropout: 0.5, lr: 0.01 });
    const args = () => ({ kind: 'dropout-ensemble', samples: [1, 10], limit: 100, seed: 1 }) as const satisfies ProbeArgs;
    expect(probe('d', { ...args(), samples: [1, 10] }).reply).toMatchObject({
      ok: false,
      error: { code: 'bad-state', message: expect.stringMatching(/is running/) },
    });
    runToEnd();
    const { result } = probe('d', { ...args(), samples: [1, 10] });
    expect(result!.ensembles.map((e) => e.samples)).toEqual([1, 10]);
    for (const e of result!.ensembles) {
      expect(e.accuracy).toBeGreaterThanOrEqual(0);
      expect(e.agreement).toBeGreaterThan(0.5);
    }
    // The same seed gives the same masks: asking again answers the same.
    expect(probe('d', { ...args(), samples: [1, 10] }).result).toEqual(result);
    start('plain', { dropout: 0 });
    runToEnd();
    expect(probe('plain', { ...args(), samples: [1] }).reply).toMatchObject({
      ok: false,
      error: { code: 'bad-state', message: expect.stringMatching(/needs dropout; run 'plain' has none \(rate 0\)/) },
    });
  });

  it("refuses feature maps for an MLP run (no conv blocks) with 'bad-state', naming the run and its model", () => {
    const { start, runToEnd, probe } = setup();
    start('plain', { norm: 'batch', lr: 0.01 });
    runToEnd();
    expect(probe('plain', { kind: 'feature-maps', layer: 0, count: 4, start: 0 }).reply).toMatchObject({
      ok: false,
      error: { code: 'bad-state', message: expect.stringMatching(/showing feature maps needs a ConvNet; run 'plain' is model 'mlp'/) },
    });
  });

  it('runs a probe in slices between messages: progress events against its declared cost, other requests answered meanwhile, one probe per run at a time', () => {
    const { driver, events, start, runToEnd, send } = setup(100);
    start('bn', { norm: 'batch', lr: 0.01 });
    runToEnd();
    const request: RunRequest = { type: 'probe', id: 900, runId: 'bn', probe: { kind: 'inference-stats', batchSizes: [1, 8] } };
    expect(driver.handle(request)).toBeNull();
    expect(driver.busy).toBe(true);
    const first = events.at(-1)!;
    // Declared cost: (16·20 + 16·10) multiply-adds a row, over the 400 training rows and 4 passes over the 100 test rows.
    expect(first).toEqual({ type: 'probe-progress', id: 900, done: 0, total: 480 * (400 + 4 * 100) });
    expect(driver.handle({ ...request, id: 901 })).toMatchObject({
      ok: false,
      error: { code: 'bad-state', message: expect.stringMatching(/being tested already/) },
    });
    driver.work(0);
    // Between two slices the worker answers other requests: a new run starts and stops.
    start('other', {});
    expect(send({ type: 'stop', runId: 'other' })).toMatchObject({ ok: true, result: { state: 'stopped' } });
    let calls = 1;
    while (!events.some((e) => e.type === 'reply' && e.id === 900)) {
      driver.work(0);
      calls++;
    }
    expect(calls).toBeGreaterThan(5);
    const progress = events.filter((e) => e.type === 'probe-progress');
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.every((p, i) => i === 0 || p.done >= progress[i - 1].done)).toBe(true);
    expect(progress.at(-1)!.done).toBeLessThanOrEqual(480 * 800);
    expect(events.find((e) => e.type === 'reply' && e.id === 900)).toMatchObject({
      ok: true,
      request: 'probe',
      result: { kind: 'inference-stats' },
    });
    expect(driver.busy).toBe(false);
  });

  it('refuses a probe over the cost limit before it starts, saying what it would cost and what to change', () => {
    const wide = { train: toyDataset(4000, 1), validation: toyDataset(10, 2), test: toyDataset(10_000, 3) };
    const events: FromWorker[] = [];
    const driver = createDriver({ now: () => 0, emit: (e) => events.push(e) });
    driver.data = wide;
    driver.handle({
      type: 'start',
      id: 1,
      runId: 'r',
      config: parseTrainConfig({
        hidden: [512, 512, 512, 512, 512, 512, 512, 512],
        norm: 'batch',
        batchSize: 32,
        epochs: 1,
        trainLimit: 40,
        backend,
      }),
      options: defaultRunOptions,
    });
    driver.handle({ type: 'stop', id: 2, runId: 'r' });
    // 20·512 + 7·512² + 512·10 multiply-adds a row, over 40 training rows and 6 passes over 10,000 test rows.
    const macs = (20 * 512 + 7 * 512 * 512 + 5120) * (40 + 60_000);
    expect(macs).toBeGreaterThan(maxProbeMacs);
    const reply = driver.handle({ type: 'probe', id: 3, runId: 'r', probe: { kind: 'inference-stats', batchSizes: [1, 8, 256, 512] } });
    expect(reply).toMatchObject({
      ok: false,
      error: {
        code: 'too-large',
        message: `probe: testing the BN model three ways on this model needs about ${(macs / 1e9).toFixed(0)} G multiply-adds, more than the 100 G a probe may use in the page (about a minute or more); use a smaller model or fewer images, or the CLI (npm run train), which has no such limit`,
      },
    });
    expect(driver.busy).toBe(false);
  });

  it('forgets ended runs beyond the newest four, so a page that never releases cannot fill the worker', () => {
    const { driver, send, start } = setup();
    for (let i = 0; i < 10; i++) {
      start(`r${i}`, {});
      driver.work(2);
      expect(send({ type: 'stop', runId: `r${i}` })).toMatchObject({ ok: true });
    }
    const known = Array.from({ length: 10 }, (_, i) => send({ type: 'watch', runId: `r${i}`, diagnostics: null }).ok);
    expect(known).toEqual([false, false, false, false, false, false, true, true, true, true]);
  });

  it('refuses a run too big to keep the page answering, before allocating it, and says what to change', () => {
    const { send } = setup();
    const reply = send({
      type: 'start',
      runId: 'huge',
      config: parseTrainConfig({ hidden: Array(16).fill(4096), batchSize: 4096 }),
      options: defaultRunOptions,
    });
    expect(reply).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-config',
        message: expect.stringMatching(/start: this model needs about [\d,]+ MB \([\d,]+ parameters\), more than the 256 MB/),
      },
    });
  });

  it('evaluates in slices: Stop is answered between two evaluation batches and no epoch event follows', () => {
    const big = { train: toyDataset(40, 1), validation: toyDataset(2500, 2), test: toyDataset(100, 3) };
    const events: FromWorker[] = [];
    let t = 0;
    const driver = createDriver({ now: () => (t += 1), emit: (e) => events.push(e) });
    driver.data = big;
    driver.handle({
      type: 'start',
      id: 1,
      runId: 'r',
      config: parseTrainConfig({ hidden: [16], batchSize: 20, epochs: 1 }),
      options: defaultRunOptions,
    });
    // Budget 0: one unit of work per call — two steps, then 1,000-row evaluation batches.
    driver.work(0);
    driver.work(0);
    driver.work(0);
    expect(events.some((e) => e.type === 'epoch')).toBe(false);
    expect(driver.handle({ type: 'stop', id: 2, runId: 'r' })).toMatchObject({ ok: true, result: { state: 'stopped' } });
    expect(events.filter((e) => e.type === 'epoch')).toEqual([]);
    expect(events.filter((e) => e.type === 'end').map((e) => (e as EndEvent).state)).toEqual(['stopped']);
  });
});
