import { describe, expect, it } from 'vitest';
import { backendNames, createBackend } from '../backend.ts';
import { createRandom } from '../random.ts';
import type { Layer } from '../types.ts';
import { groupNorm } from './group-norm.ts';
import { layerNorm } from './layer-norm.ts';
import { spatialBatchNorm } from './spatial-batch-norm.ts';

const shape = { rows: 3, cols: 4, channels: 8 };
const per = 3 * 4 * 8; // values per example

function images(n: number, seed: number, scale = 1): Float32Array {
  const r = createRandom(seed);
  return Float32Array.from({ length: n * per }, () => scale * (4 * r() - 2) + 1);
}

/** The output for example 0 when it is alone, and when it shares a batch of 5 with other examples, in train and eval mode. */
function outputsOfExampleZero(layer: Layer, example: Float32Array, width: number): Float32Array[] {
  const others = images(4, 99, 3);
  const batch = new Float32Array(5 * width);
  batch.set(example);
  batch.set(others.subarray(0, 4 * width), width);
  return [
    layer.forward(example, 1, 'train').slice(0, width),
    layer.forward(batch, 5, 'train').slice(0, width),
    layer.forward(example, 1, 'eval').slice(0, width),
    layer.forward(batch, 5, 'eval').slice(0, width),
  ];
}

describe.each(backendNames)('normalization per example or per batch, %s backend', (name) => {
  it('groupNorm and layerNorm give an example the same output whatever else is in its batch, in train and eval alike', () => {
    const backend = createBackend(name);
    const example = images(1, 1);
    for (const G of [1, 2, 8]) {
      const [alone, inBatch, evalAlone, evalInBatch] = outputsOfExampleZero(groupNorm(shape, G, { backend }), example, per);
      expect(Array.from(inBatch), `groupNorm G=${G}, train`).toEqual(Array.from(alone));
      expect(Array.from(evalAlone), `groupNorm G=${G}, eval`).toEqual(Array.from(alone));
      expect(Array.from(evalInBatch), `groupNorm G=${G}, eval in a batch`).toEqual(Array.from(alone));
    }
    const dense = layerNorm(per, { backend });
    const [alone, inBatch, evalAlone, evalInBatch] = outputsOfExampleZero(dense, example, per);
    expect(Array.from(inBatch)).toEqual(Array.from(alone));
    expect(Array.from(evalAlone)).toEqual(Array.from(alone));
    expect(Array.from(evalInBatch)).toEqual(Array.from(alone));
  });

  it('spatialBatchNorm in training mode gives an example a different output in a different batch, and differs from eval mode', () => {
    const example = images(1, 1);
    const [alone, inBatch, evalAlone] = outputsOfExampleZero(spatialBatchNorm(shape, { backend: createBackend(name) }), example, per);
    const largest = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
    expect(largest(alone, inBatch)).toBeGreaterThan(0.1);
    expect(largest(alone, evalAlone)).toBeGreaterThan(0.1);
  });
});

describe('groupNorm', () => {
  it('groupNorm(shape, G) has the expected defaults: ε 1e-3 (Keras), γ = 1 and β = 0 per channel, no decay', () => {
    const gn = groupNorm(shape, 4);
    expect([gn.kind, gn.groups, gn.epsilon]).toEqual(['GroupNormalization', 4, 1e-3]);
    expect(Array.from(gn.gamma.value)).toEqual(new Array(8).fill(1));
    expect(Array.from(gn.beta.value)).toEqual(new Array(8).fill(0));
    expect([gn.gamma.decay, gn.beta.decay]).toEqual([false, false]);
    expect(layerNorm(5).kind).toBe('LayerNormalization');
  });

  it('groupNorm rejects a group count that does not divide the channels, naming both', () => {
    expect(() => groupNorm(shape, 3)).toThrow(/groups must divide the 8 channels, received 3/);
    expect(() => groupNorm(shape, 9)).toThrow(/groups must be an integer in \[1, 8\], received 9/);
  });

  it('a constant group normalizes to β (x̂ = 0, no NaN)', () => {
    const gn = groupNorm({ rows: 2, cols: 2, channels: 2 }, 2);
    gn.beta.value.set([0.5, -1]);
    const x = Float32Array.from([3, 1, 3, 2, 3, 3, 3, 4]); // channel 0 constant
    const y = gn.forward(x, 1, 'train');
    expect([y[0], y[2], y[4], y[6]]).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(y.every(Number.isFinite)).toBe(true);
  });
});
