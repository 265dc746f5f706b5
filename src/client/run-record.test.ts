import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '@engine/train/config.ts';
import type { RunEvent } from '@engine/worker/protocol.ts';
import {
  applyRunEvent,
  applySettingChange,
  applyStarted,
  configAt,
  createRunRecord,
  describeConfig,
  diagnosticsBudgetBytes,
  diagnosticsOf,
  frameBytes,
  isActive,
  maxDiagnosticsFrames,
  maxProgressPoints,
  minDiagnosticsFrames,
  parseStoredRun,
} from './run-record';
import { damagedRecords, storedRecord } from './testing/stored-records';
import { csvColumns, exportFileName, runsToCsv, runsToJson } from './run-export';

const config = parseTrainConfig({ norm: 'batch', trainLimit: 5000 });
const summary = { rows: [], trainable: 1, nonTrainable: 0, total: 1 };
const fresh = () => createRunRecord({ id: 'r', widget: 'training-run', config, now: 10 });
const progress = (step: number, loss = 1): RunEvent => ({
  type: 'progress',
  runId: 'r',
  step,
  totalSteps: 40,
  epoch: 0,
  epochs: 2,
  stepInEpoch: step,
  stepsPerEpoch: 20,
  loss,
  accuracy: 0.5,
  batchLoss: loss,
  samplesPerSecond: 1000,
  elapsedSeconds: 1,
  etaSeconds: 3,
});
const epoch = (n: number): RunEvent => ({
  type: 'epoch',
  runId: 'r',
  epoch: n,
  step: 20 * n,
  train: { loss: 1 / n, accuracy: 0.8 },
  validation: { loss: 0.9 / n, accuracy: 0.85 },
  test: null,
  seconds: 1.25,
  samplesPerSecond: 4000,
});

/** A diagnostics frame of `hidden` Dense → BN → Activation blocks of `units` units each. */
const diagnostics = (step: number, hidden = 1, units = 4): RunEvent => {
  const histogram = () => ({ min: -1, max: 1, counts: Uint32Array.from({ length: 32 }, (_, i) => i), mean: 0, std: 0.5, zeros: 0 });
  const stats = (v: number) => new Float32Array(units).fill(v);
  const layer = (name: string, kind: string) => ({
    name,
    kind,
    units,
    activations: histogram(),
    gradients: histogram(),
    params: kind === 'Dense' ? [{ name: 'kernel', norm: 1, gradNorm: 0.1, updateRatio: 1e-3 }] : [],
    movingMean: kind === 'BatchNormalization' ? stats(0.5) : null,
    movingVariance: kind === 'BatchNormalization' ? stats(1) : null,
    batchMean: kind === 'BatchNormalization' ? stats(0.25) : null,
    batchVariance: kind === 'BatchNormalization' ? stats(NaN) : null,
    saturated: kind === 'Activation' ? 0.1 : null,
  });
  const layers = Array.from({ length: hidden }, (_, i) => [
    layer(`dense_${i}`, 'Dense'),
    layer(`bn_${i}`, 'BatchNormalization'),
    layer(`act_${i}`, 'Activation'),
  ]).flat();
  return { type: 'diagnostics', runId: 'r', step, gradNorm: step / 10, clippedShare: 0.25, layers };
};

function play(events: RunEvent[]) {
  let record = applyStarted(
    fresh(),
    { runId: 'r', config, summary, stepsPerEpoch: 20, totalSteps: 40, trainCount: 5000, validationCount: 6000 },
    11,
  );
  for (const e of events) record = applyRunEvent(record, e, 12);
  return record;
}

