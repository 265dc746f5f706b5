import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import { mlp } from '../model/mlp.ts';
import { drift, inputLayerOf, inputSnapshot } from './drift.ts';

describe('drift(series)', () => {
  it('is the larger of the mean’s and the spread’s change from the first snapshot to the last, in first-spread units', () => {
    expect(
      drift([
        { mean: 1, std: 2 },
        { mean: 9, std: 9 },
        { mean: 2, std: 3 },
      ]),
    ).toEqual({ mean: 0.5, spread: 0.5, drift: 0.5 });
    expect(
      drift([
        { mean: 0, std: 0.5 },
        { mean: 0.2, std: 1.5 },
      ]),
    ).toEqual({ mean: 0.4, spread: 2, drift: 2 });
  });

  it('is null with fewer than two snapshots or a zero first spread', () => {
    expect(drift([{ mean: 1, std: 1 }])).toBeNull();
    expect(
      drift([
        { mean: 1, std: 0 },
        { mean: 1, std: 1 },
      ]),
    ).toBeNull();
  });
});

describe('inputSnapshot(model, k, step)', () => {
  const model = mlp(
    { inputs: 6, hidden: [4, 3], classes: 2, activation: 'relu', norm: 'batch', normPlacement: 'before-activation', dropout: 0 },
    createRandom(1),
  );

  it('reads the output of the layer before Dense layer k (the previous block’s activation) after a forward pass', () => {
    const x = Float32Array.from({ length: 30 }, (_, i) => Math.sin(i));
    model.forward(x, 5, 'train');
    const before = model.layers[inputLayerOf(model, 2)];
    expect(before.layer.kind).toBe('Activation');
    const a = before.lastOutput()!;
    const mean = a.reduce((s, v) => s + v, 0) / a.length;
    const std = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
    const snap = inputSnapshot(model, 2, 7);
    expect(snap.step).toBe(7);
    expect(snap.mean).toBeCloseTo(mean, 6);
    expect(snap.std).toBeCloseTo(std, 6);
  });

  it('refuses a k that has no Dense layer before it or does not exist', () => {
    expect(() => inputLayerOf(model, 1)).toThrow(
      'inputLayerOf: k must be an integer in [2, 3] (a Dense layer with a layer before it), received 1',
    );
    expect(() => inputLayerOf(model, 4)).toThrow(/received 4/);
  });
});
