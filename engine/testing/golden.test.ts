/**
 * The engine against golden values computed by PyTorch (float64) in fixtures/generate.py; see
 * fixtures/README.md for how to regenerate them. Inputs in the fixtures are float32-exact, so
 * every difference below is the engine's own float32 rounding, never a difference of inputs.
 *
 * Tolerances: an element passes when |engine − reference| ≤ atol + rtol·|reference|. One float32
 * rounding is 2⁻²⁴ ≈ 6e-8 relative; each check allows for the handful of roundings its path takes,
 * with the reason written beside it, and stays at least 10× below the differences between the
 * conventions the fixtures tell apart (generate.py asserts those are > 1e-4 or > 1e-3).
 *
 * Layers and optimizers run on both backends with the same tolerances: the wasm kernels keep BN's
 * float64 arithmetic, and their float32 accumulation in dense and the optimizers stays inside them.
 */
import { describe, expect, it } from 'vitest';
import { backendNames, createBackend, type Backend } from '../backend.ts';
import { batchNorm, type BatchNormOptions } from '../layers/batch-norm.ts';
import { dense } from '../layers/dense.ts';
import { softmaxCrossEntropy } from '../loss/softmax-cross-entropy.ts';
import { adam, adamW, type EpsilonPlacement } from '../optim/adam.ts';
import { clipGradNorm, clipGradValue } from '../optim/clip.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import { sgd } from '../optim/sgd.ts';
import { createRandom } from '../random.ts';
import { backendParam, type Param } from '../types.ts';
import bn from './fixtures/batch-norm.json';
import clip from './fixtures/clip.json';
import dn from './fixtures/dense.json';
import optimizers from './fixtures/optimizers.json';
import ce from './fixtures/softmax-cross-entropy.json';
import { expectMatches, maxAbsOf } from './golden-expect.ts';

describe.each(backendNames)(
  'batch normalization against torch.nn.functional.batch_norm (eps 1e-3, torch momentum 0.01), %s backend',
  (backend) => {
    function layer(options: BatchNormOptions = {}) {
      const b = batchNorm(bn.features, { momentum: bn.momentum, epsilon: bn.epsilon, ...options, backend: createBackend(backend) });
      b.gamma.value.set(bn.gamma);
      b.beta.value.set(bn.beta);
      return b;
    }

    it('batchNorm forward in train mode matches torch', () => {
      const y = layer().forward(Float32Array.from(bn.single.x), bn.n, 'train');
      // y = γ·x̂ + β with x̂ stored in float32: two or three roundings on values of order 1–3.
      expectMatches('y', y, bn.single.y, { rtol: 1e-6, atol: 1e-6 });
    });

    it('batchNorm backward gives torch autograd’s dx, dgamma and dbeta for the same upstream dy', () => {
      const b = layer();
      b.forward(Float32Array.from(bn.single.x), bn.n, 'train');
      const dx = b.backward(Float32Array.from(bn.single.dy));
      // dx = γ/(Nσ)·(N·dy − Σdy − x̂·Σdy·x̂) cancels terms of size N·|dy|·γ/(Nσ), up to ~40 here,
      // with x̂ rounded to float32: allow 1e-6 of the largest |dx| absolutely.
      expectMatches('dx', dx, bn.single.dx, { rtol: 1e-6, atol: 1e-6 * maxAbsOf(bn.single.dx) });
      // Sums of 8 products accumulated in float64 from float32 x̂: ~1e-7 relative to the sum of |terms|.
      expectMatches('dgamma', b.gamma.grad, bn.single.dgamma, { rtol: 1e-6, atol: 1e-6 });
      expectMatches('dbeta', b.beta.grad, bn.single.dbeta, { rtol: 1e-6, atol: 1e-6 });
    });

    it("batchNorm with runningVariance 'unbiased' tracks torch's running_mean and running_var over 5 batches", () => {
      const b = layer({ runningVariance: 'unbiased' });
      bn.batches.forEach((x, i) => {
        b.forward(Float32Array.from(x), bn.n, 'train');
        // One float32 store per batch of values ≈ 1: a few 6e-8 roundings in all.
        expectMatches(`movingMean after batch ${i + 1}`, b.movingMean, bn.history[i].unbiased.movingMean, { rtol: 1e-6, atol: 1e-7 });
        expectMatches(`movingVariance after batch ${i + 1}`, b.movingVariance, bn.history[i].unbiased.movingVariance, {
          rtol: 1e-6,
          atol: 1e-7,
        });
      });
    });

    it('batchNorm by default tracks the Keras moving statistics (biased variance) over 5 batches', () => {
      const b = layer();
      bn.batches.forEach((x, i) => {
        b.forward(Float32Array.from(x), bn.n, 'train');
        expectMatches(`movingMean after batch ${i + 1}`, b.movingMean, bn.history[i].biased.movingMean, { rtol: 1e-6, atol: 1e-7 });
        expectMatches(`movingVariance after batch ${i + 1}`, b.movingVariance, bn.history[i].biased.movingVariance, {
          rtol: 1e-6,
          atol: 1e-7,
        });
      });
      // The two conventions differ by far more than the tolerance (generate.py asserts > 1e-3).
      expect(maxAbsOf(bn.history[4].biased.movingVariance.map((v, h) => v - bn.history[4].unbiased.movingVariance[h]))).toBeGreaterThan(
        1e-3,
      );
    });

    it('batchNorm in eval mode after those batches matches torch (unbiased) and the Keras formula (biased)', () => {
      for (const runningVariance of ['unbiased', 'biased'] as const) {
        const b = layer({ runningVariance });
        for (const x of bn.batches) b.forward(Float32Array.from(x), bn.n, 'train');
        const y = b.forward(Float32Array.from(bn.eval.x), bn.n, 'eval');
        // y = x·scale + shift with x up to ~10 and the moving statistics stored in float32: 1e-6 relative to the largest |y|.
        expectMatches(`eval y (${runningVariance})`, y, bn.eval[runningVariance], {
          rtol: 1e-6,
          atol: 1e-6 * maxAbsOf(bn.eval[runningVariance]),
        });
      }
    });
  },
);

