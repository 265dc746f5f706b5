import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import { batchNorm, bnAblations, bnMemory, type BnAblation } from './batch-norm.ts';
import { spatialBatchNorm } from './spatial-batch-norm.ts';

/** x (N, H): feature h has mean ≈ 3h − 2 and spread ≈ h + 1. */
function batch(n: number, H: number, seed: number): Float32Array {
  const r = createRandom(seed);
  const x = new Float32Array(n * H);
  for (let i = 0; i < x.length; i++) {
    const h = i % H;
    x[i] = 3 * h - 2 + (h + 1) * (2 * r() - 1);
  }
  return x;
}

function column(x: Float32Array, H: number, h: number): number[] {
  return Array.from({ length: x.length / H }, (_, r) => x[r * H + h]);
}

function meanAndVariance(v: number[]): { mean: number; variance: number } {
  const mean = v.reduce((s, a) => s + a, 0) / v.length;
  return { mean, variance: v.reduce((s, a) => s + (a - mean) ** 2, 0) / v.length };
}

describe('batchNorm', () => {
  it('batchNorm(features) has the expected defaults (Keras: momentum 0.99, epsilon 1e-3, biased)', () => {
    const bn = batchNorm(3);
    expect(bn.kind).toBe('BatchNormalization');
    expect(bn.features).toBe(3);
    expect(bn.momentum).toBe(0.99);
    expect(bn.epsilon).toBe(1e-3);
    expect(bn.runningVariance).toBe('biased');
    expect(bn.ablation).toBe('full');
    expect(Array.from(bn.gamma.value)).toEqual([1, 1, 1]);
    expect(Array.from(bn.beta.value)).toEqual([0, 0, 0]);
    expect(Array.from(bn.movingMean)).toEqual([0, 0, 0]);
    expect(Array.from(bn.movingVariance)).toEqual([1, 1, 1]);
    expect([bn.gamma.name, bn.beta.name]).toEqual(['gamma', 'beta']);
    expect([bn.gamma.decay, bn.beta.decay]).toEqual([false, false]);
    expect(bn.params()).toEqual([bn.gamma, bn.beta]);
    expect(bn.lastBatchStats()).toBeNull();
  });

  it("forward(x, n, 'train') gives each feature mean β and standard deviation γ·σ/√(σ² + ε)", () => {
    const n = 64;
    const H = 4;
    const bn = batchNorm(H);
    bn.gamma.value.set([0.5, 1, 2, 3]);
    bn.beta.value.set([-1, 0, 1, 2]);
    const x = batch(n, H, 1);
    const y = bn.forward(x, n, 'train');
    for (let h = 0; h < H; h++) {
      const input = meanAndVariance(column(x, H, h));
      const out = meanAndVariance(column(y, H, h));
      expect(out.mean).toBeCloseTo(bn.beta.value[h], 5);
      const expectedStd = bn.gamma.value[h] * Math.sqrt(input.variance / (input.variance + bn.epsilon));
      expect(Math.sqrt(out.variance) / expectedStd).toBeCloseTo(1, 5);
      // ε only shrinks the spread slightly for features this wide.
      expect(Math.sqrt(out.variance)).toBeCloseTo(bn.gamma.value[h], 2);
    }
    const stats = bn.lastBatchStats();
    expect(stats).not.toBeNull();
    expect(stats!.mean[2]).toBeCloseTo(meanAndVariance(column(x, H, 2)).mean, 5);
    expect(stats!.variance[2]).toBeCloseTo(meanAndVariance(column(x, H, 2)).variance, 5);
  });

  // Two features, N = 4, momentum 0.9; batch means and biased variances by hand:
  //   batch 1: [1, 2, 3, 4] → mean 2.5, var 1.25      [-1, -2, -3, -4] → mean −2.5, var 1.25
  //   batch 2: [0, 0, 4, 4] → mean 2,   var 4         [8, 8, 8, 8]     → mean 8,    var 0
  //   batch 3: [2, 2, 2, 2] → mean 2,   var 0         [0, 1, 0, 1]     → mean 0.5,  var 0.25
  const batches = [
    [1, -1, 2, -2, 3, -3, 4, -4],
    [0, 8, 0, 8, 4, 8, 4, 8],
    [2, 0, 2, 1, 2, 0, 2, 1],
  ].map((b) => Float32Array.from(b));

  it('moving statistics follow the Keras formula moving = m·moving + (1 − m)·batch over several batches', () => {
    const bn = batchNorm(2, { momentum: 0.9 });
    for (const b of batches) bn.forward(b, 4, 'train');
    // mean f0: 0 → 0.25 → 0.425 → 0.5825        var f0: 1 → 1.025 → 1.3225 → 1.19025
    // mean f1: 0 → −0.25 → 0.575 → 0.5675       var f1: 1 → 1.025 → 0.9225 → 0.85525
    expect(bn.movingMean[0]).toBeCloseTo(0.5825, 6);
    expect(bn.movingMean[1]).toBeCloseTo(0.5675, 6);
    expect(bn.movingVariance[0]).toBeCloseTo(1.19025, 6);
    expect(bn.movingVariance[1]).toBeCloseTo(0.85525, 6);
  });

  it("runningVariance: 'unbiased' feeds N/(N − 1)·variance into the moving variance (PyTorch), and normalizes the same way", () => {
    const unbiased = batchNorm(2, { momentum: 0.9, runningVariance: 'unbiased' });
    const biased = batchNorm(2, { momentum: 0.9 });
    for (const b of batches) {
      const yu = unbiased.forward(b, 4, 'train').slice();
      expect(Array.from(yu)).toEqual(Array.from(biased.forward(b, 4, 'train')));
    }
    // Unbiased batch variances: f0 5/3, 16/3, 0; f1 5/3, 0, 1/3.
    // var f0: 1 → 0.9 + 1/6 = 1.0666667 → 0.96 + 0.5333333 = 1.4933333 → 1.344
    // var f1: 1 → 1.0666667 → 0.96 → 0.864 + 0.0333333 = 0.8973333
    expect(unbiased.movingVariance[0]).toBeCloseTo(1.344, 6);
    expect(unbiased.movingVariance[1]).toBeCloseTo(0.8973333, 6);
    expect(Array.from(unbiased.movingMean)).toEqual(Array.from(biased.movingMean));
  });

  it('the momentum setter applies from the next train batch: 0 copies the batch, 1 freezes the moving statistics', () => {
    const bn = batchNorm(2);
    bn.momentum = 0;
    bn.forward(batches[0], 4, 'train');
    expect(Array.from(bn.movingMean)).toEqual([2.5, -2.5]);
    expect(Array.from(bn.movingVariance)).toEqual([1.25, 1.25]);
    bn.momentum = 1;
    bn.forward(batches[1], 4, 'train');
    expect(Array.from(bn.movingMean)).toEqual([2.5, -2.5]);
    expect(() => (bn.momentum = 1.5)).toThrow('batchNorm: momentum must be in [0, 1], received 1.5');
    expect(bn.momentum).toBe(1);
  });

  it("forward(x, n, 'eval') normalizes with the moving statistics and leaves them unchanged", () => {
    const bn = batchNorm(2, { epsilon: 0.01 });
    bn.movingMean.set([1, -2]);
    bn.movingVariance.set([4, 0.25]);
    bn.gamma.value.set([2, 0.5]);
    bn.beta.value.set([0.5, -1]);
    const y = bn.forward(Float32Array.from([3, -2, 1, 0]), 2, 'eval');
    const expected = [(2 * (3 - 1)) / Math.sqrt(4.01) + 0.5, -1, 0.5, (0.5 * 2) / Math.sqrt(0.26) - 1];
    expected.forEach((v, i) => expect(y[i]).toBeCloseTo(v, 6));
    expect(Array.from(bn.movingMean)).toEqual([1, -2]);
    expect(Array.from(bn.movingVariance)).toEqual([4, 0.25]);
    expect(bn.lastBatchStats()).toBeNull();
    expect(() => bn.backward(new Float32Array(4))).toThrow('batchNorm.backward: call forward(x, n, "train") first');
  });

  it('a batch of one row or of identical rows gives y = β and finite gradients', () => {
    const bn = batchNorm(3);
    bn.beta.value.set([0.1, 0.2, 0.3]);
    expect(Array.from(bn.forward(Float32Array.from([5, -7, 9]), 1, 'train'))).toEqual(Array.from(bn.beta.value));
    const y = bn.forward(Float32Array.from([5, -7, 9, 5, -7, 9]), 2, 'train');
    expect(Array.from(y)).toEqual([...bn.beta.value, ...bn.beta.value]);
    const dx = bn.backward(Float32Array.from([1, 2, 3, -1, 0, 1]));
    expect(dx.every(Number.isFinite)).toBe(true);
    expect(Array.from(bn.gamma.grad)).toEqual([0, 0, 0]);
  });

  it('backward accumulates into dgamma and dbeta instead of overwriting them', () => {
    const bn = batchNorm(3);
    const x = batch(5, 3, 2);
    const dy = batch(5, 3, 3);
    bn.forward(x, 5, 'train');
    bn.backward(dy);
    const once = { g: bn.gamma.grad.slice(), b: bn.beta.grad.slice() };
    bn.backward(dy);
    once.g.forEach((v, i) => expect(bn.gamma.grad[i]).toBeCloseTo(2 * v, 5));
    once.b.forEach((v, i) => expect(bn.beta.grad[i]).toBeCloseTo(2 * v, 5));
  });

  it('reuses its output and dx buffers across calls with the same n', () => {
    const bn = batchNorm(3);
    const y1 = bn.forward(batch(4, 3, 4), 4, 'train');
    const dx1 = bn.backward(batch(4, 3, 5));
    expect(bn.forward(batch(4, 3, 6), 4, 'train')).toBe(y1);
    expect(bn.backward(batch(4, 3, 7))).toBe(dx1);
    expect(bn.forward(batch(2, 3, 8), 2, 'eval').length).toBe(6);
  });

  it('rejects bad options and shapes with the value received and the range expected', () => {
    expect(() => batchNorm(0)).toThrow('batchNorm: features must be an integer in [1, 9007199254740991], received 0');
    expect(() => batchNorm(2.5)).toThrow(/features .*received 2.5/);
    expect(() => batchNorm(4, { momentum: 1.5 })).toThrow('batchNorm: momentum must be in [0, 1], received 1.5');
    expect(() => batchNorm(4, { momentum: -0.1 })).toThrow(/momentum must be in \[0, 1\], received -0.1/);
    expect(() => batchNorm(4, { epsilon: 0 })).toThrow('batchNorm: epsilon must be in (0, 1], received 0');
    expect(() => batchNorm(4, { epsilon: NaN })).toThrow(/epsilon must be a finite number in \(0, 1\], received NaN/);
    // @ts-expect-error deliberately wrong option value
    expect(() => batchNorm(4, { runningVariance: 'sample' })).toThrow(
      "runningVariance must be one of 'biased', 'unbiased', received 'sample'",
    );
    const bn = batchNorm(4);
    expect(() => bn.forward(new Float32Array(7), 2, 'train')).toThrow(
      'batchNorm.forward: x must hold n·features = 2·4 = 8 values, received 7',
    );
    expect(() => bn.forward(new Float32Array(0), 0, 'train')).toThrow(/n must be an integer in \[1, .*received 0/);
    // @ts-expect-error deliberately wrong mode
    expect(() => bn.forward(new Float32Array(4), 1, 'training')).toThrow("mode must be 'train' or 'eval', received training");
    expect(() => bn.backward(new Float32Array(8))).toThrow(/call forward\(x, n, "train"\) first/);
    bn.forward(new Float32Array(8), 2, 'train');
    expect(() => bn.backward(new Float32Array(4))).toThrow('batchNorm.backward: dout must hold n·features = 8 values, received 4');
    const unbiased = batchNorm(4, { runningVariance: 'unbiased' });
    expect(() => unbiased.forward(new Float32Array(4), 1, 'train')).toThrow(
      "runningVariance 'unbiased' needs n ≥ 2 in train mode, received n = 1",
    );
  });
});

describe('batchNorm ablation: BN taken apart', () => {
  // One feature, N = 4, ε = 0.5: x = [1, 2, 3, 6] has μ = 3, deviations [−2, −1, 0, 3],
  // σ² = 14/4 = 3.5, so σ² + ε = 4 and s = 1/√4 = 0.5. With γ = 2, β = 1 and dy = [1, 0, 0, 1]
  // (Σ dy = 2), by hand (module doc for the formulas):
  //   full    x̂ = [−1, −0.5, 0, 1.5]  y = [−1, 0, 1, 4]   Σ dy·x̂ = 0.5
  //           dx = (γs/N)(N·dy − Σdy − x̂·0.5) = 0.25·[2.5, −1.75, −2, 1.25]
  //   center  x̂ = [−2, −1, 0, 3]      y = [−3, −1, 1, 7]  Σ dy·x̂ = 1
  //           dx = γ(dy − mean dy) = 2·[0.5, −0.5, −0.5, 0.5]
  //   scale   x̂ = [0.5, 1, 1.5, 3]    y = [2, 3, 4, 7]    Σ dy·x̂ = 3.5, μs = 1.5
  //           dx = (γs/N)(N·dy − (x̂ − μs)·3.5) = 0.25·([4, 0, 0, 4] − [−3.5, −1.75, 0, 5.25])
  //   frozen  γ = 1, β = 0: y = x̂ of full, dx = (s/N)(…) = 0.125·[2.5, −1.75, −2, 1.25], no dγ, dβ
  const x = Float32Array.from([1, 2, 3, 6]);
  const dy = Float32Array.from([1, 0, 0, 1]);
  const expected: Record<BnAblation, { y: number[]; dx: number[]; dgamma: number; dbeta: number }> = {
    full: { y: [-1, 0, 1, 4], dx: [0.625, -0.4375, -0.5, 0.3125], dgamma: 0.5, dbeta: 2 },
    center: { y: [-3, -1, 1, 7], dx: [1, -1, -1, 1], dgamma: 1, dbeta: 2 },
    scale: { y: [2, 3, 4, 7], dx: [1.875, 0.4375, 0, -0.3125], dgamma: 3.5, dbeta: 2 },
    'frozen-affine': { y: [-1, -0.5, 0, 1.5], dx: [0.3125, -0.21875, -0.25, 0.15625], dgamma: 0, dbeta: 0 },
  };

  it.for(bnAblations)("ablation '%s': forward and backward on a tiny batch equal the values computed by hand", (ablation) => {
    const bn = batchNorm(1, { epsilon: 0.5, momentum: 0, ablation });
    expect(bn.ablation).toBe(ablation);
    if (ablation !== 'frozen-affine') {
      bn.gamma.value[0] = 2;
      bn.beta.value[0] = 1;
    }
    const e = expected[ablation];
    Array.from(bn.forward(x, 4, 'train')).forEach((v, i) => expect(v, `y[${i}]`).toBeCloseTo(e.y[i], 6));
    Array.from(bn.backward(dy)).forEach((v, i) => expect(v, `dx[${i}]`).toBeCloseTo(e.dx[i], 6));
    expect(bn.gamma.grad[0]).toBeCloseTo(e.dgamma, 6);
    expect(bn.beta.grad[0]).toBeCloseTo(e.dbeta, 6);
    // Every variant measures the batch and keeps both moving statistics alike (momentum 0 copies the batch).
    expect(Array.from(bn.movingMean)).toEqual([3]);
    expect(Array.from(bn.movingVariance)).toEqual([3.5]);
    expect(bn.lastBatchStats()).toEqual({ mean: Float32Array.from([3]), variance: Float32Array.from([3.5]) });
  });

  it("eval uses the moving statistics the variant normalizes with, so a batch's own statistics reproduce its train output", () => {
    // movingMean 3, movingVariance 3.5 after the batch above; x = [4, 0]: full 2·(±)·0.5 + 1, center 2·(x − 3) + 1, scale 2·x·0.5 + 1, frozen (x − 3)·0.5.
    const evalExpected: Record<BnAblation, number[]> = { full: [2, -2], center: [3, -5], scale: [5, 1], 'frozen-affine': [0.5, -1.5] };
    for (const ablation of bnAblations) {
      const bn = batchNorm(1, { epsilon: 0.5, momentum: 0, ablation });
      if (ablation !== 'frozen-affine') {
        bn.gamma.value[0] = 2;
        bn.beta.value[0] = 1;
      }
      const train = Array.from(bn.forward(x, 4, 'train'));
      expect(Array.from(bn.forward(x, 4, 'eval')), ablation).toEqual(train);
      expect(Array.from(bn.forward(Float32Array.from([4, 0]), 2, 'eval')), ablation).toEqual(evalExpected[ablation]);
    }
  });

  it("'frozen-affine' lists no parameters: γ and β stay 1 and 0 and are never trained or decayed", () => {
    const bn = batchNorm(3, { ablation: 'frozen-affine' });
    expect(bn.params()).toEqual([]);
    expect(
      batchNorm(3, { ablation: 'center' })
        .params()
        .map((p) => p.name),
    ).toEqual(['gamma', 'beta']);
    bn.forward(batch(5, 3, 9), 5, 'train');
    bn.backward(batch(5, 3, 10));
    expect(Array.from(bn.gamma.value)).toEqual([1, 1, 1]);
    expect(Array.from(bn.gamma.grad)).toEqual([0, 0, 0]);
    expect(Array.from(bn.beta.grad)).toEqual([0, 0, 0]);
  });

  it("spatialBatchNorm passes the ablation on: 'center' leaves each channel's mean at β over N·R·S values, its spread unchanged", () => {
    const bn = spatialBatchNorm({ rows: 2, cols: 2, channels: 3 }, { ablation: 'center' });
    expect(bn.ablation).toBe('center');
    const input = batch(2 * 4, 3, 11);
    const y = bn.forward(input, 2, 'train');
    for (let c = 0; c < 3; c++) {
      expect(meanAndVariance(column(y, 3, c)).mean).toBeCloseTo(0, 5);
      expect(meanAndVariance(column(y, 3, c)).variance).toBeCloseTo(meanAndVariance(column(input, 3, c)).variance, 4);
    }
  });

  it('rejects an unknown ablation with the value received and the values expected', () => {
    // @ts-expect-error deliberately wrong option value
    expect(() => batchNorm(2, { ablation: 'mean' })).toThrow(
      "batchNorm: ablation must be one of 'full', 'center', 'scale', 'frozen-affine', received 'mean'",
    );
  });
});

describe('bnMemory(units, batch, slots)', () => {
  it('counts every buffer batchNorm allocates: 62 KiB for 128 features at batch 32 under Adam', () => {
    const items = bnMemory(128, 32, 2);
    const total = items.reduce((s, i) => s + i.bytes, 0);
    expect(total).toBe(4 * 128 * 4 + 4 * 128 * 4 + 2 * 128 * 4 + 3 * 32 * 128 * 4 + 2 * 128 * 4 + 8 * 128 * 8);
    expect(total).toBe(63_488);
    expect(items.filter((i) => i.perBatch).reduce((s, i) => s + i.bytes, 0)).toBe(3 * 32 * 128 * 4);
    expect(bnMemory(128, 256, 2).find((i) => i.perBatch)?.bytes).toBe(393_216);
    expect(bnMemory(128, 32, 1)[1].what).toBe('optimizer state for γ, β (1 slot each)');
  });
});
