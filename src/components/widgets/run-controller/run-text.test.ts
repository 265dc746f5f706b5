import { describe, expect, test } from 'vitest';
import { parseTrainConfig } from '@engine/train/config.ts';
import { createRunRecord, type RunRecord } from '@client/run-record';
import { currentStep, formatCount, formatSeconds, newestGroup, progressFraction, progressLine } from './run-text';

function record(fields: Partial<RunRecord> = {}): RunRecord {
  return { ...createRunRecord({ id: 'r', widget: 'w', config: parseTrainConfig({ epochs: 2 }), now: 0 }), ...fields };
}

const info = {
  summary: { rows: [], trainable: 0, nonTrainable: 0, total: 0 },
  stepsPerEpoch: 100,
  totalSteps: 200,
  trainCount: 3200,
  validationCount: 6000,
};
const point = (step: number) => ({ step, epoch: step / 100, loss: 1, accuracy: 0.5, batchLoss: 1 });

describe('run text', () => {
  test('progressLine(record) says where a running run is, its speed and the time left', () => {
    const r = record({ state: 'running', info, progress: [point(150)], samplesPerSecond: 11800.4, etaSeconds: 42 });
    expect(progressLine(r)).toBe('epoch 2/2 · step 150/200 · 11,800 images/s · about 42 s left');
    expect(progressLine({ ...r, progress: [point(100)] })).toMatch(/^epoch 1\/2 · step 100\/200/);
    expect(progressLine({ ...r, state: 'paused' })).toBe('paused · epoch 2/2 · step 150/200 · 11,800 images/s');
    expect(progressFraction(r)).toBe(0.75);
  });

  test('progressLine(record) names how a run ended', () => {
    const summary = {
      steps: 37,
      epochs: 0,
      seconds: 3,
      samplesPerSecond: 1,
      train: null,
      validation: null,
      test: null,
      diverged: { step: 37, loss: Infinity },
      error: null,
    };
    expect(progressLine(record({ state: 'diverged', summary }))).toBe('diverged at step 37');
    expect(progressLine(record({ state: 'failed', summary: { ...summary, error: 'out of memory' } }))).toBe('failed: out of memory');
    expect(progressLine(record({ state: 'interrupted', progress: [point(12)] }))).toBe('interrupted (the tab closed) after 12 steps');
    expect(progressLine(record({ state: 'starting' }))).toBe('starting…');
  });

  test('an ended run counts the steps its summary gives (the last progress point may lag them)', () => {
    const stopped = record({ state: 'stopped', info, progress: [point(100)], summary: null });
    expect(currentStep(stopped)).toBe(100);
    const summary = {
      steps: 120,
      epochs: 1,
      seconds: 1,
      samplesPerSecond: 1,
      train: null,
      validation: null,
      test: null,
      diverged: null,
      error: null,
    };
    expect(currentStep({ ...stopped, summary })).toBe(120);
    expect(progressFraction({ ...stopped, summary })).toBe(0.6);
    expect(formatCount(21345.6)).toBe('21,346');
  });

  test('formatSeconds rounds for people', () => {
    expect(formatSeconds(0.1234)).toBe('0.12 s');
    expect(formatSeconds(2.345)).toBe('2.3 s');
    expect(formatSeconds(45.6)).toBe('46 s');
    expect(formatSeconds(125)).toBe('2 min 5 s');
    expect(formatSeconds(NaN)).toBe('—');
  });

  test('newestGroup(records) returns the runs of the latest group, oldest first', () => {
    const runs = [
      record({ id: 'a', group: 'g1', createdAt: 1 }),
      record({ id: 'b', group: 'g2', createdAt: 5 }),
      record({ id: 'c', group: 'g2', createdAt: 4 }),
      record({ id: 'd', group: null, createdAt: 9 }),
    ];
    expect(newestGroup(runs).map((r) => r.id)).toEqual(['c', 'b']);
    expect(newestGroup([record({ group: null })])).toEqual([]);
  });
});