describe.each(backendNames)('dense against torch.nn.functional.linear, %s backend', (backend) => {
  it('dense forward and backward match torch autograd (y, dx, dW, db), zero inputs included', () => {
    const layer = dense(dn.inputs, dn.units, { random: createRandom(1), backend: createBackend(backend) });
    layer.W.value.set(dn.W);
    layer.b.value.set(dn.b);
    const y = layer.forward(Float32Array.from(dn.x), dn.n, 'train');
    const dx = layer.backward(Float32Array.from(dn.dy));
    // Sums of ≤ 5 float32 products accumulated in float32, values of order 1: ~5 roundings of 6e-8.
    const tol = { rtol: 1e-6, atol: 1e-6 };
    expectMatches('y', y, dn.y, tol);
    expectMatches('dx', dx, dn.dx, tol);
    expectMatches('dW', layer.W.grad, dn.dW, tol);
    expectMatches('db', layer.b.grad, dn.db, tol);
  });
});

describe.each(backendNames)(
  'softmaxCrossEntropy against torch.nn.functional.cross_entropy (mean over the batch), %s backend',
  (backend) => {
    for (const [name, c] of Object.entries(ce)) {
      if (typeof c !== 'object') continue; // provenance fields
      it(`softmaxCrossEntropy matches torch on ${name === 'large' ? 'logits of ±1000 (stable, finite)' : 'ordinary logits'}: loss, dlogits and correct`, () => {
        const { loss, dlogits, correct } = softmaxCrossEntropy(Float32Array.from(c.logits), c.labels, c.n, c.k, createBackend(backend));
        // Float64 arithmetic on float32-exact logits: only the order of summation differs.
        expect(Math.abs(loss - c.loss) / c.loss, `loss ${loss} vs ${c.loss}`).toBeLessThan(1e-12);
        // dlogits stored in float32 (1 rounding); torch's 1.8e-218 entries flush to 0 in float32.
        expectMatches('dlogits', dlogits, c.dlogits, { rtol: 1e-7, atol: 1e-12 });
        expect(correct).toBe(c.correct);
      });
    }
  },
);

