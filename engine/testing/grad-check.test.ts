/**
 * Finite-difference gradient checks of every layer and the loss. Each test annotates its result
 * with the max absolute and relative differences (shown by `vitest --reporter=verbose`, kept in
 * the JSON report) and fails with the same line.
 *
 * Tolerances. The numeric side is float64 (see grad-check.ts): with h = 1e-5 its truncation error
 * is ~h²·|L'''| ≈ 1e-10 and its rounding error ~1e-16·|L|/h ≈ 1e-11·|L|, far below what is
 * compared. The analytic side is the engine's float32 `backward`: each element is a short float64
 * sum rounded once to float32 (≈ 6e-8 relative) from float32 inputs and caches (x̂, outputs), so
 * a relative error of a few 1e-7 is expected; BN's compact dx subtracts terms of size ~N·|dy|,
 * which can cost up to ~N·6e-8 relative to the result. rtol 1e-5 leaves a margin of ×10 or more
 * over the worst measured case (the annotations show them), while a wrong formula (a missing
 * 1/N, a sign, a dropped term) is off by more than 1e-2. atol 1e-6 covers elements that are
 * exactly zero analytically and ~1e-11 numerically. Every layer is checked on both backends;
 * the wasm dense kernels accumulate in float32 (a few 1e-7 relative on these short sums).
 */
import { describe, expect, it } from 'vitest';
import { backendNames, createBackend } from '../backend.ts';
import { relu, sigmoid, tanh, type Activation } from '../layers/activations.ts';
import { batchNorm } from '../layers/batch-norm.ts';
import { dense } from '../layers/dense.ts';
import { dropout } from '../layers/dropout.ts';
import { softmaxCrossEntropy } from '../loss/softmax-cross-entropy.ts';
import { createRandom } from '../random.ts';
import {
  checkGradient,
  compareGradients,
  formatDiff,
  numericGradient,
  project,
  projection,
  reference64,
  uniform,
  type GradDiff,
  type Tolerance,
} from './grad-check.ts';

const step = 1e-5;
const tol: Tolerance = { rtol: 1e-5, atol: 1e-6 };
/** Float32 forward vs float64 reference: one float32 rounding of a short float64 computation. */
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

describe('grad-check utilities', () => {
  it('numericGradient(f, v, h) recovers the gradient of a known function and restores v', () => {
    const v = Float64Array.from([0.5, -1.25, 2]);
    const f = (u: Float64Array) => u[0] * u[0] * u[1] + Math.sin(u[2]);
    const g = numericGradient(f, v, step);
    expect(Array.from(v)).toEqual([0.5, -1.25, 2]);
    const exact = [2 * 0.5 * -1.25, 0.25, Math.cos(2)];
    expect(compareGradients(exact, g, { rtol: 1e-9, atol: 1e-10 }).worstRatio).toBeLessThanOrEqual(1);
  });

  it('compareGradients(a, n, tol) fails a wrong gradient, a NaN and a length mismatch', () => {
    expect(compareGradients([1, 2, 3], [1, 2, 3.001], tol).worstRatio).toBeGreaterThan(1);
    expect(compareGradients([1, NaN], [1, 2], tol).worstRatio).toBe(Infinity);
    expect(() => compareGradients([1], [1, 2], tol)).toThrow(/1 values, numeric 2/);
    const d = compareGradients([1, 0, 4], [1, 0, 4.00001], tol);
    expect(d.worstIndex).toBe(2);
    expect(d.maxRel).toBeCloseTo(0.00001 / 4.00001, 12);
  });
});

describe.each(backendNames)('gradient checks: activations, %s backend', (backend) => {
  const cases: [string, (o: { backend: ReturnType<typeof createBackend> }) => Activation][] = [
    ['relu', relu],
    ['sigmoid', sigmoid],
    ['tanh', tanh],
  ];
  it.for(cases)('%s: dx matches central differences', async ([fn, make], { annotate }) => {
    const n = 4;
    const random = createRandom(10);
    // Keep ReLU's inputs ≥ 0.05 away from its kink, where the derivative is undefined.
    const x = uniform(n * 6, random, -3, 3).map((v) => Math.fround(Math.sign(v) * Math.max(Math.abs(v), 0.05)));
    const layer = make({ backend: createBackend(backend) });
    const y = layer.forward(Float32Array.from(x), n, 'train');
    expectForwardAgrees(fn, y, reference64.activation(layer.fn, x));
    const R = projection(y.length, random);
    const dx = layer.backward(Float32Array.from(R));
    await expectClose(
      annotate,
      `${fn} dx`,
      checkGradient(dx, (v) => project(reference64.activation(layer.fn, v), R), x, { ...tol, step }),
    );
  });
});

