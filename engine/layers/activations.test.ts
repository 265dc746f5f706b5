import { describe, expect, it } from 'vitest';
import { relu, sigmoid, tanh } from './activations.ts';

const x = Float32Array.from([-3, -0.5, 0, 0.5, 3, 40]);

describe('activations', () => {
  it('relu(), sigmoid() and tanh() are parameter-free Activation layers named by fn', () => {
    for (const [make, fn] of [
      [relu, 'relu'],
      [sigmoid, 'sigmoid'],
      [tanh, 'tanh'],
    ] as const) {
      const layer = make();
      expect(layer.kind).toBe('Activation');
      expect(layer.fn).toBe(fn);
      expect(layer.params()).toEqual([]);
    }
  });

  it('relu forward is max(0, x) and its backward passes dy only where the output is positive (0 at the kink)', () => {
    const layer = relu();
    expect(Array.from(layer.forward(x, 2, 'train'))).toEqual([0, 0, 0, 0.5, 3, 40]);
    expect(Array.from(layer.backward(Float32Array.from([1, 2, 3, 4, 5, 6])))).toEqual([0, 0, 0, 4, 5, 6]);
  });

  it('sigmoid forward is 1/(1 + e^(−x)), saturating without NaN, and its backward is dy·y·(1 − y)', () => {
    const layer = sigmoid();
    const y = layer.forward(Float32Array.from([0, 2, -200, 200]), 1, 'train');
    expect(y[0]).toBe(0.5);
    expect(y[1]).toBeCloseTo(1 / (1 + Math.exp(-2)), 7);
    expect([y[2], y[3]]).toEqual([0, 1]);
    const dx = layer.backward(Float32Array.from([2, 1, 1, 1]));
    expect(dx[0]).toBe(0.5);
    expect(dx[1]).toBeCloseTo(y[1] * (1 - y[1]), 7);
  });

  it('tanh forward is tanh(x) and its backward is dy·(1 − y²)', () => {
    const layer = tanh();
    const y = layer.forward(Float32Array.from([0, 1, -1]), 3, 'train');
    expect(y[1]).toBeCloseTo(Math.tanh(1), 7);
    expect(y[2]).toBeCloseTo(-Math.tanh(1), 7);
    const dx = layer.backward(Float32Array.from([3, 1, 1]));
    expect(dx[0]).toBe(3);
    expect(dx[1]).toBeCloseTo(1 - Math.tanh(1) ** 2, 6);
  });

  it('NaN inputs stay NaN, so divergence reaches the loss', () => {
    for (const make of [relu, sigmoid, tanh]) {
      expect(Number.isNaN(make().forward(Float32Array.from([NaN, 1]), 1, 'eval')[0])).toBe(true);
    }
  });

  it('takes its width from x.length / n and reuses its buffers for the same size', () => {
    const layer = tanh();
    const y1 = layer.forward(new Float32Array(12), 3, 'train');
    expect(layer.forward(new Float32Array(12), 4, 'train')).toBe(y1);
    expect(layer.forward(new Float32Array(10), 2, 'train').length).toBe(10);
  });

  it('backward needs a prior train forward; eval forward clears it', () => {
    const layer = relu();
    expect(() => layer.backward(new Float32Array(6))).toThrow('relu.backward: call forward(x, n, "train") first');
    layer.forward(x, 2, 'train');
    expect(() => layer.backward(new Float32Array(5))).toThrow('relu.backward: dout must hold 6 values like the last output, received 5');
    layer.forward(x, 2, 'eval');
    expect(() => layer.backward(new Float32Array(6))).toThrow(/call forward/);
  });

  it('rejects shapes that do not fit with the value received', () => {
    expect(() => sigmoid().forward(new Float32Array(7), 2, 'train')).toThrow(
      'sigmoid.forward: x.length must be a multiple of n = 2, received 7',
    );
    expect(() => tanh().forward(new Float32Array(0), 0, 'train')).toThrow(/tanh.forward: n must be an integer in \[1, .*received 0/);
    // @ts-expect-error deliberately wrong mode
    expect(() => relu().forward(x, 2, 'test')).toThrow("mode must be 'train' or 'eval', received test");
  });
});
