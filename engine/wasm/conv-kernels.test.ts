/**
 * The wasm kernels of the convolutional layers against their TypeScript references, through the
 * public layers on shapes that reach every block of the kernels (channel counts around 4, 8 and
 * 16, odd sides, both paddings). Float32 contract, per op:
 * - conv2d forward, dx and dW: wasm sums m products in float32 lanes (m = k²·C for y, k²·F for
 *   dx, N·R'·S' for dW), the reference in float64 and rounds once. Recursive float32 summation
 *   is off by at most (m + 1)·2⁻²⁴·Σ|terms|, so each element is checked against that bound, with
 *   Σ|terms| computed by the reference on |x|, |W| and |dy|; a wrong index or a missed tail is
 *   off by a whole term. db (sumRows) likewise with m = N·R'·S'.
 * - maxPool2d forward and backward, groupNorm and layerNorm forward and backward: the reference's
 *   arithmetic in its order (float64 statistics): bit-identical.
 */
import { describe, expect, it } from 'vitest';
import { createBackend, tsBackend } from '../backend.ts';
import { conv2d, conv2dBackwardWeights, conv2dForward, pad2d, sumRows, turnKernel, type Padding } from '../layers/conv2d.ts';
import { groupNorm } from '../layers/group-norm.ts';
import { layerNorm } from '../layers/layer-norm.ts';
import { maxPool2d } from '../layers/max-pool.ts';
import { createRandom } from '../random.ts';
import type { Random } from '../types.ts';

function randomArray(length: number, random: Random): Float32Array {
  return Float32Array.from({ length }, () => Math.fround(4 * random() - 2));
}

const abs = (a: Float32Array) => a.map(Math.abs);

function expectWithinSumBound(what: string, wasm: Float32Array, ts: Float32Array, absSum: Float32Array, terms: number): void {
  expect(wasm.length, `${what}: length`).toBe(ts.length);
  const u = 2 ** -24;
  for (let i = 0; i < ts.length; i++) {
    const allowed = (terms + 1) * u * absSum[i] + 1e-30;
    if (!(Math.abs(wasm[i] - ts[i]) <= allowed))
      expect.fail(`${what}[${i}]: wasm ${wasm[i]}, ts ${ts[i]}, allowed difference ${allowed} (${terms} terms)`);
  }
}

