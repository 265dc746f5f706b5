/**
 * Every wasm kernel against its TypeScript reference, through the public layer and optimizer
 * APIs on random shapes (widths chosen to hit the 16-wide, 4-wide and scalar tails).
 *
 * Float32 contract, per op:
 * - BN (train, eval, backward; every ablation), ReLU and dropout do the reference's arithmetic: bit-identical.
 * - Sigmoid and tanh: the backward is the reference's f64 arithmetic, bit-identical; the forward
 *   uses AssemblyScript's exp/tanh where the reference uses V8's Math, both f64 then one rounding
 *   to float32, so they agree to one float32 ulp (|wasm − ts| ≤ 1.2e-7·|ts|); NaN, ±∞ and −0 exact.
 * - Dense accumulates in f32 lanes where the reference accumulates in f64: each output is a sum
 *   of ≤ 60 products of order-1 values, so |wasm − ts| ≤ 1e-5·(1 + |ts|) (a few float32 roundings
 *   of the running sum; a wrong index or a missed tail is off by ≥ 1e-2).
 * - Softmax cross-entropy is float64 on both, with AssemblyScript's exp/log against V8's Math:
 *   the loss agrees to 1e-14 relative, dlogits to one float32 rounding (1.2e-7 relative).
 * - Clipping (global norm, value) does the reference's float64 arithmetic in its order: bit-identical.
 * - Adam and SGD compute each element in f32 where the reference uses f64 before one rounding:
 *   after 20 steps the weights agree to 2e-6·(1 + |w|).
 */
import { describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../backend.ts';
import { relu, sigmoid, tanh } from '../layers/activations.ts';
import { batchNorm, bnAblations } from '../layers/batch-norm.ts';
import { dense } from '../layers/dense.ts';
import { dropout } from '../layers/dropout.ts';
import { adam, adamW } from '../optim/adam.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import { sgd } from '../optim/sgd.ts';
import { clipGradNorm, clipGradValue, gradNorm } from '../optim/clip.ts';
import { softmaxCrossEntropy } from '../loss/softmax-cross-entropy.ts';
import { createRandom } from '../random.ts';
import type { Random } from '../types.ts';
import { backendParam } from '../types.ts';

const ts = createBackend('ts');

function randomArray(length: number, random: Random, zeros = 0): Float32Array {
  return Float32Array.from({ length }, () => (random() < zeros ? 0 : Math.fround(4 * random() - 2)));
}

function expectClose(what: string, wasm: ArrayLike<number>, reference: ArrayLike<number>, rtol: number): void {
  expect(wasm.length, `${what}: length`).toBe(reference.length);
  for (let i = 0; i < reference.length; i++) {
    const allowed = rtol * (1 + Math.abs(reference[i]));
    if (!(Math.abs(wasm[i] - reference[i]) <= allowed)) {
      expect.fail(`${what}[${i}]: wasm ${wasm[i]}, ts ${reference[i]}, allowed difference ${allowed}`);
    }
  }
}

const shapes: [number, number, number][] = [
  [1, 1, 1],
  [3, 7, 5],
  [8, 33, 16],
  [17, 20, 37],
  [32, 60, 128],
  [5, 4, 19],
];

describe('wasm kernels against the TypeScript reference', () => {
  it.for(shapes)('dense (n %i, D %i, H %i): y, dW, db and dx agree to 1e-5 with sparse inputs', ([n, D, H]) => {
    const wasm = createBackend('wasm');
    const data = createRandom(n * 1000 + D);
    const [a, b] = [wasm, ts].map((backend) => dense(D, H, { random: createRandom(7), backend }));
    b.b.value.set(randomArray(H, data));
    a.b.value.set(b.b.value);
    for (let step = 0; step < 2; step++) {
      const x = randomArray(n * D, data, 0.6);
      const dy = randomArray(n * H, data);
      expectClose('y', a.forward(x, n, 'train'), b.forward(x, n, 'train'), 1e-5);
      expectClose('dx', a.backward(dy), b.backward(dy), 1e-5);
      expectClose('dW', a.W.grad, b.W.grad, 1e-5);
      expectClose('db', a.b.grad, b.b.grad, 1e-5);
    }
    const x = randomArray(n * D, data, 0.6);
    expectClose('eval y', a.forward(x, n, 'eval'), b.forward(x, n, 'eval'), 1e-5);
  });

  it.for(shapes.flatMap(([n, D, H]) => bnAblations.map((ablation) => [n, D, H, ablation] as const)))(
    'batchNorm (n %i, H %i·%i, ablation %s): train and eval forward, backward and moving statistics are bit-identical',
    ([n, D, H, ablation]) => {
      const features = D + H;
      const data = createRandom(n + features);
      const [a, b] = [createBackend('wasm'), ts].map((backend) => batchNorm(features, { momentum: 0.9, backend, ablation }));
      // γ stays 1 where it is frozen.
      if (ablation !== 'frozen-affine') {
        const gamma = randomArray(features, data);
        for (const layer of [a, b]) layer.gamma.value.set(gamma);
      }
      for (let step = 0; step < 3; step++) {
        const x = randomArray(n * features, data);
        const dy = randomArray(n * features, data);
        expect(Array.from(a.forward(x, n, 'train'))).toEqual(Array.from(b.forward(x, n, 'train')));
        expect(Array.from(a.backward(dy))).toEqual(Array.from(b.backward(dy)));
      }
      expect(Array.from(a.gamma.grad)).toEqual(Array.from(b.gamma.grad));
      expect(Array.from(a.beta.grad)).toEqual(Array.from(b.beta.grad));
      expect(Array.from(a.movingMean)).toEqual(Array.from(b.movingMean));
      expect(Array.from(a.movingVariance)).toEqual(Array.from(b.movingVariance));
      expect(a.lastBatchStats()).toEqual(b.lastBatchStats());
      const x = randomArray(n * features, data);
      expect(Array.from(a.forward(x, n, 'eval'))).toEqual(Array.from(b.forward(x, n, 'eval')));
    },
  );

  it.for([1, 3, 4, 5, 17, 64])('relu and dropout (length %i): forward and backward are bit-identical, NaN and −0 included', (length) => {
    const data = createRandom(length);
    const x = randomArray(length, data);
    x[0] = NaN;
    if (length > 1) x[1] = -0;
    const dy = randomArray(length, data);
    const wasm = createBackend('wasm');
    const [ra, rb] = [wasm, ts].map((backend) => relu({ backend }));
    expect(Object.is(ra.forward(x, 1, 'train')[1], rb.forward(x, 1, 'train')[1])).toBe(true);
    expect(Array.from(ra.forward(x, 1, 'train'))).toEqual(Array.from(rb.forward(x, 1, 'train')));
    expect(Array.from(ra.backward(dy))).toEqual(Array.from(rb.backward(dy)));
    const [da, db] = [wasm, ts].map((backend) => dropout(0.4, { random: createRandom(3), backend }));
    expect(Array.from(da.forward(x, 1, 'train'))).toEqual(Array.from(db.forward(x, 1, 'train')));
    expect(Array.from(da.backward(dy))).toEqual(Array.from(db.backward(dy)));
  });

  const activationShapes: [number, number][] = [
    [1, 1],
    [1, 3],
    [2, 5],
    [3, 17],
    [32, 128],
    [7, 64],
  ];
  it.for(
    activationShapes.flatMap(
      ([n, h]) =>
        [
          ['sigmoid', n, h],
          ['tanh', n, h],
        ] as const,
    ),
  )('%s (n %i, H %i): forward within one float32 ulp, backward bit-identical, NaN, ±∞ and −0 included', ([fn, n, h]) => {
    const data = createRandom(n * 100 + h);
    const x = Float32Array.from({ length: n * h }, () => Math.fround(40 * data() - 20)); // sigmoid saturates past ±17, tanh past ±9
    const special = [NaN, Infinity, -Infinity, -0, 0, -100, 100, 1e-30, -1e-30];
    special.slice(0, x.length).forEach((v, i) => (x[i] = v));
    const dy = randomArray(n * h, data);
    const make = fn === 'sigmoid' ? sigmoid : tanh;
    const [a, b] = [createBackend('wasm'), ts].map((backend) => make({ backend }));
    for (const mode of ['eval', 'train'] as const) {
      const ya = Array.from(a.forward(x, n, mode));
      const yb = Array.from(b.forward(x, n, mode));
      yb.forEach((v, i) => {
        const exact = !Number.isFinite(x[i]) || Object.is(x[i], -0) || x[i] === 0;
        if (exact ? !Object.is(ya[i], v) : !(Math.abs(ya[i] - v) <= 1.2e-7 * Math.abs(v))) {
          expect.fail(`${fn}(${x[i]}) [${i}, ${mode}]: wasm ${ya[i]}, ts ${v}, allowed ${exact ? 'none' : 1.2e-7 * Math.abs(v)}`);
        }
      });
    }
    // The ts layer's cached output is overwritten with the wasm one, so the backward starts from
    // the same y on both sides and only the backward's arithmetic is compared.
    b.forward(x, n, 'train').set(a.forward(x, n, 'train'));
    expect(Array.from(a.backward(dy))).toEqual(Array.from(b.backward(dy)));
  });

  it.for([
    [1, 2, 0],
    [7, 10, 0],
    [32, 10, 1000],
    [5, 3, -50],
  ])('softmaxCrossEntropy (n %i, k %i, logits around %i): loss, dlogits and correct agree', ([n, k, offset]) => {
    const data = createRandom(n * k);
    const logits = Float32Array.from({ length: n * k }, () => Math.fround(offset + 6 * data() - 3));
    const labels = Array.from({ length: n }, () => Math.floor(data() * k));
    const a = softmaxCrossEntropy(logits, labels, n, k, createBackend('wasm'));
    const b = softmaxCrossEntropy(logits, labels, n, k);
    expect(Math.abs(a.loss - b.loss) / b.loss).toBeLessThan(1e-14);
    expect(a.correct).toBe(b.correct);
    a.dlogits.forEach((v, i) => expect(Math.abs(v - b.dlogits[i])).toBeLessThanOrEqual(1.2e-7 * Math.abs(b.dlogits[i]) + 1e-30));
  });

  it('gradNorm, clipGradNorm and clipGradValue give the same bits on both backends, NaN and ±Infinity included', () => {
    const wasm = createBackend('wasm');
    const data = createRandom(9);
    const lengths = [5, 1, 130, 7];
    const make = (backend: Backend) => lengths.map((length, i) => backendParam(backend, `p${i}`, length, true));
    const [a, b] = [make(wasm), make(ts)];
    const fill = () =>
      a.forEach((p, i) => {
        p.grad.set(randomArray(p.grad.length, data));
        b[i].grad.set(p.grad);
      });
    const grads = (ps: typeof a) => ps.flatMap((p) => Array.from(p.grad));
    fill();
    expect(gradNorm(a, wasm)).toBe(gradNorm(b));
    expect(clipGradNorm(a, 0.3, wasm)).toBe(clipGradNorm(b, 0.3));
    expect(grads(a)).toEqual(grads(b));
    fill();
    a[2].grad[3] = b[2].grad[3] = NaN;
    a[2].grad[4] = b[2].grad[4] = Infinity;
    clipGradValue(a, 0.1, wasm);
    clipGradValue(b, 0.1);
    expect(grads(a)).toEqual(grads(b));
    expect(Number.isNaN(a[2].grad[3]) && a[2].grad[4] === Math.fround(0.1)).toBe(true);
  });

  const optimizers: [string, (backend: Backend) => Optimizer][] = [
    ['adam', (backend) => adam({ lr: 0.01, backend })],
    ['adam with l2 0.05, pytorch ε', (backend) => adam({ lr: 0.01, l2: 0.05, epsilonPlacement: 'pytorch', backend })],
    ['adamW 0.1', (backend) => adamW({ lr: 0.01, weightDecay: 0.1, backend })],
    ['sgd momentum 0.9, l2 0.01', (backend) => sgd({ lr: 0.05, momentum: 0.9, l2: 0.01, backend })],
  ];
  it.for(optimizers)('%s: 20 steps on tensors of length 1–37 agree to 2e-6, decaying and not', ([, make]) => {
    const wasm = createBackend('wasm');
    const data = createRandom(5);
    const lengths = [1, 3, 4, 9, 16, 37];
    const build = (backend: Backend) => lengths.map((length, i) => backendParam(backend, `p${i}`, length, i % 2 === 0));
    const a = build(wasm);
    const b = build(ts);
    a.forEach((p, i) => {
      p.value.set(randomArray(p.value.length, data));
      b[i].value.set(p.value);
    });
    const [oa, ob] = [make(wasm), make(ts)];
    for (let t = 0; t < 20; t++) {
      a.forEach((p, i) => {
        p.grad.set(randomArray(p.grad.length, data));
        b[i].grad.set(p.grad);
      });
      oa.step(a);
      ob.step(b);
    }
    a.forEach((p, i) => expectClose(p.name, p.value, b[i].value, 2e-6));
  });

  it('adamUpdate flushes moments below 1e-30 to zero (no float32 subnormals) and keeps NaN', () => {
    const wasm = createBackend('wasm');
    const k = wasm.kernels!;
    const [w, g, m, v] = [0, 1, 2, 3].map(() => wasm.f32(6));
    g.view.set([1e-20, 1e-20, 1e-20, 1e-20, 1e-20, NaN]); // the scalar tail too: length 6 = 4 + 2
    k.adamUpdate(w.ptr, g.ptr, m.ptr, v.ptr, 6, 0.5, 0.5, 1e-3, 1e-7, 0, 1);
    // m = 0.5·1e-20 stays; v = 0.5·1e-40 would be subnormal: flushed.
    expect(Array.from(m.view.subarray(0, 5))).toEqual(new Array(5).fill(Math.fround(Math.fround(0.5) * Math.fround(1e-20))));
    expect(Array.from(v.view.subarray(0, 5))).toEqual([0, 0, 0, 0, 0]);
    expect([m.view[5], v.view[5], w.view[5]].every(Number.isNaN)).toBe(true);
    g.view.fill(0);
    m.view.fill(1e-29);
    k.adamUpdate(w.ptr, g.ptr, m.ptr, v.ptr, 5, 0.01, 0.5, 1e-3, 1e-7, 0, 1);
    expect(Array.from(m.view.subarray(0, 5))).toEqual([0, 0, 0, 0, 0]); // 1e-31 → 0
  });
});