describe.each(backendNames)('gradient checks: dropout, %s backend', (backend) => {
  it('dropout(0.3) in train mode with a fixed mask (same seed): dx matches central differences', async ({ annotate }) => {
    const n = 5;
    const H = 8;
    // The same seed gives the same mask: a twin layer fed ones reveals it.
    const mask = dropout(0.3, { random: createRandom(11) })
      .forward(new Float32Array(n * H).fill(1), n, 'train')
      .slice();
    expect(mask.some((m) => m === 0) && mask.some((m) => m > 1)).toBe(true);

    const random = createRandom(12);
    const x = uniform(n * H, random);
    const layer = dropout(0.3, { random: createRandom(11), backend: createBackend(backend) });
    const y = layer.forward(Float32Array.from(x), n, 'train');
    expectForwardAgrees('dropout', y, reference64.dropout(x, mask));
    const R = projection(y.length, random);
    const dx = layer.backward(Float32Array.from(R));
    await expectClose(
      annotate,
      'dropout dx',
      checkGradient(dx, (v) => project(reference64.dropout(v, mask), R), x, { ...tol, step }),
    );
  });
});

describe('gradient checks: softmax cross-entropy', () => {
  const cases: [string, number][] = [
    ['logits near 0', 0],
    ['logits near 1000', 1000],
  ];
  it.for(cases)('softmaxCrossEntropy: dlogits matches central differences of the loss (%s)', async ([label, offset], { annotate }) => {
    const n = 5;
    const k = 4;
    const random = createRandom(13);
    const logits = uniform(n * k, random, -3, 3).map((v) => Math.fround(v + offset));
    const labels = [0, 3, 1, 1, 2];
    const { loss, dlogits } = softmaxCrossEntropy(Float32Array.from(logits), labels, n, k);
    const refLoss = reference64.softmaxCrossEntropy(logits, labels, n, k);
    expect(Math.abs(loss - refLoss)).toBeLessThan(1e-12 * Math.max(1, Math.abs(refLoss)));
    const d = checkGradient(dlogits, (v) => reference64.softmaxCrossEntropy(v, labels, n, k), logits, { ...tol, step });
    await expectClose(annotate, `softmax-CE dlogits (${label})`, d);
  });
});

describe.each(backendNames)('gradient checks: dense, %s backend', (backend) => {
  it('dense: dx, dW and db match central differences', async ({ annotate }) => {
    const n = 4;
    const D = 5;
    const H = 3;
    const random = createRandom(14);
    const layer = dense(D, H, { random, backend: createBackend(backend) });
    layer.b.value.set(uniform(H, random, -0.5, 0.5));
    const W = Float64Array.from(layer.W.value);
    const b = Float64Array.from(layer.b.value);
    const x = uniform(n * D, random);
    const y = layer.forward(Float32Array.from(x), n, 'train');
    expectForwardAgrees('dense', y, reference64.dense(x, n, D, H, W, b));
    const R = projection(y.length, random);
    const dx = layer.backward(Float32Array.from(R));
    const L = (xv: ArrayLike<number>, Wv: ArrayLike<number>, bv: ArrayLike<number>) => project(reference64.dense(xv, n, D, H, Wv, bv), R);
    await expectClose(
      annotate,
      'dense dx',
      checkGradient(dx, (v) => L(v, W, b), x, { ...tol, step }),
    );
    await expectClose(
      annotate,
      'dense dW',
      checkGradient(layer.W.grad, (v) => L(x, v, b), W, { ...tol, step }),
    );
    await expectClose(
      annotate,
      'dense db',
      checkGradient(layer.b.grad, (v) => L(x, W, v), b, { ...tol, step }),
    );
  });
});

