import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from './softmax-cross-entropy.ts';

describe('softmaxCrossEntropy', () => {
  it('equal logits give loss log K and dlogits (1/K − onehot)/N', () => {
    const { loss, dlogits, correct } = softmaxCrossEntropy(new Float32Array(8), [1, 3], 2, 4);
    expect(loss).toBeCloseTo(Math.log(4), 12);
    expect(Array.from(dlogits)).toEqual([0.125, -0.375, 0.125, 0.125, 0.125, 0.125, 0.125, -0.375]);
    expect(correct).toBe(0); // ties go to the first index, as argmax does
  });

  it('matches a hand computation: logits [1, 2, 3], label 2 → −log(e³/(e + e² + e³))', () => {
    const { loss, dlogits, correct } = softmaxCrossEntropy(Float32Array.from([1, 2, 3]), [2], 1, 3);
    const z = Math.E + Math.E ** 2 + Math.E ** 3;
    expect(loss).toBeCloseTo(-Math.log(Math.E ** 3 / z), 12);
    expect(dlogits[0]).toBeCloseTo(Math.E / z, 7);
    expect(dlogits[2]).toBeCloseTo(Math.E ** 3 / z - 1, 7);
    expect(correct).toBe(1);
  });

  it('is mean over the batch, and each row of dlogits sums to 0', () => {
    const logits = Float32Array.from([0.5, -1, 2, 3, 0, -2]);
    const one = softmaxCrossEntropy(logits.subarray(0, 3), [0], 1, 3).loss;
    const two = softmaxCrossEntropy(logits.subarray(3), [1], 1, 3).loss;
    const { loss, dlogits, correct } = softmaxCrossEntropy(logits, [0, 1], 2, 3);
    expect(loss).toBeCloseTo((one + two) / 2, 12);
    expect(dlogits[0] + dlogits[1] + dlogits[2]).toBeCloseTo(0, 7);
    expect(dlogits[3] + dlogits[4] + dlogits[5]).toBeCloseTo(0, 7);
    expect(correct).toBe(0);
  });

  it('logits of 1000 neither overflow nor give NaN: shifting every logit leaves loss and dlogits unchanged', () => {
    const small = softmaxCrossEntropy(Float32Array.from([0, 2, -1, 4]), [1, 0], 2, 2);
    const smallCopy = { loss: small.loss, dlogits: small.dlogits.slice() };
    const big = softmaxCrossEntropy(Float32Array.from([1000, 1002, 999, 1004]), [1, 0], 2, 2);
    expect(Number.isFinite(big.loss)).toBe(true);
    expect(big.loss).toBeCloseTo(smallCopy.loss, 10);
    big.dlogits.forEach((v, i) => expect(v).toBeCloseTo(smallCopy.dlogits[i], 7));
    const hopeless = softmaxCrossEntropy(Float32Array.from([1000, -1000]), [1], 1, 2);
    expect(hopeless.loss).toBe(2000);
    expect(Array.from(hopeless.dlogits)).toEqual([1, -1]);
  });

  it('a NaN logit gives a non-finite loss instead of throwing, so the training step can report divergence', () => {
    expect(Number.isNaN(softmaxCrossEntropy(Float32Array.from([NaN, 1]), [0], 1, 2).loss)).toBe(true);
  });

  it('reuses its dlogits buffer for the same N·K', () => {
    const a = softmaxCrossEntropy(new Float32Array(6), [0, 1], 2, 3).dlogits;
    expect(softmaxCrossEntropy(new Float32Array(6), [2, 1], 2, 3).dlogits).toBe(a);
  });

  it('rejects shapes and labels that do not fit with the value received and the range expected', () => {
    expect(() => softmaxCrossEntropy(new Float32Array(20), [0, 10], 2, 10)).toThrow(
      'softmaxCrossEntropy: labels[1] must be an integer in [0, 9], received 10',
    );
    expect(() => softmaxCrossEntropy(new Float32Array(20), [-1, 0], 2, 10)).toThrow(
      /labels\[0\] must be an integer in \[0, 9\], received -1/,
    );
    expect(() => softmaxCrossEntropy(new Float32Array(20), [0, 1.5], 2, 10)).toThrow(/received 1.5/);
    expect(() => softmaxCrossEntropy(new Float32Array(20), [0], 2, 10)).toThrow(
      'softmaxCrossEntropy: labels must hold n = 2 values, received 1',
    );
    expect(() => softmaxCrossEntropy(new Float32Array(19), [0, 1], 2, 10)).toThrow(
      'softmaxCrossEntropy: logits must hold n·k = 2·10 = 20 values, received 19',
    );
    expect(() => softmaxCrossEntropy(new Float32Array(0), [], 0, 10)).toThrow(/n must be an integer in \[1, .*received 0/);
  });
});
