import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/mnist.ts';
import { createRandom } from '../random.ts';
import { buildModel } from '../train/session.ts';
import { parseTrainConfig } from '../train/config.ts';
import { evaluate } from '../train/evaluate.ts';
import { slicedEvaluation } from './evaluation.ts';

function noiseDataset(count: number, features: number, seed: number): Dataset {
  const random = createRandom(seed);
  return {
    images: Uint8Array.from({ length: count * features }, () => Math.floor(random() * 256)),
    labels: Uint8Array.from({ length: count }, () => Math.floor(random() * 10)),
    count,
    features,
  };
}

describe('slicedEvaluation(model, set, rows)', () => {
  it('gives exactly what evaluate() gives, one batch per next() call', () => {
    const set = noiseDataset(2500, 12, 1);
    const model = buildModel(parseTrainConfig({ hidden: [8], norm: 'batch' }), 12, 10);
    const sliced = slicedEvaluation(model, set, 1000);
    const calls = [sliced.next(), sliced.next(), sliced.next()];
    expect(calls).toEqual([false, false, true]);
    expect(sliced.result()).toEqual(evaluate(model, set, { batchSize: 1000 }));
  });

  it('rejects an empty set where it is made', () => {
    const model = buildModel(parseTrainConfig({ hidden: [8] }), 12, 10);
    expect(() => slicedEvaluation(model, { ...noiseDataset(1, 12, 1), count: 0 }, 10)).toThrow(/the dataset is empty/);
  });
});
