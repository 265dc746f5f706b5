import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '@engine/train/config.ts';
import { applyRunEvent, applySettingChange, applyStarted, createRunRecord, type RunRecord } from '@client/run-record';
import { formatState, parseState } from '../params';
import { readUrlState, urlWithState } from '../url-state';
import { progressFraction } from '../run-controller/run-text';
import {
  bnMomentumFromSlider,
  clipFromSlider,
  clipSlider,
  clipValueFromSlider,
  clipValueSlider,
  configFromState,
  controlNote,
  decayChange,
  decayFromSlider,
  decayLabel,
  decaySlider,
  describeChange,
  formatEpochs,
  curvesFromRecord,
  epochRows,
  evenly,
  fullTrainingSet,
  lrFromSlider,
  presets,
  schema,
  sliderFromBnMomentum,
  sliderFromClip,
  sliderFromClipValue,
  sliderFromDecay,
  sliderFromLr,
  stateFromRecord,
  statusText,
  trainingModelLine,
  type State,
} from './model';

const defaults = parseState(schema, () => undefined);

function record(state: State = defaults): RunRecord {
  const config = parseTrainConfig(configFromState(state));
  return applyStarted(
    createRunRecord({ id: 'r', widget: 'training-run', config, now: 0 }),
    {
      runId: 'r',
      config,
      summary: { rows: [], trainable: 0, nonTrainable: 0, total: 0 },
      stepsPerEpoch: 157,
      totalSteps: 471,
      trainCount: 5000,
      validationCount: 6000,
    },
    1,
  );
}

const end = (r: RunRecord, state: 'finished' | 'diverged' | 'stopped', patch = {}) =>
  applyRunEvent(
    r,
    {
      type: 'end',
      runId: 'r',
      state,
      summary: {
        steps: 471,
        epochs: 3,
        seconds: 2.84,
        samplesPerSecond: 5000,
        train: null,
        validation: { loss: 0.2, accuracy: 0.9381 },
        test: { loss: 0.25, accuracy: 0.927 },
        diverged: null,
        error: null,
        ...patch,
      },
    },
    2,
  );

