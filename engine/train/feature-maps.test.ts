import { describe, expect, it } from 'vitest';
import type { Dataset } from '../data/mnist.ts';
import { createRandom } from '../random.ts';
import { parseTrainConfig } from './config.ts';
import { featureMaps } from './feature-maps.ts';
import { createSession } from './session.ts';

/** 12 × 12 toy images: class k lights a 2 × 2 square whose corner depends on k, over sparse noise. */
const side = 12;
const out = side - 2;

function toyImages(count: number, seed: number): Dataset {
  const F = side * side;
  const r = createRandom(seed);
  const images = new Uint8Array(count * F);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const k = Math.floor(r() * 10);
    labels[i] = k;
    for (let f = 0; f < F; f++) images[i * F + f] = r() < 0.1 ? Math.floor(r() * 120) : 0;
    const row = Math.floor(k / 4) * 2;
    const col = (k % 4) * 2;
    for (const [dr, dc] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ])
      images[i * F + (row + dr) * side + col + dc] = 255;
  }
  return { images, labels, count, features: F };
}

const train = toyImages(200, 1);
const test = toyImages(50, 2);

function trained(norm: string) {
  const s = createSession(parseTrainConfig({ model: 'cnn', conv: [4, 6], norm, batchSize: 20, epochs: 1, lr: 0.01 }), { train });
  while (!s.done) s.step();
  return s.model;
}

/** The valid 3 × 3 convolution of one-channel side × side images, written out (kernel (3, 3, 1, F), bias (F) or none). */
function convByHand(x: Float32Array, n: number, kernel: Float32Array, bias: Float32Array | null, F: number): Float32Array {
  const result = new Float32Array(n * out * out * F);
  for (let i = 0; i < n; i++)
    for (let r = 0; r < out; r++)
      for (let s = 0; s < out; s++)
        for (let f = 0; f < F; f++) {
          let sum = bias ? bias[f] : 0;
          for (let a = 0; a < 3; a++)
            for (let b = 0; b < 3; b++) sum += x[i * side * side + (r + a) * side + s + b] * kernel[(a * 3 + b) * F + f];
          result[((i * out + r) * out + s) * F + f] = sum;
        }
  return result;
}

describe('featureMaps(model, test, { layer, count, start })', () => {
  it("returns the first conv block's output before BN, equal to the convolution written out, with BN's γ, β, ε and running statistics", () => {
    const model = trained('batch');
    const maps = featureMaps(model, test, { layer: 0, count: 5, start: 10 });
    expect(maps).toMatchObject({ kind: 'feature-maps', layer: 0, batch: 5, height: out, width: out, channels: 4 });
    expect(maps.labels).toEqual([...test.labels.subarray(10, 15)]);
    const x = Float32Array.from(test.images.subarray(10 * side * side, 15 * side * side), (v) => v / 255);
    expect(maps.images).toEqual(x);
    const [kernel] = model.params(); // BN makes the conv bias redundant: the conv has none
    expect(model.params()[1].name).not.toMatch(/bias/);
    const expected = convByHand(x, 5, kernel.value, null, 4);
    for (let i = 0; i < expected.length; i++) expect(maps.preNorm[i]).toBeCloseTo(expected[i], 5);
    const bn = model.layers[1].layer as unknown as {
      gamma: { value: Float32Array };
      movingMean: Float32Array;
      movingVariance: Float32Array;
    };
    expect(maps.norm).toMatchObject({ kind: 'batch', groups: null, epsilon: 1e-3 });
    expect(maps.norm.gamma).toEqual(bn.gamma.value);
    expect(maps.norm.runningMean).toEqual(bn.movingMean);
    expect(maps.norm.runningVariance).toEqual(bn.movingVariance);
    expect(maps.norm.gamma).not.toBe(bn.gamma.value); // a copy, safe to transfer
  });

  it('returns a later block as the layers up to its conv compute it, and a model without norm with its bias and no norm parameters', () => {
    const model = trained('none');
    const maps = featureMaps(model, test, { layer: 1, count: 4, start: 0 });
    expect(maps).toMatchObject({ layer: 1, batch: 4, height: 3, width: 3, channels: 6 });
    expect(maps.norm).toEqual({
      kind: 'none',
      groups: null,
      gamma: null,
      beta: null,
      runningMean: null,
      runningVariance: null,
      epsilon: null,
    });
    let h = Float32Array.from(test.images.subarray(0, 4 * side * side), (v) => v / 255);
    const second = model.layers.map((l) => l.layer.kind).lastIndexOf('Conv2D');
    for (const l of model.layers.slice(0, second + 1)) h = l.layer.forward(h, 4, 'eval').slice();
    expect(maps.preNorm).toEqual(h);
  });

  it('gives GroupNorm its groups and LayerNorm one group', () => {
    expect(featureMaps(trained('group:2'), test, { layer: 1, count: 2, start: 0 }).norm).toMatchObject({ kind: 'group', groups: 2 });
    expect(featureMaps(trained('layer'), test, { layer: 0, count: 2, start: 0 }).norm).toMatchObject({ kind: 'layer', groups: 1 });
  });

  it('refuses a block, a count or images the model and test set do not have, naming what it received', () => {
    const model = trained('batch');
    expect(() => featureMaps(model, test, { layer: 2, count: 4, start: 0 })).toThrow(/conv block index 0–1, received 2/);
    expect(() => featureMaps(model, test, { layer: 0, count: 33, start: 0 })).toThrow(/1–32 test images, received 33/);
    expect(() => featureMaps(model, test, { layer: 0, count: 4, start: 48 })).toThrow(/images 48–51 asked, but the test set has 50/);
    const mlp = createSession(parseTrainConfig({ hidden: [8] }), { train }).model;
    expect(() => featureMaps(mlp, test, { layer: 0, count: 4, start: 0 })).toThrow(/no conv blocks \(an MLP\)/);
  });
});