describe.each(backendNames)('optimizers against torch.optim and the Keras formulas, %s backend', (backendName) => {
  type Case = (typeof optimizers.cases)[number];
  interface CaseOptions {
    momentum?: number;
    l2?: number;
    beta1?: number;
    beta2?: number;
    epsilon?: number;
    epsilonPlacement?: EpsilonPlacement;
    weightDecay?: number;
  }
  const sentences: Record<string, string> = {
    sgd: 'sgd without momentum matches torch.optim.SGD',
    'sgd-momentum': 'sgd with momentum 0.9 matches torch.optim.SGD(momentum=0.9)',
    'sgd-momentum-lr-change': 'sgd with momentum follows torch.optim.SGD when lr changes between steps',
    'sgd-momentum-l2': 'sgd with l2 = 0.01 matches torch.optim.SGD with weight_decay = 2·l2 on decaying params only',
    'adam-pytorch': "adam with 'pytorch' ε placement matches torch.optim.Adam",
    'adam-pytorch-lr-change': "adam with 'pytorch' ε placement follows torch.optim.Adam when lr changes between steps",
    'adam-keras': "adam with 'keras' ε placement matches the Keras Adam formula",
    'adam-l2-pytorch':
      "adam with l2 = 0.01 and 'pytorch' ε placement matches torch.optim.Adam with weight_decay = 2·l2 on decaying params only",
    'adam-l2-keras': "adam with l2 = 0.01 and 'keras' ε placement matches Keras Adam with an L2(0.01) kernel regularizer",
    'adamw-pytorch': "adamW with 'pytorch' ε placement matches torch.optim.AdamW on decaying params only",
    'adamw-keras': "adamW with 'keras' ε placement matches the Keras AdamW formula",
  };
  const steps = optimizers.grads.length;

  function build(c: Case, options: CaseOptions, backend: Backend): Optimizer {
    const lr = c.lrs[0];
    if (c.optimizer === 'sgd') return sgd({ lr, momentum: options.momentum, l2: options.l2, backend });
    const common = {
      lr,
      beta1: options.beta1,
      beta2: options.beta2,
      epsilon: options.epsilon,
      epsilonPlacement: options.epsilonPlacement,
      backend,
    };
    if (c.optimizer === 'adam') return adam({ ...common, l2: options.l2 });
    return adamW({ ...common, weightDecay: options.weightDecay });
  }

  /** Runs the fixture's gradient sequence on params in the backend's memory; returns the kernel and bias after each step. */
  function run(c: Case, options: CaseOptions = c.options as CaseOptions) {
    const backend = createBackend(backendName);
    const kernel: Param = backendParam(backend, 'kernel', 6, true);
    kernel.value.set(optimizers.kernel);
    const bias: Param = backendParam(backend, 'bias', 3, false);
    bias.value.set(optimizers.bias);
    const opt = build(c, options, backend);
    return optimizers.grads.map((g, t) => {
      opt.lr = c.lrs[t];
      kernel.grad.set(g.kernel);
      bias.grad.set(g.bias);
      opt.step([kernel, bias]);
      return { kernel: Float32Array.from(kernel.value), bias: Float32Array.from(bias.value) };
    });
  }

  // Weights of order 0.5 stored in float32 after each of 5 steps (≈ 3e-8 each), with m and v in
  // float32 (relative 6e-8 on each step of ≤ lr): 1e-6 absolute is ≥ 10× the expected drift and
  // ≥ 100× below the gaps between conventions (> 1e-4, asserted by generate.py).
  const tol = { rtol: 1e-6, atol: 1e-6 };

  for (const c of optimizers.cases) {
    it(`${sentences[c.name] ?? c.name} over ${steps} steps`, () => {
      const trajectory = run(c);
      trajectory.forEach((w, t) => {
        expectMatches(`${c.name} kernel after step ${t + 1}`, w.kernel, c.trajectory[t].kernel, tol);
        expectMatches(`${c.name} bias after step ${t + 1}`, w.bias, c.trajectory[t].bias, tol);
      });
    });
  }

  it('every optimizer case in the fixture has a sentence here', () => {
    expect(optimizers.cases.map((c) => c.name).sort()).toEqual(Object.keys(sentences).sort());
  });

  it("adam with 'keras' ε placement does not match torch.optim.Adam (the fixture tells the placements apart)", () => {
    const torchAdam = optimizers.cases.find((c) => c.name === 'adam-pytorch')!;
    const keras = run(torchAdam, { ...(torchAdam.options as CaseOptions), epsilonPlacement: 'keras' });
    expect(maxAbsOf(Array.from(keras[steps - 1].kernel, (v, i) => v - torchAdam.trajectory[steps - 1].kernel[i]))).toBeGreaterThan(
      100 * tol.atol,
    );
  });
});

describe.each(backendNames)('clipping against torch.nn.utils, %s backend', (name) => {
  const backend = createBackend(name);
  function params(): Param[] {
    return clip.grads.map((g, i) => {
      const p = backendParam(backend, `p${i}`, g.length, true);
      p.grad.set(g);
      return p;
    });
  }

  for (const [name, c] of Object.entries(clip.norm)) {
    it(`clipGradNorm matches clip_grad_norm_ ${name === 'clipped' ? 'above' : 'below'} the threshold, returned total norm included`, () => {
      const ps = params();
      const norm = clipGradNorm(ps, c.maxNorm, backend);
      // Float64 sums of float32-exact squares: only the summation order differs from torch.
      expect(Math.abs(norm - c.totalNorm) / c.totalNorm, `norm ${norm} vs ${c.totalNorm}`).toBeLessThan(1e-12);
      // One float32 rounding (6e-8) plus torch's +1e-6 in maxNorm/(norm + 1e-6): 1e-6/7.5 ≈ 1.3e-7 relative.
      ps.forEach((p, i) => expectMatches(`${p.name}.grad`, p.grad, c.clipped[i], { rtol: 5e-7, atol: 1e-9 }));
    });
  }

  it('clipGradValue matches clip_grad_value_ exactly', () => {
    const ps = params();
    clipGradValue(ps, clip.value.limit, backend);
    ps.forEach((p, i) => expect(Array.from(p.grad), p.name).toEqual(clip.value.clipped[i]));
  });
});