describe('training-run settings', () => {
  it('default to the assignment with BN on a 5,000-image, 3-epoch subset', () => {
    expect(defaults).toEqual({
      layers: 1,
      width: '128',
      activation: 'relu',
      init: 'glorot-uniform',
      initScale: '1',
      dropoutPlacement: 'after',
      norm: 'batch',
      placement: 'before-activation',
      optimizer: 'adam',
      lr: 0.001,
      batch: 32,
      epochs: 3,
      images: 5000,
      dropout: 0.2,
      bnMomentum: 0.99,
      decay: 0,
      clip: null,
      clipValue: null,
      momentum: 0,
      seed: 1,
    });
    expect(parseTrainConfig(configFromState(defaults))).toMatchObject({
      hidden: [128],
      norm: 'batch',
      lr: 0.001,
      batchSize: 32,
      epochs: 3,
      trainLimit: 5000,
      dropout: 0.2,
      bnMomentum: 0.99,
      weightDecay: 0,
      l2: 0,
      clipNorm: null,
      clipValue: null,
      momentum: 0,
    });
  });

  it('use every training image for the full preset (trainLimit null)', () => {
    expect(configFromState({ ...defaults, ...presets.full }).trainLimit).toBeNull();
    expect(presets.full.images).toBe(fullTrainingSet);
  });

  it('round-trip through the URL, and a mangled value falls back to the default', () => {
    const state: State = { ...defaults, norm: 'none', lr: 0.03, batch: 128, images: 54000, epochs: 5, seed: 7 };
    const url = urlWithState(schema, 'run', state, 'https://h/course/lessons/x/?other=1#top');
    expect(readUrlState(schema, 'run', new URL(url).search, defaults)).toEqual(state);
    expect(readUrlState(schema, 'run', '?run.lr=fast&run.batch=0&run.norm=group', defaults)).toEqual(defaults);
    expect(formatState(schema, state).lr).toBe('0.03');
  });

  it('read clipping, weight decay, BN momentum and SGD momentum from the URL; bad values fall back to the defaults', () => {
    const read = (search: string) => readUrlState(schema, 'run', search, defaults);
    expect(read('?run.clip=1&run.decay=0.01&run.bnMomentum=0.9&run.momentum=0.9')).toMatchObject({
      clip: 1,
      decay: 0.01,
      bnMomentum: 0.9,
      momentum: 0.9,
    });
    expect(read('?run.clip=off').clip).toBeNull();
    for (const bad of ['0', '-1', '1000', 'on', '', 'NaN', 'Infinity']) expect(read(`?run.clip=${bad}`).clip).toBeNull();
    expect(read('?run.clip=bad&run.decay=2&run.bnMomentum=1&run.momentum=0.999')).toEqual(defaults);
    expect(read('?run.bnMomentum=0.4').bnMomentum).toBe(0.99);
    const state: State = { ...defaults, optimizer: 'sgd', clip: 0.5, decay: 1e-4, bnMomentum: 0.999, momentum: 0.9 };
    const url = urlWithState(schema, 'run', state, 'https://h/lessons/x/');
    expect(new URL(url).searchParams.get('run.clip')).toBe('0.5');
    expect(read(new URL(url).search)).toEqual(state);
    expect(formatState(schema, defaults).clip).toBe('off');
    expect(parseState(schema, () => 'off', defaults).clip).toBeNull();
  });

  it('read clipping by value from the URL (10⁻⁴ to 10 or off) and send it to the engine beside clipping by norm', () => {
    const read = (search: string) => readUrlState(schema, 'run', search, defaults);
    expect(read('?run.clipValue=0.01').clipValue).toBe(0.01);
    expect(read('?run.clipValue=off').clipValue).toBeNull();
    for (const bad of ['0', '-0.1', '11', '0.00001', 'on', '', 'NaN']) expect(read(`?run.clipValue=${bad}`).clipValue).toBeNull();
    const state: State = { ...defaults, optimizer: 'sgd', lr: 2, norm: 'none', clip: 1, clipValue: 0.01 };
    const url = urlWithState(schema, 'run', state, 'https://h/lessons/x/');
    expect(new URL(url).searchParams.get('run.clipValue')).toBe('0.01');
    expect(read(new URL(url).search)).toEqual(state);
    expect(parseTrainConfig(configFromState(state))).toMatchObject({ clipNorm: 1, clipValue: 0.01 });
    expect(stateFromRecord(record(state), defaults)).toMatchObject({ clip: 1, clipValue: 0.01 });
    expect(describeChange({ clipValue: 0.01 })).toBe('clip value 0.01');
    expect(describeChange({ clipValue: null })).toBe('clip value off');
  });

  it('map the clipping-by-value slider: 10⁻⁴ at the left, 10 before the "off" position at the right', () => {
    expect(clipValueFromSlider(clipValueSlider.min)).toBe(1e-4);
    expect(clipValueFromSlider(-2)).toBe(0.01);
    expect(clipValueFromSlider(1)).toBe(10);
    expect(clipValueFromSlider(clipValueSlider.off)).toBeNull();
    expect(sliderFromClipValue(null)).toBe(clipValueSlider.off);
    expect(clipValueFromSlider(sliderFromClipValue(0.03))).toBe(0.03);
  });

  it('map one weight-decay control to decoupled weightDecay under AdamW and coupled l2 under Adam and SGD', () => {
    const decayed = (optimizer: State['optimizer']) => parseTrainConfig(configFromState({ ...defaults, optimizer, decay: 0.01 }));
    expect(decayed('adamw')).toMatchObject({ weightDecay: 0.01, l2: 0 });
    expect(decayed('adam')).toMatchObject({ weightDecay: 0, l2: 0.01 });
    expect(decayed('sgd')).toMatchObject({ weightDecay: 0, l2: 0.01 });
    expect(decayChange('adamw', 0.02)).toEqual({ weightDecay: 0.02 });
    expect(decayChange('sgd', 0)).toEqual({ l2: 0 });
    expect(decayLabel('adamw').label).toMatch(/decoupled/);
    expect(decayLabel('adam').label).toMatch(/L2/);
  });

  it('send SGD momentum only to SGD, and clipping and BN momentum as set', () => {
    const momentum = { ...defaults, momentum: 0.9, clip: 1, bnMomentum: 0.9 };
    expect(parseTrainConfig(configFromState({ ...momentum, optimizer: 'sgd' }))).toMatchObject({
      momentum: 0.9,
      clipNorm: 1,
      bnMomentum: 0.9,
    });
    expect(parseTrainConfig(configFromState({ ...momentum, optimizer: 'adam' })).momentum).toBe(0);
    expect(controlNote('momentum', { norm: 'batch', optimizer: 'adam' })).toMatchObject({
      disabled: true,
      hint: expect.stringMatching(/Only SGD/),
    });
    expect(controlNote('momentum', { norm: 'batch', optimizer: 'sgd' }).disabled).toBe(false);
    expect(controlNote('bnMomentum', { norm: 'none', optimizer: 'adam' })).toMatchObject({
      disabled: true,
      hint: expect.stringMatching(/Only used with BN/),
    });
    expect(controlNote('bnMomentum', { norm: 'batch', optimizer: 'adam' }).disabled).toBe(false);
  });

  it('map the clipping, weight-decay and BN-momentum sliders, with an "off" position for the first two', () => {
    expect(clipFromSlider(0)).toBe(1);
    expect(clipFromSlider(-2)).toBe(0.01);
    expect(clipFromSlider(2)).toBe(100);
    expect(clipFromSlider(clipSlider.off)).toBeNull();
    expect(sliderFromClip(null)).toBe(clipSlider.off);
    expect(clipFromSlider(sliderFromClip(0.5))).toBe(0.5);
    expect(decayFromSlider(decaySlider.off)).toBe(0);
    expect(decayFromSlider(-2)).toBe(0.01);
    expect(sliderFromDecay(0)).toBe(decaySlider.off);
    expect(decayFromSlider(sliderFromDecay(1e-5))).toBe(1e-5);
    expect([1, 2, 3, 0.3].map(bnMomentumFromSlider)).toEqual([0.9, 0.99, 0.999, 0.5]);
    expect(bnMomentumFromSlider(2.5)).toBe(0.9968);
    expect(sliderFromBnMomentum(0.99)).toBeCloseTo(2, 12);
  });

  it('map the learning-rate slider to powers of ten', () => {
    expect(lrFromSlider(-3)).toBe(0.001);
    expect(lrFromSlider(1)).toBe(10);
    expect(lrFromSlider(-2.5)).toBe(0.0032);
    expect(sliderFromLr(0.01)).toBeCloseTo(-2, 12);
  });
});

