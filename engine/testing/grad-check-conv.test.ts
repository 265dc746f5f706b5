/**
 * Finite-difference gradient checks of the convolutional layers and the normalizations beside
 * them, on both backends, the same way as grad-check.test.ts (whose header explains the method
 * and the tolerances). The convolution's analytic side is a float32 sum of up to k²·C products per
 * element on the wasm backend (float64 on ts), well inside rtol 1e-5 at these sizes.
 */
import { describe, expect, it } from 'vitest';
import { backendNames, createBackend } from '../backend.ts';
import { conv2d, type Padding } from '../layers/conv2d.ts';
import { globalAvgPool } from '../layers/global-avg-pool.ts';
import { groupNorm } from '../layers/group-norm.ts';
import { layerNorm } from '../layers/layer-norm.ts';
import { maxPool2d } from '../layers/max-pool.ts';
import { spatialBatchNorm } from '../layers/spatial-batch-norm.ts';
import { createRandom } from '../random.ts';
import {
  checkGradient,
  compareGradients,
  formatDiff,
  project,
  projection,
  reference64,
  uniform,
  type GradDiff,
  type Tolerance,
} from './grad-check.ts';

const step = 1e-5;
const tol: Tolerance = { rtol: 1e-5, atol: 1e-6 };
const forwardTol: Tolerance = { rtol: 1e-6, atol: 1e-6 };

type Annotate = (message: string, type?: string) => Promise<unknown>;

async function expectClose(annotate: Annotate, name: string, d: GradDiff): Promise<void> {
  const line = formatDiff(name, d);
  await annotate(line, 'grad-check');
  expect(d.worstRatio, line).toBeLessThanOrEqual(1);
}

function expectForwardAgrees(name: string, engine: Float32Array, reference: Float64Array): void {
  const d = compareGradients(engine, reference, forwardTol);
  expect(d.worstRatio, formatDiff(`${name} forward vs float64 reference`, d)).toBeLessThanOrEqual(1);
}

describe.each(backendNames)('gradient checks: conv2d, %s backend', (backend) => {
  // [k, padding, C, F, R, S, bias]: channel counts chosen to reach every block of the wasm kernels (16, 8, 4, single).
  const cases: [number, Padding, number, number, number, number, boolean][] = [
    [3, 'valid', 3, 5, 6, 7, true],
    [3, 'same', 2, 17, 5, 6, true],
    [5, 'same', 4, 8, 6, 5, false],
    [5, 'valid', 5, 12, 7, 8, true],
  ];
  it.for(cases)(
    'conv2d k=%i %s, C %i → F %i on %i×%i (bias %s): dx, dW and db match central differences',
    async ([k, padding, C, F, R, S, bias], { annotate }) => {
      const n = 2;
      const random = createRandom(20 + k * F);
      const layer = conv2d({ rows: R, cols: S, channels: C }, F, { random, kernel: k, padding, bias, backend: createBackend(backend) });
      layer.b?.value.set(uniform(F, random, -0.5, 0.5));
      const W = Float64Array.from(layer.W.value);
      const b = layer.b ? Float64Array.from(layer.b.value) : null;
      const p = padding === 'same' ? (k - 1) / 2 : 0;
      const x = uniform(n * R * S * C, random);
      const y = layer.forward(Float32Array.from(x), n, 'train');
      expect(y.length).toBe(n * layer.output.rows * layer.output.cols * F);
      const L = (xv: ArrayLike<number>, Wv: ArrayLike<number>, bv: ArrayLike<number> | null) =>
        project(reference64.conv2d(xv, n, R, S, C, Wv, F, k, p, bv), Rp);
      expectForwardAgrees('conv2d', y, reference64.conv2d(x, n, R, S, C, W, F, k, p, b));
      const Rp = projection(y.length, random);
      const dx = layer.backward(Float32Array.from(Rp));
      await expectClose(
        annotate,
        'conv2d dx',
        checkGradient(dx, (v) => L(v, W, b), x, { ...tol, step }),
      );
      await expectClose(
        annotate,
        'conv2d dW',
        checkGradient(layer.W.grad, (v) => L(x, v, b), W, { ...tol, step }),
      );
      if (b && layer.b)
        await expectClose(
          annotate,
          'conv2d db',
          checkGradient(layer.b.grad, (v) => L(x, W, v), b, { ...tol, step }),
        );
    },
  );
});