describe('run records', () => {
  it('describe a config by what tells runs apart', () => {
    expect(describeConfig(config)).toBe('BN · Adam lr 0.001 · batch 32 · 5,000 images');
    expect(describeConfig(parseTrainConfig({ optimizer: 'sgd', lr: 0.1 }))).toBe('no BN · SGD lr 0.1 · batch 32');
    expect(describeConfig(parseTrainConfig({ dataOrder: 'one-class-per-batch' }))).toBe(
      'no BN · Adam lr 0.001 · batch 32 · one class per batch',
    );
  });

  it('start as starting, become running when the worker answers, and follow state and end events', () => {
    expect(fresh().state).toBe('starting');
    const record = play([progress(5), { type: 'state', runId: 'r', state: 'paused', step: 5 }]);
    expect(record.state).toBe('paused');
    expect(record.info).toMatchObject({ stepsPerEpoch: 20, trainCount: 5000 });
    expect(isActive(record)).toBe(true);
    const ended = applyRunEvent(
      record,
      {
        type: 'end',
        runId: 'r',
        state: 'diverged',
        summary: {
          steps: 7,
          epochs: 0,
          seconds: 1,
          samplesPerSecond: 10,
          train: null,
          validation: null,
          test: null,
          diverged: { step: 7, loss: Infinity },
          error: null,
        },
      },
      13,
    );
    expect(ended.state).toBe('diverged');
    expect(ended.summary?.diverged?.step).toBe(7);
    expect(isActive(ended)).toBe(false);
  });

  it('collect progress points on a fractional-epoch axis and epoch rows, ignoring other runs', () => {
    const record = play([progress(5, 2), progress(10, 1.5), epoch(1), { ...progress(15), runId: 'other' }]);
    expect(record.progress.map((p) => [p.step, p.epoch, p.loss])).toEqual([
      [5, 0.25, 2],
      [10, 0.5, 1.5],
    ]);
    expect(record.epochs.map((e) => e.epoch)).toEqual([1]);
    expect(record.samplesPerSecond).toBe(1000);
  });

  it(`thin the progress history once it passes ${maxProgressPoints} points, keeping the newest`, () => {
    const events = Array.from({ length: maxProgressPoints + 1 }, (_, i) => progress(i + 1));
    const record = play(events);
    expect(record.progress.length).toBeLessThanOrEqual(maxProgressPoints / 2 + 1);
    expect(record.progress.at(-1)!.step).toBe(maxProgressPoints + 1);
    expect(record.progress[0].step).toBe(1);
  });

  it('keep the starting config and list live changes; configAt gives the one in force at a step', () => {
    let record = play([]);
    record = applySettingChange(record, 12, { lr: 0.01 }, 20);
    record = applySettingChange(record, 30, { lr: 0.1, dropout: 0.5 }, 21);
    expect(record.config.lr).toBe(0.001);
    expect(configAt(record, 12).lr).toBe(0.001); // changed after step 12: effective from step 13
    expect(configAt(record, 13).lr).toBe(0.01);
    expect(configAt(record)).toMatchObject({ lr: 0.1, dropout: 0.5 });
  });
});

describe('diagnostics frames in the record', () => {
  it('are kept in step order without their routing fields, one per step', () => {
    const record = play([diagnostics(5), diagnostics(10), { ...diagnostics(15), runId: 'other' }, diagnostics(10)]);
    expect(diagnosticsOf(record).map((f) => f.step)).toEqual([5, 10]);
    expect(diagnosticsOf(record)[0]).not.toHaveProperty('type');
    expect(diagnosticsOf(record)[0]).not.toHaveProperty('runId');
    expect(diagnosticsOf(record)[1].layers.map((l) => l.name)).toEqual(['dense_0', 'bn_0', 'act_0']);
    expect(diagnosticsOf(record)[1].clippedShare).toBe(0.25);
  });

  it('are thinned evenly past the bound, keeping the first and the newest', () => {
    const n = 3 * maxDiagnosticsFrames;
    const frames = diagnosticsOf(play(Array.from({ length: n }, (_, i) => diagnostics(i + 1))));
    expect(frames.length).toBeLessThanOrEqual(maxDiagnosticsFrames);
    expect(frames.length).toBeGreaterThan(maxDiagnosticsFrames / 2);
    expect(frames[0].step).toBe(1);
    expect(frames.at(-1)!.step).toBe(n);
    const gaps = new Set(frames.slice(1, -1).map((f, i) => f.step - frames[i].step));
    expect(gaps.size).toBe(1); // evenly spaced, apart from the newest
  });

  it('stay within the byte budget for a wide model, but never below the minimum', () => {
    const medium = diagnostics(1, 4, 128);
    const wide = diagnostics(1, 8, 512);
    if (medium.type !== 'diagnostics' || wide.type !== 'diagnostics') throw new Error('not a diagnostics event');
    expect(frameBytes(medium) * maxDiagnosticsFrames).toBeLessThan(diagnosticsBudgetBytes);
    const frames = diagnosticsOf(play(Array.from({ length: 200 }, (_, i) => diagnostics(i + 1, 8, 512))));
    expect(frames.length).toBeLessThanOrEqual(Math.max(minDiagnosticsFrames, Math.floor(diagnosticsBudgetBytes / frameBytes(wide))));
    expect(frames.length).toBeGreaterThanOrEqual(minDiagnosticsFrames / 2);
    expect(frames.at(-1)!.step).toBe(200);
  });

  it('keep a ConvNet layer’s per-channel statistics, which count toward the frame size, and read frames saved before them', () => {
    const event = diagnostics(5);
    if (event.type !== 'diagnostics') throw new Error('expected a diagnostics event');
    const older = frameBytes({ ...event, layers: event.layers });
    const channel = (v: number) => new Float32Array(16).fill(v);
    const conv = { ...event.layers[0], name: 'conv2d', kind: 'Conv2D', units: 26 * 26 * 16 };
    const channels = { mean: channel(0.5), std: channel(1), gradNorm: channel(0.01), saturated: null };
    const withChannels = { ...event, step: 6, layers: [{ ...conv, channels }, ...event.layers.slice(1)] };
    expect(frameBytes(withChannels)).toBe(older + 3 * 16 * 4);
    // The frames of `diagnostics()` carry neither `channels` nor `dead`: as saved before those were measured.
    const r = play([event, withChannels]);
    const parsed = parseStoredRun(r, 'r');
    if (!parsed.ok) throw new Error(parsed.reason);
    const [before, after] = diagnosticsOf(parsed.record);
    expect(before.layers[0].channels).toBeUndefined();
    expect(after.layers[0].channels).toEqual(channels);
    const damaged = {
      ...r,
      diagnostics: { ...r.diagnostics, frames: [{ ...withChannels, layers: [{ ...conv, channels: { ...channels, std: [1] } }] }] },
    };
    const failed = parseStoredRun(damaged, 'r');
    expect(failed.ok ? 'read' : failed.reason).toMatch(
      /^record\.diagnostics\.frames\[0\]\.layers\[0\]\.channels\.std: expected .*Float32Array.*, received \[1\]$/,
    );
  });

  it('read as [] from records saved before they were kept', () => {
    const { diagnostics: _dropped, ...old } = play([]);
    const parsed = parseStoredRun(old, 'r');
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(diagnosticsOf(parsed.record)).toEqual([]);
    expect(diagnosticsOf(applyRunEvent(parsed.record, diagnostics(3), 1)).map((f) => f.step)).toEqual([3]);
  });
});