describe('training-run texts', () => {
  it('say where a running run is, with throughput and time left', () => {
    let r = record();
    r = applyRunEvent(
      r,
      {
        type: 'progress',
        runId: 'r',
        step: 200,
        totalSteps: 471,
        epoch: 1,
        epochs: 3,
        stepInEpoch: 43,
        stepsPerEpoch: 157,
        loss: 0.5,
        accuracy: 0.8,
        batchLoss: 0.4,
        samplesPerSecond: 21345.6,
        elapsedSeconds: 0.3,
        etaSeconds: 12.34,
      },
      2,
    );
    expect(statusText(r)).toBe('Training: epoch 2 of 3, step 200 of 471 · 21,346 images/s · about 12 s left');
    expect(progressFraction(r)).toBeCloseTo(200 / 471, 9);
  });

  it('report the end of a run: results, divergence with its step, or where it stopped', () => {
    expect(statusText(end(record(), 'finished'))).toBe('Finished in 2.8 s: validation accuracy 93.8 %, test accuracy 92.7 %.');
    expect(progressFraction(end(record(), 'finished'))).toBe(1);
    const diverged = end(record(), 'diverged', { steps: 4, diverged: { step: 4, loss: 81790.3 } });
    expect(statusText(diverged)).toBe('Diverged at step 4: the loss reached 8.2e+4. Lower the learning rate and start again.');
    expect(statusText(end(record(), 'stopped', { steps: 120 }))).toBe('Stopped at step 120 of 471.');
    expect(statusText({ ...record(), state: 'interrupted' })).toMatch(/^Interrupted at step 0 of 471: the page was closed/);
  });

  it('format per-epoch rows', () => {
    const r = applyRunEvent(
      record(),
      {
        type: 'epoch',
        runId: 'r',
        epoch: 1,
        step: 157,
        train: { loss: 0.51234, accuracy: 0.8512 },
        validation: { loss: 0.3, accuracy: 0.9123 },
        test: null,
        seconds: 0.93,
        samplesPerSecond: 5400,
      },
      2,
    );
    expect(epochRows(r)).toEqual([
      { epoch: '1', trainLoss: '0.5123', trainAccuracy: '85.12 %', validationLoss: '0.3', validationAccuracy: '91.23 %', time: '0.93 s' },
    ]);
  });

  it('turn a record into chart data with marks for live changes and the divergence', () => {
    let r = record();
    r = applyRunEvent(
      r,
      {
        type: 'progress',
        runId: 'r',
        step: 157,
        totalSteps: 471,
        epoch: 0,
        epochs: 3,
        stepInEpoch: 157,
        stepsPerEpoch: 157,
        loss: 0.5,
        accuracy: 0.8,
        batchLoss: 0.4,
        samplesPerSecond: 1,
        elapsedSeconds: 1,
        etaSeconds: 1,
      },
      2,
    );
    r = applySettingChange(r, 100, { lr: 0.01 }, 3);
    r = end(r, 'diverged', { steps: 314, diverged: { step: 314, loss: Infinity }, test: null });
    const data = curvesFromRecord(r, 'accuracy');
    expect(data.train).toEqual([{ epoch: 1, value: 0.8 }]);
    expect(data.marks).toEqual([
      { epoch: 100 / 157, label: 'lr 0.01', kind: 'change' },
      { epoch: 2, label: 'diverged at step 314', kind: 'diverged' },
    ]);
    expect(data.explosion).toEqual({ epoch: 2, value: Infinity });
  });

  it('count epochs in words', () => {
    expect(formatEpochs(1)).toBe('1 epoch');
    expect(formatEpochs(5)).toBe('5 epochs');
  });

  it('describe live changes by name, with off for no clipping or no decay', () => {
    expect(describeChange({ clipNorm: 1 })).toBe('clip norm 1');
    expect(describeChange({ clipNorm: null })).toBe('clip norm off');
    expect(describeChange({ l2: 0, bnMomentum: 0.9 })).toBe('L2 off, BN momentum 0.9');
    expect(describeChange({ weightDecay: 0.01, lr: 0.0001, dropout: 0 })).toBe('weight decay 0.01, lr 1e-4, dropout 0');
  });

  it('thin chart points evenly, keeping the newest', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    expect(evenly(items, 4)).toEqual([0, 2, 5, 9]);
    expect(evenly(items, 20)).toEqual(items);
  });

  it('restore the settings a saved run started with', () => {
    const saved = applySettingChange(record({ ...defaults, norm: 'none', batch: 64, images: 54000 }), 10, { lr: 0.5 }, 2);
    expect(stateFromRecord(saved, defaults)).toMatchObject({ norm: 'none', batch: 64, images: 54000, lr: 0.001 });
    const clipped = record({ ...defaults, optimizer: 'adamw', decay: 0.02, clip: 1, bnMomentum: 0.9 });
    expect(stateFromRecord(clipped, defaults)).toMatchObject({ optimizer: 'adamw', decay: 0.02, clip: 1, bnMomentum: 0.9 });
    const sgd = record({ ...defaults, optimizer: 'sgd', decay: 1e-4, momentum: 0.9 });
    expect(stateFromRecord(sgd, defaults)).toMatchObject({ decay: 1e-4, momentum: 0.9 });
    // A run made elsewhere (the CLI's full range) keeps the widget's value where the control cannot show it.
    const wide = { ...clipped, config: { ...clipped.config, clipNorm: 1e5 } };
    expect(stateFromRecord(wide, { ...defaults, clip: 2 }).clip).toBe(2);
  });

  it('the model controls build deep models, counted by hand in the model line; batch and images only take listed values', () => {
    const deep: State = { ...defaults, layers: 8, width: '512', activation: 'tanh', initScale: '0.1', dropoutPlacement: 'before' };
    expect(parseTrainConfig(configFromState(deep))).toMatchObject({
      hidden: Array(8).fill(512),
      activation: 'tanh',
      initScale: 0.1,
      dropoutPlacement: 'before-norm',
    });
    const dense = 784 * 512 + 512 + 7 * (512 * 512 + 512) + 512 * 10 + 10;
    expect(trainingModelLine(deep)).toBe(
      `Model: 8 × 512 tanh · Glorot ×0.1 — ${dense.toLocaleString('en-US')} parameters without BN; BN adds 8,192 trainable and 8,192 non-trainable (moving statistics).`,
    );
    expect(readUrlState(schema, 'run', '?run.batch=33&run.images=123&run.layers=9', defaults)).toEqual(defaults);
    expect(readUrlState(schema, 'run', '?run.batch=64&run.images=20000&run.layers=4', defaults)).toMatchObject({
      batch: 64,
      images: 20000,
      layers: 4,
    });
    const saved = stateFromRecord(record(deep), defaults);
    expect(saved).toMatchObject({ layers: 8, width: '512', activation: 'tanh', initScale: '0.1', dropoutPlacement: 'before' });
  });
});
