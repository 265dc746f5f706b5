import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '@engine/train/config.ts';
import type { RunEvent } from '@engine/worker/protocol.ts';
import { applyRunEvent, applySettingChange, applyStarted, configAt, createRunRecord, describeConfig, isActive, maxProgressPoints } from './run-record';
import { csvColumns, exportFileName, runsToCsv, runsToJson } from './run-export';

const config = parseTrainConfig({ norm: 'batch', trainLimit: 5000 });
const summary = { rows: [], trainable: 1, nonTrainable: 0, total: 1 };
const fresh = () => createRunRecord({ id: 'r', widget: 'training-run', config, now: 10 });
const progress = (step: number, loss = 1): RunEvent => ({ type: 'progress', runId: 'r', step, totalSteps: 40, epoch: 0, epochs: 2, stepInEpoch: step, stepsPerEpoch: 20, loss, accuracy: 0.5, batchLoss: loss, samplesPerSecond: 1000, elapsedSeconds: 1, etaSeconds: 3 });
const epoch = (n: number): RunEvent => ({ type: 'epoch', runId: 'r', epoch: n, step: 20 * n, train: { loss: 1 / n, accuracy: 0.8 }, validation: { loss: 0.9 / n, accuracy: 0.85 }, test: null, seconds: 1.25, samplesPerSecond: 4000 });

function play(events: RunEvent[]) {
  let record = applyStarted(fresh(), { runId: 'r', config, summary, stepsPerEpoch: 20, totalSteps: 40, trainCount: 5000, validationCount: 6000 }, 11);
  for (const e of events) record = applyRunEvent(record, e, 12);
  return record;
}

describe('run records', () => {
  it('describe a config by what tells runs apart', () => {
    expect(describeConfig(config)).toBe('BN · Adam lr 0.001 · batch 32 · 5,000 images');
    expect(describeConfig(parseTrainConfig({ optimizer: 'sgd', lr: 0.1 }))).toBe('no BN · SGD lr 0.1 · batch 32');
  });

  it('start as starting, become running when the worker answers, and follow state and end events', () => {
    expect(fresh().state).toBe('starting');
    const record = play([progress(5), { type: 'state', runId: 'r', state: 'paused', step: 5 }]);
    expect(record.state).toBe('paused');
    expect(record.info).toMatchObject({ stepsPerEpoch: 20, trainCount: 5000 });
    expect(isActive(record)).toBe(true);
    const ended = applyRunEvent(record, { type: 'end', runId: 'r', state: 'diverged', summary: { steps: 7, epochs: 0, seconds: 1, samplesPerSecond: 10, train: null, validation: null, test: null, diverged: { step: 7, loss: Infinity }, error: null } }, 13);
    expect(ended.state).toBe('diverged');
    expect(ended.summary?.diverged?.step).toBe(7);
    expect(isActive(ended)).toBe(false);
  });

  it('collect progress points on a fractional-epoch axis and epoch rows, ignoring other runs', () => {
    const record = play([progress(5, 2), progress(10, 1.5), epoch(1), { ...progress(15), runId: 'other' }]);
    expect(record.progress.map((p) => [p.step, p.epoch, p.loss])).toEqual([[5, 0.25, 2], [10, 0.5, 1.5]]);
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

describe('runsToCsv(records) and runsToJson(records)', () => {
  it('write one row per epoch with the settings in force and the final test result on the last row', () => {
    let record = play([epoch(1)]);
    record = applySettingChange(record, 25, { lr: 0.01 }, 20);
    record = applyRunEvent(record, epoch(2), 30);
    record = applyRunEvent(record, { type: 'end', runId: 'r', state: 'finished', summary: { steps: 40, epochs: 2, seconds: 2.5, samplesPerSecond: 4000, train: record.epochs[1].train, validation: record.epochs[1].validation, test: { loss: 0.4, accuracy: 0.9 }, diverged: null, error: null } }, 31);
    const lines = runsToCsv([{ ...record, label: 'BN, "fast"' }]).trimEnd().split('\n');
    expect(lines[0]).toBe(csvColumns.join(','));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('r,"BN, ""fast""",finished,batch,before-activation,adam,0.001,32,0.2,1,5000,1,20,1,0.8,0.9,0.85,,,1.25,4000');
    expect(lines[2]).toBe('r,"BN, ""fast""",finished,batch,before-activation,adam,0.01,32,0.2,1,5000,2,40,0.5,0.8,0.45,0.85,0.4,0.9,1.25,4000');
  });

  it('give a run that ended before its first epoch one row from its summary', () => {
    const record = applyRunEvent(play([]), { type: 'end', runId: 'r', state: 'diverged', summary: { steps: 7, epochs: 0, seconds: 0.1, samplesPerSecond: 2000, train: null, validation: null, test: null, diverged: { step: 7, loss: Infinity }, error: null } }, 1);
    const lines = runsToCsv([{ ...record, label: 'quick' }]).trimEnd().split('\n');
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

  it('name export files after the run or the number of runs and the date', () => {
    const date = new Date('2025-03-04T10:00:00Z');
    expect(exportFileName([fresh()], 'csv', date)).toBe('normlab-r-2025-03-04.csv');
    expect(exportFileName([fresh(), fresh()], 'json', date)).toBe('normlab-2-runs-2025-03-04.json');
  });
});