describe.each(backendNames)('gradient checks: pooling, %s backend', (backend) => {
  it('maxPool2d on 5×7 (odd sides), 6 channels: dx matches central differences', async ({ annotate }) => {
    const [n, R, S, C] = [2, 5, 7, 6];
    const random = createRandom(30);
    // Distinct values 0.01 apart: a step of 1e-5 never changes which position wins a window.
    const order = Array.from({ length: n * R * S * C }, (_, i) => i).sort(() => random() - 0.5);
    const x = Float64Array.from(order, (i) => Math.fround((i - order.length / 2) * 0.01));
    const layer = maxPool2d({ rows: R, cols: S, channels: C }, { backend: createBackend(backend) });
    const y = layer.forward(Float32Array.from(x), n, 'train');
    expectForwardAgrees('maxPool2d', y, reference64.maxPool(x, n, R, S, C));
    const Rp = projection(y.length, random);
    const dx = layer.backward(Float32Array.from(Rp));
    await expectClose(
      annotate,
      'maxPool2d dx',
      checkGradient(dx, (v) => project(reference64.maxPool(v, n, R, S, C), Rp), x, { ...tol, step }),
    );
  });

  it('globalAvgPool on 3×4, 5 channels: dx matches central differences', async ({ annotate }) => {
    const [n, P, C] = [3, 12, 5];
    const random = createRandom(31);
    const x = uniform(n * P * C, random);
    const layer = globalAvgPool({ rows: 3, cols: 4, channels: C }, { backend: createBackend(backend) });
    const y = layer.forward(Float32Array.from(x), n, 'train');
    expectForwardAgrees('globalAvgPool', y, reference64.globalAvgPool(x, n, P, C));
    const Rp = projection(y.length, random);
    const dx = layer.backward(Float32Array.from(Rp));
    await expectClose(
      annotate,
      'globalAvgPool dx',
      checkGradient(dx, (v) => project(reference64.globalAvgPool(v, n, P, C), Rp), x, { ...tol, step }),
    );
  });
});