describe('runsToCsv(records) and runsToJson(records)', () => {
  it('write one row per epoch with the settings in force and the final test result on the last row', () => {
    let record = play([epoch(1)]);
    record = applySettingChange(record, 25, { lr: 0.01 }, 20);
    record = applyRunEvent(record, epoch(2), 30);
    record = applyRunEvent(
      record,
      {
        type: 'end',
        runId: 'r',
        state: 'finished',
        summary: {
          steps: 40,
          epochs: 2,
          seconds: 2.5,
          samplesPerSecond: 4000,
          train: record.epochs[1].train,
          validation: record.epochs[1].validation,
          test: { loss: 0.4, accuracy: 0.9 },
          diverged: null,
          error: null,
        },
      },
      31,
    );
    const lines = runsToCsv([{ ...record, label: 'BN, "fast"' }])
      .trimEnd()
      .split('\n');
    expect(lines[0]).toBe(csvColumns.join(','));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(
      'r,"BN, ""fast""",finished,batch,before-activation,adam,0.001,32,0.2,1,5000,1,20,1,0.8,0.9,0.85,,,1.25,4000,1,128,relu,glorot-uniform,1,0,0,,,5',
    );
    expect(lines[2]).toBe(
      'r,"BN, ""fast""",finished,batch,before-activation,adam,0.01,32,0.2,1,5000,2,40,0.5,0.8,0.45,0.85,0.4,0.9,1.25,4000,1,128,relu,glorot-uniform,1,0,0,,,5',
    );
  });

  it('give a run that ended before its first epoch one row from its summary', () => {
    const record = applyRunEvent(
      play([]),
      {
        type: 'end',
        runId: 'r',
        state: 'diverged',
        summary: {
          steps: 7,
          epochs: 0,
          seconds: 0.1,
          samplesPerSecond: 2000,
          train: null,
          validation: null,
          test: null,
          diverged: { step: 7, loss: Infinity },
          error: null,
        },
      },
      1,
    );
    const lines = runsToCsv([{ ...record, label: 'quick' }])
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',diverged,');
    expect(lines[1].split(',')[12]).toBe('7');
  });

  it('keep non-finite numbers readable in JSON and round-trip everything else', () => {
    const record = applyRunEvent(play([progress(3, Infinity)]), epoch(1), 1);
    const parsed = JSON.parse(runsToJson([record]));
    expect(parsed.format).toBe('normlab-runs');
    expect(parsed.runs[0].progress[0].loss).toBe('Infinity');
    expect(parsed.runs[0].epochs).toEqual(record.epochs);
    expect(parsed.runs[0].config).toEqual(record.config);
  });

  it('export diagnostics frames in JSON with typed arrays as plain arrays, and leave them out of the CSV', () => {
    const record = play([diagnostics(5), epoch(1), diagnostics(20)]);
    const parsed = JSON.parse(runsToJson([record]));
    const frames = parsed.runs[0].diagnostics.frames;
    expect(frames.map((f: { step: number }) => f.step)).toEqual([5, 20]);
    const bn = frames[1].layers[1];
    expect(bn.movingMean).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(bn.batchVariance).toEqual(['NaN', 'NaN', 'NaN', 'NaN']);
    expect(frames[1].layers[0].activations.counts).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(frames[1].gradNorm).toBe(2);
    expect(runsToCsv([record]).trimEnd().split('\n')).toHaveLength(2);
  });

  it('name export files after the run or the number of runs and the date', () => {
    const date = new Date('2025-03-04T10:00:00Z');
    expect(exportFileName([fresh()], 'csv', date)).toBe('normlab-r-2025-03-04.csv');
    expect(exportFileName([fresh(), fresh()], 'json', date)).toBe('normlab-2-runs-2025-03-04.json');
  });
});

