import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '@engine';
import { applyRunEvent, createRunRecord } from '@client/run-record';
import type { LayerDiagnostics } from '@engine/worker/protocol.ts';
import { defaultState, parseState } from '../params';
import {
  clippingOf,
  fromSlider,
  normAfter,
  outcomeLine,
  runConfig,
  schema,
  toSlider,
  tracePlan,
  tracePoints,
  traceSummary,
  type Frame,
  type State,
} from './model';

const defaults = defaultState(schema);

/** A frame whose two parameter gradients have norms 3 and 4 after clipping (5 together). */
const frame = (step: number, gradNorm: number, clippedShare: number | null = null): Frame => {
  const layer = (name: string, gradNorm: number): LayerDiagnostics => ({
    name,
    kind: 'Dense',
    units: 1,
    activations: null,
    gradients: null,
    params: [{ name: 'kernel', norm: 1, gradNorm, updateRatio: 0 }],
    movingMean: null,
    movingVariance: null,
    batchMean: null,
    batchVariance: null,
    saturated: null,
  });
  return { step, gradNorm, clippedShare, layers: [layer('dense', 3), layer('dense_1', 4)] };
};

describe('clip-trace settings', () => {
  it('default to SGD at learning rate 2 without BN on 5,000 images for 3 epochs, the global norm clipped at 1', () => {
    expect(defaults).toEqual({ mode: 'norm', threshold: 1, optimizer: 'sgd', lr: 2, images: 5000, epochs: 3, seed: 1 });
    expect(runConfig(defaults)).toMatchObject({
      norm: 'none',
      optimizer: 'sgd',
      lr: 2,
      trainLimit: 5000,
      epochs: 3,
      clipNorm: 1,
      clipValue: null,
      dropout: 0.2,
      batchSize: 32,
    });
  });

  it('send the threshold as clipValue when clipping by value, and neither when off', () => {
    expect(runConfig({ ...defaults, mode: 'value', threshold: 0.01 })).toMatchObject({ clipNorm: null, clipValue: 0.01 });
    expect(runConfig({ ...defaults, mode: 'off' })).toMatchObject({ clipNorm: null, clipValue: null });
    expect(runConfig({ ...defaults, images: 54000 }).trainLimit).toBeNull();
  });

  it('record diagnostics and label the run by its clipping', () => {
    const plan = tracePlan({ ...defaults, mode: 'value', threshold: 0.01 });
    expect(plan.record.diagnostics).toEqual({ intervalMs: 100, bins: 4 });
    expect(plan.arms.map((a) => a.label)).toEqual(['SGD lr 2, clipped by value at 0.01']);
    expect(tracePlan({ ...defaults, mode: 'off', optimizer: 'adam', lr: 1 }).arms[0].label).toBe('Adam lr 1, not clipped');
  });

  it('read the URL and fall back on bad values', () => {
    const state = parseState(schema, (k) => ({ mode: 'value', threshold: '0.001', images: '2500', epochs: '0' })[k] ?? null, defaults);
    expect(state).toEqual<State>({ ...defaults, mode: 'value', threshold: 0.001 });
  });

  it('map the logarithmic sliders', () => {
    expect(fromSlider(0)).toBe(1);
    expect(fromSlider(-2)).toBe(0.01);
    expect(fromSlider(toSlider(0.03))).toBe(0.03);
  });
});

describe('clip-trace frames', () => {
  it('combine the per-tensor norms into the norm after clipping, beside the norm before', () => {
    expect(normAfter(frame(1, 7))).toBe(5);
    expect(tracePoints([frame(1, 7), frame(2, 5)])).toEqual([
      { step: 1, before: 7, after: 5 },
      { step: 2, before: 5, after: 5 },
    ]);
  });

  it('summarise by norm with the threshold and the share of steps clipped', () => {
    expect(traceSummary([], { mode: 'norm', threshold: 1 })).toMatch(/No gradient norms measured yet/);
    expect(traceSummary([frame(10, 1.5, 0.8), frame(20, 7, 0.85)], { mode: 'norm', threshold: 5 })).toBe(
      'Step 20: global gradient norm 7 before clipping, 5 after. Threshold 5: 85.0 % of the 20 steps so far were clipped.',
    );
  });

  it('summarise by value with the share of its length the gradient kept, and without clipping with the median norm', () => {
    expect(traceSummary([frame(1, 10), frame(2, 50), frame(3, 25)], { mode: 'value', threshold: 0.01 })).toBe(
      'Step 3: global gradient norm 25 before clipping, 5 after clamping every component to ±0.01. Median over the recorded steps: the clipped gradient kept 20.0 % of its length.',
    );
    expect(traceSummary([frame(1, 1), frame(2, 3), frame(3, 2)], { mode: 'off', threshold: null })).toBe(
      'Step 3: global gradient norm 2 before clipping; clipping is off. Median over the recorded steps: 2.',
    );
  });

  it('read the clipping of the run shown, and its outcome', () => {
    const config = parseTrainConfig({ ...runConfig(defaults), clipNorm: null, clipValue: 0.05 });
    let record = createRunRecord({ id: 'r', widget: 'clip-trace', config, now: 0 });
    expect(clippingOf(record, defaults)).toEqual({ mode: 'value', threshold: 0.05 });
    expect(clippingOf(null, { ...defaults, mode: 'off' })).toEqual({ mode: 'off', threshold: null });
    expect(outcomeLine(null)).toBe('Not run yet.');
    record = applyRunEvent(
      record,
      {
        type: 'end',
        runId: 'r',
        state: 'diverged',
        summary: {
          steps: 3,
          epochs: 0,
          seconds: 0.1,
          samplesPerSecond: 1,
          train: null,
          validation: null,
          test: null,
          diverged: { step: 3, loss: 4489.26 },
          error: null,
        },
      },
      1,
    );
    expect(outcomeLine(record)).toBe('The run diverged at step 3: the loss reached 4.5e+3.');
  });
});
