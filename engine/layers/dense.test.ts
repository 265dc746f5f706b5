import { describe, expect, it } from 'vitest';
import { createRandom } from '../random.ts';
import { dense, initWeights, referenceBackward, referenceForward } from './dense.ts';

/** An input shaped like MNIST: mostly zeros, the rest in (0, 1]. */
function sparseInput(n: number, D: number, seed: number): Float32Array {
  const r = createRandom(seed);
  const x = new Float32Array(n * D);
  for (let i = 0; i < x.length; i++) x[i] = r() < 0.8 ? 0 : r();
  return x;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('dense', () => {
  it('dense(inputs, units) has Glorot-uniform weights within ±√(6/(D+H)) and zero bias by default', () => {
    const layer = dense(784, 128, { random: createRandom(1) });
    const limit = Math.sqrt(6 / (784 + 128));
    let max = 0;
    let sum = 0;
    for (const w of layer.W.value) {
      max = Math.max(max, Math.abs(w));
      sum += w;
    }
    expect(max).toBeLessThanOrEqual(limit);
    expect(max).toBeGreaterThan(0.99 * limit);
    expect(Math.abs(sum / layer.W.value.length)).toBeLessThan(0.01 * limit);
    expect(layer.b.value.every((v) => v === 0)).toBe(true);
    expect(layer.W.decay).toBe(true);
    expect(layer.b.decay).toBe(false);
  });

  it("dense(…, { init: 'he-normal' }) has variance close to 2/D", () => {
    const layer = dense(400, 200, { random: createRandom(2), init: 'he-normal' });
    let ss = 0;
    for (const w of layer.W.value) ss += w * w;
    expect(ss / layer.W.value.length).toBeCloseTo(2 / 400, 3);
  });

  it('initWeights follows the Keras and PyTorch definitions: fan-in (k²·C for a convolution), uniform bounds, the truncated He normal', () => {
    const stats = (w: Float32Array) => {
      let max = 0;
      let ss = 0;
      for (const v of w) {
        max = Math.max(max, Math.abs(v));
        ss += v * v;
      }
      return { max, variance: ss / w.length };
    };
    // A 3×3 convolution from 16 to 32 channels: fan-in 9·16 = 144, fan-out 9·32 = 288 (Keras; PyTorch's fan_in is the same).
    const [fanIn, fanOut, count] = [144, 288, 144 * 32];
    // he_uniform (Keras) = kaiming_uniform_(nonlinearity='relu') (PyTorch): U(−√(6/fan_in), √(6/fan_in)), variance 2/fan_in.
    const heU = stats(initWeights(count, fanIn, fanOut, 'he-uniform', createRandom(4)));
    expect(heU.max).toBeLessThanOrEqual(Math.sqrt(6 / fanIn));
    expect(heU.max).toBeGreaterThan(0.99 * Math.sqrt(6 / fanIn));
    expect(heU.variance).toBeCloseTo(2 / fanIn, 3);
    // he_normal (Keras): truncated at 2σ with σ = √(2/fan_in)/0.8796, so the variance stays 2/fan_in, as PyTorch's
    // kaiming_normal_ (an untruncated normal with σ = √(2/fan_in)) has it: same variance, no tails beyond 2σ.
    const heN = stats(initWeights(count, fanIn, fanOut, 'he-normal', createRandom(5)));
    expect(heN.max).toBeLessThanOrEqual((2 * Math.sqrt(2 / fanIn)) / 0.87962566103423978);
    expect(heN.variance).toBeGreaterThan(0.95 * (2 / fanIn));
    expect(heN.variance).toBeLessThan(1.05 * (2 / fanIn));
    // glorot_uniform (Keras) = xavier_uniform_ (PyTorch, gain 1): U(−√(6/(fan_in+fan_out)), …), variance 2/(fan_in+fan_out).
    const glorot = stats(initWeights(count, fanIn, fanOut, 'glorot-uniform', createRandom(6)));
    expect(glorot.max).toBeLessThanOrEqual(Math.sqrt(6 / (fanIn + fanOut)));
    expect(glorot.variance).toBeGreaterThan(0.95 * (2 / (fanIn + fanOut)));
    expect(glorot.variance).toBeLessThan(1.05 * (2 / (fanIn + fanOut)));
  });

  it('the sparse forward and backward agree with the plain reference kernels', () => {
    const n = 7;
    const D = 50;
    const H = 13;
    const layer = dense(D, H, { random: createRandom(3) });
    layer.b.value.forEach((_, i) => (layer.b.value[i] = 0.01 * i));
    const x = sparseInput(n, D, 4);
    const y = layer.forward(x, n, 'train');
    expect(maxAbsDiff(y, referenceForward(x, n, D, H, layer.W.value, layer.b.value))).toBeLessThan(1e-6);

    const dy = sparseInput(n, H, 5).map((v, i) => v - 0.3 * (i % 3));
    const dx = layer.backward(dy);
    const ref = referenceBackward(x, dy, n, D, H, layer.W.value);
    expect(maxAbsDiff(layer.W.grad, ref.dW)).toBeLessThan(1e-6);
    expect(maxAbsDiff(layer.b.grad, ref.db)).toBeLessThan(1e-6);
    expect(maxAbsDiff(dx, ref.dx)).toBeLessThan(1e-6);
  });

  it('backward accumulates into the gradients instead of overwriting them', () => {
    const layer = dense(6, 4, { random: createRandom(6) });
    const x = sparseInput(3, 6, 7);
    const dy = new Float32Array(12).fill(1);
    layer.forward(x, 3, 'train');
    layer.backward(dy);
    const once = layer.W.grad.slice();
    layer.backward(dy);
    expect(
      maxAbsDiff(
        layer.W.grad,
        once.map((v) => 2 * v),
      ),
    ).toBeLessThan(1e-6);
  });

  it('inputGrad: false skips dx and returns an empty array', () => {
    const layer = dense(6, 4, { random: createRandom(8), inputGrad: false });
    layer.forward(sparseInput(3, 6, 9), 3, 'train');
    expect(layer.backward(new Float32Array(12).fill(1)).length).toBe(0);
    expect(layer.b.grad[0]).toBe(3);
  });

  it('the same seed gives the same weights', () => {
    const a = dense(20, 10, { random: createRandom(42) });
    const b = dense(20, 10, { random: createRandom(42) });
    expect(Array.from(a.W.value)).toEqual(Array.from(b.W.value));
  });

  it('rejects bad options and shapes with the value received', () => {
    expect(() => dense(0, 4, { random: createRandom(1) })).toThrow(/inputs must be an integer in \[1, .*received 0/);
    expect(() => dense(4, 2.5, { random: createRandom(1) })).toThrow(/units .* received 2.5/);
    // @ts-expect-error deliberately wrong initializer name
    expect(() => dense(4, 2, { random: createRandom(1), init: 'zeros' })).toThrow(/init must be one of .*received 'zeros'/);
    const layer = dense(4, 2, { random: createRandom(1) });
    expect(() => layer.forward(new Float32Array(7), 2, 'train')).toThrow(/2·4 = 8 values, received 7/);
    expect(() => dense(4, 2, { random: createRandom(1) }).backward(new Float32Array(4))).toThrow(/forward/);
  });
});
