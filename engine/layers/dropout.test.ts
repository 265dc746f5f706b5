import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import { dropout } from './dropout.ts';

function countingRandom(seed: number): { random: () => number; calls: () => number } {
  const inner = createRandom(seed);
  let calls = 0;
  return {
    random: () => {
      calls++;
      return inner();
    },
    calls: () => calls,
  };
}

describe('dropout', () => {
  it('in train mode keeps ≈ (1 − rate) of the units and scales them by 1/(1 − rate)', () => {
    const layer = dropout(0.2, { random: createRandom(1) });
    const n = 1000;
    const y = layer.forward(new Float32Array(n * 100).fill(1), n, 'train');
    const kept = y.filter((v) => v !== 0).length;
    expect(new Set(y)).toEqual(new Set([0, Math.fround(1 / 0.8)]));
    // Binomial(100 000, 0.8): σ of the kept fraction ≈ 0.0013, so ±0.01 is ~8σ.
    expect(kept / y.length).toBeGreaterThan(0.79);
    expect(kept / y.length).toBeLessThan(0.81);
    expect(layer.kind).toBe('Dropout');
    expect(layer.params()).toEqual([]);
  });

  it('in train mode preserves the expected sum of its input (inverted scaling)', () => {
    const layer = dropout(0.5, { random: createRandom(2) });
    const r = createRandom(3);
    const x = Float32Array.from({ length: 100_000 }, () => r());
    const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
    // σ of Σy ≈ √(100 000 · E[x²]·rate/(1 − rate)) ≈ 180 on a sum of ≈ 50 000: 2 % is ~5σ.
    expect(Math.abs(sum(layer.forward(x, 100, 'train')) / sum(x) - 1)).toBeLessThan(0.02);
  });

  it('in eval mode returns x itself and draws no random numbers', () => {
    const counter = countingRandom(4);
    const layer = dropout(0.5, { random: counter.random });
    const x = Float32Array.from([1, 2, 3, 4]);
    expect(layer.forward(x, 2, 'eval')).toBe(x);
    expect(counter.calls()).toBe(0);
    expect(() => layer.backward(x)).toThrow('dropout.backward: call forward(x, n, "train") first');
  });

  it('backward applies the same mask and scale as the forward', () => {
    const layer = dropout(0.25, { random: createRandom(5) });
    const x = new Float32Array(64).fill(2);
    const y = layer.forward(x, 8, 'train');
    const dx = layer.backward(new Float32Array(64).fill(1));
    for (let i = 0; i < 64; i++) expect(dx[i]).toBe(y[i] / 2);
    expect(dx.some((v) => v === 0)).toBe(true);
  });

  it('the same seed gives the same masks; rate 0 keeps everything without drawing', () => {
    const ones = new Float32Array(50).fill(1);
    const a = dropout(0.5, { random: createRandom(6) }).forward(ones, 5, 'train');
    const b = dropout(0.5, { random: createRandom(6) }).forward(ones, 5, 'train');
    const c = dropout(0.5, { random: createRandom(7) }).forward(ones, 5, 'train');
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    const counter = countingRandom(8);
    expect(Array.from(dropout(0, { random: counter.random }).forward(ones, 5, 'train'))).toEqual(Array.from(ones));
    expect(counter.calls()).toBe(0);
  });

  it('the rate setter is validated and applies from the next train forward', () => {
    const layer = dropout(0.2, { random: createRandom(9) });
    layer.rate = 0.5;
    expect(layer.rate).toBe(0.5);
    expect(new Set(layer.forward(new Float32Array(100).fill(1), 10, 'train'))).toEqual(new Set([0, 2]));
    expect(() => (layer.rate = 1)).toThrow('dropout: rate must be in [0, 1), received 1');
    expect(layer.rate).toBe(0.5);
  });

  it('rejects bad options and shapes with the value received and the range expected', () => {
    const random = createRandom(10);
    expect(() => dropout(1.2, { random })).toThrow('dropout: rate must be in [0, 1), received 1.2');
    expect(() => dropout(-0.1, { random })).toThrow('dropout: rate must be in [0, 1), received -0.1');
    expect(() => dropout(NaN, { random })).toThrow('dropout: rate must be a finite number in [0, 1), received NaN');
    // @ts-expect-error deliberately missing generator
    expect(() => dropout(0.2, {})).toThrow('dropout: options.random must be a function returning numbers in [0, 1), received undefined');
    const layer = dropout(0.2, { random });
    expect(() => layer.forward(new Float32Array(7), 2, 'train')).toThrow(
      'dropout.forward: x.length must be a multiple of n = 2, received 7',
    );
    layer.forward(new Float32Array(8), 2, 'train');
    expect(() => layer.backward(new Float32Array(6))).toThrow('dropout.backward: dout must hold 8 values like the last output, received 6');
  });
});