describe.each(backendNames)('gradient checks: batch normalization in train mode, %s backend', (backend) => {
  /** x (N, H) with a different mean and spread per feature, or one row repeated N times. */
  function input(n: number, H: number, random: () => number, spread: number, identicalRows: boolean): Float64Array {
    const x = new Float64Array(n * H);
    for (let r = 0; r < n; r++) {
      for (let h = 0; h < H; h++) {
        x[r * H + h] = identicalRows && r > 0 ? x[h] : Math.fround(h - 2 + spread * (h + 1) * (2 * random() - 1));
      }
    }
    return x;
  }

  const cases: [string, number, number, boolean][] = [
    // With N = 2, x̂ = ±d/√(d² + ε) for a half-difference d: a spread near √ε keeps ε's effect, and the gradient, visible.
    ['N=2', 2, 0.05, false],
    ['N=32', 32, 1, false],
    ['all rows identical (variance 0)', 8, 1, true],
  ];
  it.for(cases)('batchNorm %s: dx, dgamma and dbeta match central differences', async ([label, n, spread, identicalRows], { annotate }) => {
    const H = 5;
    const random = createRandom(15 + n);
    const layer = batchNorm(H, { backend: createBackend(backend) });
    layer.gamma.value.set(uniform(H, random, 0.5, 1.5));
    layer.beta.value.set(uniform(H, random, -0.5, 0.5));
    const gamma = Float64Array.from(layer.gamma.value);
    const beta = Float64Array.from(layer.beta.value);
    const eps = layer.epsilon;
    const x = input(n, H, random, spread, identicalRows);
    const y = layer.forward(Float32Array.from(x), n, 'train');
    expectForwardAgrees(`batchNorm ${label}`, y, reference64.batchNorm(x, n, H, gamma, beta, eps));
    const R = projection(y.length, random);
    const dx = layer.backward(Float32Array.from(R));
    expect(dx.every(Number.isFinite)).toBe(true);
    const L = (xv: ArrayLike<number>, g: ArrayLike<number>, b: ArrayLike<number>) => project(reference64.batchNorm(xv, n, H, g, b, eps), R);
    await expectClose(
      annotate,
      `batchNorm ${label} dx`,
      checkGradient(dx, (v) => L(v, gamma, beta), x, { ...tol, step }),
    );
    await expectClose(
      annotate,
      `batchNorm ${label} dgamma`,
      checkGradient(layer.gamma.grad, (v) => L(x, v, beta), gamma, { ...tol, step }),
    );
    await expectClose(
      annotate,
      `batchNorm ${label} dbeta`,
      checkGradient(layer.beta.grad, (v) => L(x, gamma, v), beta, { ...tol, step }),
    );
  });
});

describe.each(backendNames)('gradient checks: BN taken apart (ablation), %s backend', (backend) => {
  const cases = (['center', 'scale', 'frozen-affine'] as const).flatMap((ablation) => [
    [ablation, 2, 0.05] as const,
    [ablation, 16, 1] as const,
  ]);
  it.for(cases)(
    "batchNorm ablation '%s', N=%i: dx, dgamma and dbeta match central differences",
    async ([ablation, n, spread], { annotate }) => {
      const H = 5;
      const random = createRandom(40 + n);
      const layer = batchNorm(H, { backend: createBackend(backend), ablation });
      const frozen = ablation === 'frozen-affine';
      if (!frozen) {
        layer.gamma.value.set(uniform(H, random, 0.5, 1.5));
        layer.beta.value.set(uniform(H, random, -0.5, 0.5));
      }
      const gamma = Float64Array.from(layer.gamma.value);
      const beta = Float64Array.from(layer.beta.value);
      const eps = layer.epsilon;
      const refAblation = frozen ? 'full' : ablation;
      // Features with a mean away from 0 (h − 2), so 'scale' differs from 'full' and 'center' from the identity.
      const x = Float64Array.from({ length: n * H }, (_, i) => Math.fround((i % H) - 2 + spread * ((i % H) + 1) * (2 * random() - 1)));
      const y = layer.forward(Float32Array.from(x), n, 'train');
      expectForwardAgrees(`batchNorm ${ablation}`, y, reference64.batchNorm(x, n, H, gamma, beta, eps, refAblation));
      const R = projection(y.length, random);
      const dx = layer.backward(Float32Array.from(R));
      const L = (xv: ArrayLike<number>, g: ArrayLike<number>, b: ArrayLike<number>) =>
        project(reference64.batchNorm(xv, n, H, g, b, eps, refAblation), R);
      await expectClose(
        annotate,
        `batchNorm ${ablation} N=${n} dx`,
        checkGradient(dx, (v) => L(v, gamma, beta), x, { ...tol, step }),
      );
      if (frozen) {
        expect(layer.params()).toEqual([]);
        expect(Array.from(layer.gamma.grad)).toEqual([0, 0, 0, 0, 0]);
        return;
      }
      await expectClose(
        annotate,
        `batchNorm ${ablation} N=${n} dgamma`,
        checkGradient(layer.gamma.grad, (v) => L(x, v, beta), gamma, { ...tol, step }),
      );
      await expectClose(
        annotate,
        `batchNorm ${ablation} N=${n} dbeta`,
        checkGradient(layer.beta.grad, (v) => L(x, gamma, v), beta, { ...tol, step }),
      );
    },
  );
});

