import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/mnist.ts';
import { createRandom } from '../random.ts';
import { parseTrainConfig } from './config.ts';
import { evaluate } from './evaluate.ts';
import { buildModel } from './session.ts';
import { evaluateSlices, forwardMacs, layerMacs, runToEnd } from './slices.ts';

function noiseDataset(count: number, features: number, seed: number): Dataset {
  const random = createRandom(seed);
  return {
    images: Uint8Array.from({ length: count * features }, () => Math.floor(random() * 256)),
    labels: Uint8Array.from({ length: count }, () => Math.floor(random() * 10)),
    count,
    features,
  };
}

describe('slices', () => {
  it('evaluateSlices(model, set, rows) gives exactly what evaluate() gives, one batch per slice, yielding its multiply-adds', () => {
    const set = noiseDataset(2500, 12, 1);
    const model = buildModel(parseTrainConfig({ hidden: [8], norm: 'batch' }), 12, 10);
    const slices = evaluateSlices(model, set, 1000);
    const yielded = [slices.next(), slices.next(), slices.next()].map((s) => s.value);
    expect(yielded).toEqual([1000 * (12 * 8 + 8 * 10), 1000 * 176, 500 * 176]);
    const last = slices.next();
    expect(last.done).toBe(true);
    expect(last.value).toEqual(evaluate(model, set, { batchSize: 1000 }));
    expect(runToEnd(evaluateSlices(model, set, 1000))).toEqual(evaluate(model, set, { batchSize: 1000 }));
  });

  it('layerMacs(model) counts each Dense layer inputs × units and nothing for the others', () => {
    const model = buildModel(parseTrainConfig({ hidden: [8, 6], norm: 'batch', dropout: 0.5 }), 12, 10);
    const macs = layerMacs(model);
    expect(macs.filter((m) => m > 0)).toEqual([12 * 8, 8 * 6, 6 * 10]);
    expect(forwardMacs(model)).toBe(96 + 48 + 60);
  });

  it('evaluateSlices rejects an empty set when it starts', () => {
    const model = buildModel(parseTrainConfig({ hidden: [8] }), 12, 10);
    expect(() => runToEnd(evaluateSlices(model, { ...noiseDataset(1, 12, 1), count: 0 }, 10))).toThrow(/the dataset is empty/);
  });
});
