import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/mnist.ts';
import { parseTrainConfig } from './config.ts';
import { evaluate } from './evaluate.ts';
import { evaluateWithBatchStats } from './inference-stats.ts';
import { changeIntensity, intensityTest } from './intensity.ts';
import { createSession } from './session.ts';
import { toyDigits } from '../testing/toy-digits.ts';

const train = toyDigits(640, 1);
const test = toyDigits(300, 2);

function trained(norm: 'none' | 'batch') {
  const s = createSession(parseTrainConfig({ norm, hidden: [32], dropout: 0, bnMomentum: 0.9, lr: 0.01, epochs: 2 }), { train });
  while (!s.done) s.step();
  return s.model;
}

describe('changeIntensity(set, change)', () => {
  it('scales and shifts every byte, rounded and clipped to [0, 255], and leaves the original alone', () => {
    const set: Dataset = { images: Uint8Array.from([0, 10, 100, 200, 255]), labels: Uint8Array.from([3]), count: 1, features: 5 };
    expect([...changeIntensity(set, { contrast: 0.5, brightness: 0 }).images]).toEqual([0, 5, 50, 100, 128]);
    expect([...changeIntensity(set, { contrast: 2, brightness: 0 }).images]).toEqual([0, 20, 200, 255, 255]);
    expect([...changeIntensity(set, { contrast: 1, brightness: 0.2 }).images]).toEqual([51, 61, 151, 251, 255]);
    expect([...changeIntensity(set, { contrast: 1, brightness: -0.2 }).images]).toEqual([0, 0, 49, 149, 204]);
    expect([...set.images]).toEqual([0, 10, 100, 200, 255]);
  });

  it('rejects a change outside its range, naming the value', () => {
    expect(() => changeIntensity(test, { contrast: -1, brightness: 0 })).toThrow(
      'changeIntensity.contrast: expected a number in [0, 10], received -1',
    );
    expect(() => changeIntensity(test, { contrast: 1, brightness: Number.NaN })).toThrow(
      'changeIntensity.brightness: expected a number in [-1, 1], received NaN',
    );
  });
});

describe('intensityTest(model, set, changes)', () => {
  it('with no change equals evaluate (running statistics) and evaluateWithBatchStats, and the first layer does not move', () => {
    const model = trained('batch');
    const [r] = intensityTest(model, test, [{ contrast: 1, brightness: 0 }], { batchSize: 50 });
    expect(r.running.accuracy).toBeCloseTo(evaluate(model, test).accuracy, 10);
    expect(r.running.loss).toBeCloseTo(evaluate(model, test).loss, 5);
    expect(r.batch).toEqual(evaluateWithBatchStats(model, test, 50));
    expect(r.firstLayerShift).toBe(0);
  });

  it('a brightness shift moves the first layer and costs BN with running statistics more than with batch statistics, which re-center it', () => {
    const model = trained('batch');
    const before = evaluate(model, test);
    const [r] = intensityTest(model, test, [{ contrast: 1, brightness: 0.4 }], { batchSize: 100 });
    expect(r.firstLayerShift).toBeGreaterThan(0.5);
    expect(r.running.accuracy).toBeLessThan(before.accuracy);
    expect(r.batch!.accuracy).toBeGreaterThan(r.running.accuracy);
    // The model is left as it came.
    expect(evaluate(model, test)).toEqual(before);
  });

  it('gives no batch-statistics result for a model without BN, and tests only the first `limit` rows', () => {
    const model = trained('none');
    const [r] = intensityTest(model, test, [{ contrast: 0.5, brightness: 0 }], { limit: 100 });
    expect(r.batch).toBeNull();
    const first100 = { ...test, count: 100, images: test.images.subarray(0, 4000), labels: test.labels.subarray(0, 100) };
    expect(r.running.accuracy).toBeCloseTo(evaluate(model, changeIntensity(first100, { contrast: 0.5, brightness: 0 })).accuracy, 10);
  });

  it('rejects an empty list of changes and a bad batch size', () => {
    const model = trained('none');
    expect(() => intensityTest(model, test, [])).toThrow('intensityTest: expected at least one intensity change, received none');
    expect(() => intensityTest(model, test, [{ contrast: 1, brightness: 0 }], { batchSize: 1 })).toThrow(
      'intensityTest: batchSize must be an integer in [2, 9007199254740991], received 1',
    );
  });
});
