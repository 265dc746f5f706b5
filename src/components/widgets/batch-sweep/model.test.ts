import { describe, expect, test } from 'vitest';
import type { RunSummary } from '@engine/worker/protocol.ts';
import { expandPlan } from '@experiments/plan';
import { markEnded, markRunning, planQueue, type QueueEntry } from '@experiments/queue';
import { defaultState, formatState, parseState } from '../params';
import {
  accuracySummary,
  onlyBnTrains,
  panelRun,
  savedAxis,
  schema,
  storeName,
  sweepPlan,
  sweepStatus,
  timeSummary,
  type State,
} from './model';

const state = defaultState(schema);
const summary = (accuracy: number, seconds: number, fields: Partial<RunSummary> = {}): RunSummary => ({
  steps: 1,
  epochs: 1,
  seconds,
  samplesPerSecond: 1,
  train: null,
  validation: { loss: 0.1, accuracy },
  test: null,
  diverged: null,
  error: null,
  ...fields,
});
const queueOf = (s: State) => planQueue(expandPlan(sweepPlan(s)));
const end = (q: QueueEntry[], key: string, s: RunSummary, how: 'finished' | 'diverged' = 'finished') =>
  markEnded(markRunning(q, key, key), key, how, s);

describe('sweep model', () => {
  test("the Keras / PyTorch panel shows the sweep's first planned run and names the swept axis and values", () => {
    const both = panelRun(state);
    expect(both.config).toEqual(expandPlan(sweepPlan(state))[0].config);
    expect(both.config).toMatchObject({ batchSize: 16, norm: 'none' });
    expect(both.note).toBe(
      "The first of the sweep's 10 runs (batch 16 · no BN). The sweep varies the batch size over 16, 32, 64, 128, 256, each without and with BN (the BN runs add the BatchNormalization layers); everything else is as here.",
    );
    const lr = panelRun({ ...state, axis: 'lr', lrs: [0.1, 1], norms: 'batch' });
    expect(lr.config).toMatchObject({ lr: 0.1, norm: 'batch' });
    expect(lr.note).toBe(
      "The first of the sweep's 2 runs (lr 0.1 · BN). The sweep varies the learning rate over 0.1, 1; everything else is as here.",
    );
  });

  test('has the expected defaults: batch sizes 16–256 of the classic model, both norms, 3,000 images, 1 epoch', () => {
    expect(state).toMatchObject({
      axis: 'batch',
      sizes: [16, 32, 64, 128, 256],
      norms: 'both',
      images: 3000,
      epochs: 1,
      seed: 1,
      layers: 1,
      width: '128',
      activation: 'relu',
      optimizer: 'adam',
      lr: '0.001',
    });
    expect(queueOf(state)).toHaveLength(10);
  });

  test('value lists round-trip through text; a value off the grid, or images off the slider, is refused', () => {
    expect(formatState(schema, { ...state, sizes: [2, 256] }).sizes).toBe('2,256');
    const read = (key: string, raw: string) => parseState(schema, (k) => (k === key ? raw : null));
    expect(read('sizes', '256,2,2').sizes).toEqual([2, 256]);
    expect(read('sizes', '16,33').sizes).toEqual(state.sizes);
    expect(read('lrs', '0.1,1,3').lrs).toEqual([0.1, 1, 3]);
    expect(read('images', '123').images).toBe(3000);
    expect(read('images', '1234').images).toBe(3000);
    expect(read('images', '1500').images).toBe(1500);
    expect(read('layers', '9').layers).toBe(1);
  });

  test('sweepPlan varies the chosen axis over the architecture controls, both arms at each point', () => {
    const deep: State = { ...state, axis: 'lr', lrs: [0.1, 1], layers: 4, activation: 'sigmoid', optimizer: 'sgd', dropout: '0' };
    const entries = expandPlan(sweepPlan(deep));
    expect(entries.map((e) => e.key)).toEqual(['lr 0.1 · no BN', 'lr 0.1 · BN', 'lr 1 · no BN', 'lr 1 · BN']);
    expect(entries[3].config).toMatchObject({
      lr: 1,
      norm: 'batch',
      hidden: [128, 128, 128, 128],
      activation: 'sigmoid',
      optimizer: 'sgd',
      dropout: 0,
      trainLimit: 3000,
      epochs: 1,
    });
    expect(expandPlan(sweepPlan({ ...state, axis: 'depth', depths: [2, 8], width: '512' }))[2].config.hidden).toEqual(Array(8).fill(512));
    expect(expandPlan(sweepPlan({ ...state, axis: 'init', scales: [10], norms: 'batch' })).map((e) => [e.key, e.config.initScale])).toEqual(
      [['init ×10 · BN', 10]],
    );
  });

  test('the summaries name the best and worst point per arm, where only BN trains, and the time range with noise', () => {
    let q = queueOf({ ...state, axis: 'lr', lrs: [0.01, 1] });
    expect(accuracySummary(q)).toMatch(/^No finished runs yet/);
    q = end(q, 'lr 0.01 · no BN', summary(0.95, 3));
    q = end(q, 'lr 0.01 · BN', summary(0.96, 3.05));
    q = end(q, 'lr 1 · no BN', summary(0.1, 2, { diverged: { step: 40, loss: Infinity } }), 'diverged');
    q = end(q, 'lr 1 · BN', summary(0.94, 4));
    expect(onlyBnTrains(q)).toEqual(['lr 1']);
    expect(accuracySummary(q)).toBe(
      'Final validation accuracy — no BN: highest 95.00 % at lr 0.01; BN: highest 96.00 % at lr 0.01, lowest 94.00 % at lr 1 (3 of 4 runs done). Only BN trains (above 50 %, the other stays below) at lr 1.',
    );
    expect(timeSummary(q)).toBe(
      'Time per epoch from 3.00 s (lr 0.01 · no BN) to 4.00 s (lr 1 · BN). One run per point, several at once on a device with cores to spare: a few percent between two points may be noise.',
    );
  });

  test('sweepStatus counts against the planned runs, so a cancelled sweep reads "2 of 10 runs done (cancelled)"', () => {
    let q = queueOf(state);
    expect(sweepStatus(q, 10, false)).toBe('Not run yet: 10 runs are planned; start the sweep to measure them.');
    q = end(q, 'batch 16 · no BN', summary(0.9, 1));
    q = end(q, 'batch 16 · BN', summary(0.9, 1));
    expect(sweepStatus(q, 10, true)).toBe('2 of 10 runs done; the sweep is running.');
    expect(
      sweepStatus(
        q.slice(0, 3).map((e, i) => (i === 2 ? { ...e, state: 'cancelled' as const } : e)),
        10,
        false,
      ),
    ).toBe('2 of 10 runs done (cancelled).');
    expect(sweepStatus(q.slice(0, 2), 2, false)).toBe('2 of 2 runs done.');
  });

  test('a saved sweep is read on the axis its runs varied; each lesson’s instance saves under its own name', () => {
    const c = (lr: number, batchSize: number, layers: number, initScale: number) => ({
      lr,
      batchSize,
      hidden: Array(layers).fill(128),
      initScale,
    });
    expect(savedAxis([c(0.1, 32, 1, 1), c(1, 32, 1, 1)], 'batch')).toBe('lr');
    expect(savedAxis([c(0.1, 32, 1, 1), c(0.1, 32, 4, 1)], 'batch')).toBe('depth');
    expect(savedAxis([c(0.1, 32, 1, 0.1), c(0.1, 32, 1, 10)], 'batch')).toBe('init');
    expect(savedAxis([c(0.1, 32, 1, 1)], 'lr')).toBe('lr');
    expect(storeName('sweep')).toBe('batch-sweep');
    expect(sweepPlan(state, storeName('init')).widget).toBe('batch-sweep:init');
  });
});
