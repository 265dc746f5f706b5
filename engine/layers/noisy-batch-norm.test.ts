import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import { batchNorm } from './batch-norm.ts';
import { noisyBatchNorm } from './noisy-batch-norm.ts';

const N = 64;
const H = 3;
const x = Float32Array.from({ length: N * H }, (_, i) => Math.sin(i * 1.7) * 3 + (i % H));

describe('noisyBatchNorm(s, random)', () => {
  it('adds, per unit and step, noise of a random mean in [−s, s] and spread in [0, s] to the training output, and a new draw every step', () => {
    const plain = batchNorm(H, {});
    const noisy = noisyBatchNorm(0.5, createRandom(7))(H, {});
    const y = plain.forward(x, N, 'train').slice();
    const d1 = noisy.forward(x, N, 'train').map((v, i) => v - y[i]);
    const d2 = noisy.forward(x, N, 'train').map((v, i) => v - y[i]);
    for (let h = 0; h < H; h++) {
      const col = (d: Float32Array) => Array.from({ length: N }, (_, i) => d[i * H + h]);
      const mean = (c: number[]) => c.reduce((s, v) => s + v, 0) / c.length;
      const m1 = mean(col(d1));
      // The noise mean is within ±s (plus the sample mean's wobble of at most a few σ/√N ≤ 0.5/8).
      expect(Math.abs(m1)).toBeLessThan(0.5 + 0.2);
      expect(col(d1).some((v) => Math.abs(v - m1) > 1e-6) || m1 !== 0).toBe(true);
      expect(mean(col(d2))).not.toBeCloseTo(m1, 6);
    }
  });

  it('adds nothing in eval mode, nor with strength 0, and passes the gradient through unchanged', () => {
    const plain = batchNorm(H, {});
    const noisy = noisyBatchNorm(1, createRandom(7))(H, {});
    expect(noisy.forward(x, N, 'eval')).toEqual(plain.forward(x, N, 'eval'));
    expect(noisyBatchNorm(0, createRandom(7))(H, {}).forward(x, N, 'train')).toEqual(plain.forward(x, N, 'train'));
    plain.forward(x, N, 'train');
    noisy.forward(x, N, 'train');
    const dout = Float32Array.from({ length: N * H }, (_, i) => Math.cos(i));
    expect(noisy.backward(dout.slice())).toEqual(plain.backward(dout.slice()));
  });

  it('is seeded: the same seed gives the same noise', () => {
    const a = noisyBatchNorm(1, createRandom(3))(H, {}).forward(x, N, 'train').slice();
    const b = noisyBatchNorm(1, createRandom(3))(H, {}).forward(x, N, 'train').slice();
    expect(a).toEqual(b);
  });

  it('rejects a strength outside [0, 10]', () => {
    expect(() => noisyBatchNorm(-1, createRandom(1))).toThrow('noisyBatchNorm: strength must be in [0, 10], received -1');
  });
});