describe('parseStoredRun(value, key)', () => {
  const now = 1_764_000_000_000;

  it('reads a record saved by an older build (no version, no diagnostics, a partial config) with today’s defaults filled in', () => {
    const { diagnostics: _d, ...old } = storedRecord('old', now);
    const parsed = parseStoredRun(old, 'old');
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.record.version).toBe(1);
    expect(parsed.record.diagnostics).toEqual({ frames: [], received: 0, stride: 1 });
    expect(parsed.record.config).toEqual(parseTrainConfig({ epochs: 2, trainLimit: 1000 }));
    expect(parsed.record.epochs).toEqual(old.epochs);
  });

  it('reads back what the site saves, diagnostics frames and a diverged NaN loss included', () => {
    let r = fresh();
    for (const event of [progress(1, Number.NaN), epoch(1), diagnostics(20, 2)]) r = applyRunEvent(r, event, 11);
    const parsed = parseStoredRun(r, 'r');
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.record).toEqual(r);
  });

  const reasons: Record<string, RegExp> = {
    'createdAt as a string': /^record\.createdAt: expected a number, received '2026-12-01'$/,
    'createdAt missing': /^record\.createdAt: expected a number, received undefined$/,
    'createdAt NaN': /^record\.createdAt: expected a number, received NaN$/,
    'numeric id': /^record\.id: expected a string of at least 1 character, received 42$/,
    'config missing': /^record\.config: expected the settings the run started with, received undefined$/,
    'config null': /^record\.config: .*received null/,
    'config with a bad value': /^record\.config: .*lr.*received 'fast'/,
    'unknown state': /^record\.state: expected one of .*'finished'.*received 'exploded'$/,
    'unknown version': /^record\.version: saved by another build of the site \(record version 99; this build reads version 1\)$/,
    'epochs null': /^record\.epochs: expected a list.*, received null$/,
    'an epoch with a string accuracy': /^record\.epochs\[0\]\.train\.accuracy: expected a number, received '90%'$/,
    'progress null': /^record\.progress: expected a list.*, received null$/,
    'summary with a null validation accuracy': /^record\.summary\.validation\.accuracy: expected a number, received null$/,
    'label a number': /^record\.label: expected a string, received 7$/,
    'widget missing': /^record\.widget: expected a string, received undefined$/,
    'info a string': /^record\.info: expected an object.*, received 'none'$/,
    'diagnostics frames a string': /^record\.diagnostics\.frames: expected a list.*, received 'x'$/,
    garbage: /^record\.widget: expected a string, received undefined$/,
  };

  it.each(damagedRecords(now))('refuses a record with %s, saying where, what was received and what was expected', (kind, value) => {
    const parsed = parseStoredRun(value, (value.id as IDBValidKey | undefined) ?? 'missing');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reasons[kind]);
  });

  it('covers the 18 kinds of damage, each with its expected reason', () => {
    expect(damagedRecords(now).map(([kind]) => kind)).toEqual(Object.keys(reasons));
  });

  it('refuses a record stored under a key other than its id', () => {
    expect(parseStoredRun(storedRecord('a', now), 'b')).toEqual({ ok: false, reason: "record.id: expected 'b' (its key), received 'a'" });
  });

  it('never throws, whatever it is given', () => {
    for (const value of [null, undefined, 42, 'text', [], new Uint8Array(3), { id: 'x' }])
      expect(parseStoredRun(value, 'x').ok).toBe(false);
  });
});