describe.each(backendNames)('gradient checks: BN placed after the activation, %s backend', (name) => {
  it('dense → relu → batchNorm end to end: dx, dW, db, dgamma and dbeta match central differences', async ({ annotate }) => {
    const n = 16;
    const D = 6;
    const H = 5;
    const random = createRandom(16);
    const backend = createBackend(name); // one memory for the chain, as in a model
    const lin = dense(D, H, { random, backend });
    const act = relu({ backend });
    const bn = batchNorm(H, { backend });
    lin.b.value.set(uniform(H, random, -0.2, 0.2));
    bn.gamma.value.set(uniform(H, random, 0.5, 1.5));
    bn.beta.value.set(uniform(H, random, -0.5, 0.5));
    const W = Float64Array.from(lin.W.value);
    const b = Float64Array.from(lin.b.value);
    const gamma = Float64Array.from(bn.gamma.value);
    const beta = Float64Array.from(bn.beta.value);
    const x = uniform(n * D, random);

    const z = lin.forward(Float32Array.from(x), n, 'train');
    const y = bn.forward(act.forward(z, n, 'train'), n, 'train');
    // A step of h moves a pre-activation by at most h·max(|x|, 1) ≤ h: with every |z| ≫ h no
    // perturbation crosses ReLU's kink, so the function is smooth where it is differentiated.
    const margin = z.reduce((m, v) => Math.min(m, Math.abs(v)), Infinity);
    expect(margin).toBeGreaterThan(100 * step);
    const a = (xv: ArrayLike<number>, Wv: ArrayLike<number>, bv: ArrayLike<number>) =>
      reference64.activation('relu', reference64.dense(xv, n, D, H, Wv, bv));
    expectForwardAgrees('dense → relu → batchNorm', y, reference64.batchNorm(a(x, W, b), n, H, gamma, beta, bn.epsilon));
    const R = projection(y.length, random);
    const L = (xv: ArrayLike<number>, Wv: ArrayLike<number>, bv: ArrayLike<number>, g: ArrayLike<number>, be: ArrayLike<number>) =>
      project(reference64.batchNorm(a(xv, Wv, bv), n, H, g, be, bn.epsilon), R);

    const dx = lin.backward(act.backward(bn.backward(Float32Array.from(R))));
    await expectClose(
      annotate,
      'chain dx',
      checkGradient(dx, (v) => L(v, W, b, gamma, beta), x, { ...tol, step }),
    );
    await expectClose(
      annotate,
      'chain dW',
      checkGradient(lin.W.grad, (v) => L(x, v, b, gamma, beta), W, { ...tol, step }),
    );
    await expectClose(
      annotate,
      'chain db',
      checkGradient(lin.b.grad, (v) => L(x, W, v, gamma, beta), b, { ...tol, step }),
    );
    await expectClose(
      annotate,
      'chain dgamma',
      checkGradient(bn.gamma.grad, (v) => L(x, W, b, v, beta), gamma, { ...tol, step }),
    );
    await expectClose(
      annotate,
      'chain dbeta',
      checkGradient(bn.beta.grad, (v) => L(x, W, b, gamma, v), beta, { ...tol, step }),
    );
  });
});