describe('wasm convolution kernels against the TypeScript reference', () => {
  // [k, padding, C, F, R, S]
  const cases: [number, Padding, number, number, number, number][] = [
    [3, 'valid', 1, 8, 28, 28],
    [3, 'valid', 8, 16, 13, 13],
    [3, 'same', 3, 5, 6, 7],
    [5, 'same', 16, 8, 7, 9],
    [5, 'valid', 6, 20, 9, 8],
    [3, 'same', 7, 3, 4, 5],
    // dW blocks the k·C inputs of a kernel row: 5 rows with one channel in, F = 24 (a block of 16
    // with an odd last row, then a block of 8 with one row left).
    [5, 'valid', 1, 24, 8, 7],
  ];
  it.for(cases)('conv2d k=%i %s, C %i → F %i on %i×%i: y, dx, dW and db within the float32 summation bound', ([k, padding, C, F, R, S]) => {
    const n = 3;
    const data = createRandom(k * 100 + C * 10 + F);
    const shape = { rows: R, cols: S, channels: C };
    const [a, b] = [createBackend('wasm'), tsBackend].map((backend) =>
      conv2d(shape, F, { random: createRandom(5), kernel: k, padding, backend }),
    );
    b.b!.value.set(randomArray(F, data));
    a.b!.value.set(b.b!.value);
    const { rows: Ro, cols: So } = a.output;
    const p = padding === 'same' ? (k - 1) / 2 : 0;
    const q = k - 1 - p;
    for (let step = 0; step < 2; step++) {
      const x = randomArray(n * R * S * C, data);
      const dy = randomArray(n * Ro * So * F, data);
      // Σ|terms| per element, from the reference on absolute values.
      const xp = new Float32Array(n * (R + 2 * p) * (S + 2 * p) * C);
      pad2d(abs(x), n, R, S, C, p, xp);
      const yAbs = new Float32Array(n * Ro * So * F);
      conv2dForward(xp, n, R + 2 * p, S + 2 * p, C, abs(a.W.value), F, k, abs(a.b!.value), yAbs);
      expectWithinSumBound('y', a.forward(x, n, 'train'), b.forward(x, n, 'train'), yAbs, k * k * C + 1);
      const dyp = new Float32Array(n * (Ro + 2 * q) * (So + 2 * q) * F);
      pad2d(abs(dy), n, Ro, So, F, q, dyp);
      const Wt = new Float32Array(k * k * F * C);
      turnKernel(abs(a.W.value), k, C, F, Wt);
      const dxAbs = new Float32Array(n * R * S * C);
      conv2dForward(dyp, n, Ro + 2 * q, So + 2 * q, F, Wt, C, k, null, dxAbs);
      expectWithinSumBound('dx', a.backward(dy), b.backward(dy), dxAbs, k * k * F);
      const dWAbs = new Float32Array(k * k * C * F);
      for (let i = 0; i <= step; i++) conv2dBackwardWeights(xp, abs(dy), n, Ro, So, C, F, k, dWAbs);
      expectWithinSumBound('dW', a.W.grad, b.W.grad, dWAbs, n * Ro * So + 1);
      const dbAbs = new Float32Array(F);
      for (let i = 0; i <= step; i++) sumRows(abs(dy), n * Ro * So, F, dbAbs);
      expectWithinSumBound('db', a.b!.grad, b.b!.grad, dbAbs, n * Ro * So + 1);
    }
    const x = randomArray(n * R * S * C, data);
    const yEval = b.forward(x, n, 'eval').slice();
    expect(a.forward(x, n, 'eval').every((v, i) => Math.abs(v - yEval[i]) < 1e-3)).toBe(true);
  });

  const pools: [number, number, number, number][] = [
    [2, 26, 26, 8],
    [3, 11, 11, 16],
    [2, 5, 7, 6],
    [1, 2, 3, 1],
  ];
  it.for(pools)('maxPool2d (n %i, %i×%i, C %i): forward and backward are bit-identical, ties and NaN included', ([n, R, S, C]) => {
    const data = createRandom(R * S + C);
    const [a, b] = [createBackend('wasm'), tsBackend].map((backend) => maxPool2d({ rows: R, cols: S, channels: C }, { backend }));
    // Rounded values make ties common; a few NaNs must win their windows on both.
    const x = Float32Array.from({ length: n * R * S * C }, () => (data() < 0.02 ? NaN : Math.round(4 * data())));
    expect(Array.from(a.forward(x, n, 'train'))).toEqual(Array.from(b.forward(x, n, 'train')));
    const dy = randomArray(a.output.rows * a.output.cols * C * n, data);
    expect(Array.from(a.backward(dy))).toEqual(Array.from(b.backward(dy)));
  });

  const norms: [number, number, number, number][] = [
    [4, 12, 8, 2],
    [3, 169, 8, 8],
    [2, 121, 16, 1],
    [5, 1, 7, 7],
    [1, 9, 6, 3],
  ];
  it.for(norms)('groupNorm (n %i, P %i, C %i, G %i): forward, backward and the γ, β gradients are bit-identical', ([n, P, C, G]) => {
    const data = createRandom(P + C + G);
    const shape = { rows: 1, cols: P, channels: C };
    const [a, b] = [createBackend('wasm'), tsBackend].map((backend) => groupNorm(shape, G, { backend }));
    const gamma = randomArray(C, data);
    a.gamma.value.set(gamma);
    b.gamma.value.set(gamma);
    for (let step = 0; step < 2; step++) {
      const x = randomArray(n * P * C, data);
      const dy = randomArray(n * P * C, data);
      expect(Array.from(a.forward(x, n, 'train'))).toEqual(Array.from(b.forward(x, n, 'train')));
      expect(Array.from(a.backward(dy))).toEqual(Array.from(b.backward(dy)));
      expect(Array.from(a.gamma.grad)).toEqual(Array.from(b.gamma.grad));
      expect(Array.from(a.beta.grad)).toEqual(Array.from(b.beta.grad));
    }
  });

  it('layerNorm (n 32, 128 features): forward and backward are bit-identical', () => {
    const data = createRandom(3);
    const [a, b] = [createBackend('wasm'), tsBackend].map((backend) => layerNorm(128, { backend }));
    const x = randomArray(32 * 128, data);
    const dy = randomArray(32 * 128, data);
    expect(Array.from(a.forward(x, 32, 'train'))).toEqual(Array.from(b.forward(x, 32, 'train')));
    expect(Array.from(a.backward(dy))).toEqual(Array.from(b.backward(dy)));
  });
});