describe.each(backendNames)('gradient checks: spatial normalizations, %s backend', (backend) => {
  /** x (N, P, C) whose channel c has mean ≈ c − 2 and a spread that grows with c. */
  function input(n: number, P: number, C: number, random: () => number): Float64Array {
    return Float64Array.from({ length: n * P * C }, (_, i) => Math.fround((i % C) - 2 + 0.3 * ((i % C) + 1) * (2 * random() - 1)));
  }

  it('spatialBatchNorm (N 3, 4×5, 6 channels; statistics over N·R·S): dx, dgamma and dbeta match central differences', async ({
    annotate,
  }) => {
    const [n, R, S, C] = [3, 4, 5, 6];
    const random = createRandom(32);
    const layer = spatialBatchNorm({ rows: R, cols: S, channels: C }, { backend: createBackend(backend) });
    layer.gamma.value.set(uniform(C, random, 0.5, 1.5));
    layer.beta.value.set(uniform(C, random, -0.5, 0.5));
    const [gamma, beta] = [Float64Array.from(layer.gamma.value), Float64Array.from(layer.beta.value)];
    const x = input(n, R * S, C, random);
    const M = n * R * S;
    const L = (xv: ArrayLike<number>, g: ArrayLike<number>, bv: ArrayLike<number>) =>
      project(reference64.batchNorm(xv, M, C, g, bv, layer.epsilon), Rp);
    const y = layer.forward(Float32Array.from(x), n, 'train');
    expectForwardAgrees('spatialBatchNorm', y, reference64.batchNorm(x, M, C, gamma, beta, layer.epsilon));
    const Rp = projection(y.length, random);
    const dx = layer.backward(Float32Array.from(Rp));
    await expectClose(
      annotate,
      'spatialBatchNorm dx',
      checkGradient(dx, (v) => L(v, gamma, beta), x, { ...tol, step }),
    );
    await expectClose(
      annotate,
      'spatialBatchNorm dgamma',
      checkGradient(layer.gamma.grad, (v) => L(x, v, beta), gamma, { ...tol, step }),
    );
    await expectClose(
      annotate,
      'spatialBatchNorm dbeta',
      checkGradient(layer.beta.grad, (v) => L(x, gamma, v), beta, { ...tol, step }),
    );
  });

  // [label, N, G]: G = 1 is LayerNorm over C×R×S, G = C InstanceNorm; batch 1 works (statistics are per example).
  const cases: [string, number, number][] = [
    ['G=1 (LayerNorm over C×R×S)', 3, 1],
    ['G=2', 2, 2],
    ['G=C (InstanceNorm)', 2, 6],
    ['batch 1, G=3', 1, 3],
  ];
  it.for(cases)('groupNorm %s on 3×4, 6 channels: dx, dgamma and dbeta match central differences', async ([label, n, G], { annotate }) => {
    const [R, S, C] = [3, 4, 6];
    const random = createRandom(33 + G);
    const layer = groupNorm({ rows: R, cols: S, channels: C }, G, { backend: createBackend(backend) });
    layer.gamma.value.set(uniform(C, random, 0.5, 1.5));
    layer.beta.value.set(uniform(C, random, -0.5, 0.5));
    const [gamma, beta] = [Float64Array.from(layer.gamma.value), Float64Array.from(layer.beta.value)];
    const x = input(n, R * S, C, random);
    const L = (xv: ArrayLike<number>, g: ArrayLike<number>, bv: ArrayLike<number>) =>
      project(reference64.groupNorm(xv, n, R * S, C, G, g, bv, layer.epsilon), Rp);
    const y = layer.forward(Float32Array.from(x), n, 'train');
    expectForwardAgrees(`groupNorm ${label}`, y, reference64.groupNorm(x, n, R * S, C, G, gamma, beta, layer.epsilon));
    const Rp = projection(y.length, random);
    const dx = layer.backward(Float32Array.from(Rp));
    await expectClose(
      annotate,
      `groupNorm ${label} dx`,
      checkGradient(dx, (v) => L(v, gamma, beta), x, { ...tol, step }),
    );
    await expectClose(
      annotate,
      `groupNorm ${label} dgamma`,
      checkGradient(layer.gamma.grad, (v) => L(x, v, beta), gamma, { ...tol, step }),
    );
    await expectClose(
      annotate,
      `groupNorm ${label} dbeta`,
      checkGradient(layer.beta.grad, (v) => L(x, gamma, v), beta, { ...tol, step }),
    );
  });

  it('layerNorm (Dense, 7 features, N 3): dx, dgamma and dbeta match central differences', async ({ annotate }) => {
    const [n, H] = [3, 7];
    const random = createRandom(40);
    const layer = layerNorm(H, { backend: createBackend(backend) });
    layer.gamma.value.set(uniform(H, random, 0.5, 1.5));
    layer.beta.value.set(uniform(H, random, -0.5, 0.5));
    const [gamma, beta] = [Float64Array.from(layer.gamma.value), Float64Array.from(layer.beta.value)];
    const x = input(n, 1, H, random);
    const L = (xv: ArrayLike<number>, g: ArrayLike<number>, bv: ArrayLike<number>) =>
      project(reference64.groupNorm(xv, n, 1, H, 1, g, bv, layer.epsilon), Rp);
    const y = layer.forward(Float32Array.from(x), n, 'train');
    expectForwardAgrees('layerNorm', y, reference64.groupNorm(x, n, 1, H, 1, gamma, beta, layer.epsilon));
    const Rp = projection(y.length, random);
    const dx = layer.backward(Float32Array.from(Rp));
    await expectClose(
      annotate,
      'layerNorm dx',
      checkGradient(dx, (v) => L(v, gamma, beta), x, { ...tol, step }),
    );
    await expectClose(
      annotate,
      'layerNorm dgamma',
      checkGradient(layer.gamma.grad, (v) => L(x, v, beta), gamma, { ...tol, step }),
    );
    await expectClose(
      annotate,
      'layerNorm dbeta',
      checkGradient(layer.beta.grad, (v) => L(x, gamma, v), beta, { ...tol, step }),
    );
  });
});
