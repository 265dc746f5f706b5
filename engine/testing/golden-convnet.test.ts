/**
 * The ConvNet layers against golden values computed by PyTorch (float64) in
 * fixtures/generate_convnet.py, written in the engine's channels-last layout (the generator
 * permutes torch's (N, C, R, S) and (F, C, k, k)): a layout mistake fails here. Both backends.
 *
 * Tolerances (|engine − reference| ≤ atol + rtol·|reference|, see golden.test.ts):
 * - conv2d: each element sums ≤ k²·C (y), k²·F (dx) or N·R'·S' (dW, db) products of values of
 *   order 1, in float32 lanes on wasm: allow 2e-6 of the sum's scale (the largest |reference|)
 *   per term count up to 60 — about 60 roundings of 6e-8. A wrong tap or channel order is off by O(1).
 * - max and average pooling: exact selections and one division: 1e-7.
 * - spatial BN, GroupNorm, LayerNorm: the float64 statistics of the Dense BN (see golden.test.ts):
 *   1e-6 relative with 1e-6 of the largest |dx| absolutely for dx's cancelling sums.
 */
import { describe, expect, it } from 'vitest';
import { backendNames, createBackend } from '../backend.ts';
import { conv2d, type Padding } from '../layers/conv2d.ts';
import { globalAvgPool } from '../layers/global-avg-pool.ts';
import { groupNorm } from '../layers/group-norm.ts';
import { layerNorm } from '../layers/layer-norm.ts';
import { maxPool2d } from '../layers/max-pool.ts';
import { spatialBatchNorm } from '../layers/spatial-batch-norm.ts';
import type { BatchNormOptions } from '../layers/batch-norm.ts';
import { createRandom } from '../random.ts';
import fx from './fixtures/convnet.json';
import { expectMatches, maxAbsOf } from './golden-expect.ts';

const scaled = (reference: readonly number[], factor: number) => ({ rtol: factor, atol: factor * maxAbsOf(reference) });

describe.each(backendNames)('ConvNet layers against PyTorch, %s backend', (name) => {
  it.for(fx.conv2d.map((c) => [`${c.kernel}×${c.kernel} ${c.padding}${c.b ? '' : ', no bias'}`, c] as const))(
    'conv2d %s: y, dx, dW and db match torch.nn.functional.conv2d and autograd',
    ([, c]) => {
      const layer = conv2d({ rows: c.rows, cols: c.cols, channels: c.channels }, c.filters, {
        random: createRandom(1),
        kernel: c.kernel,
        padding: c.padding as Padding,
        bias: c.b !== undefined,
        backend: createBackend(name),
      });
      layer.W.value.set(c.W);
      if (c.b) layer.b!.value.set(c.b);
      expectMatches('y', layer.forward(Float32Array.from(c.x), c.n, 'train'), c.y, scaled(c.y, 2e-6));
      expectMatches('dx', layer.backward(Float32Array.from(c.dy)), c.dx, scaled(c.dx, 2e-6));
      expectMatches('dW', layer.W.grad, c.dW, scaled(c.dW, 2e-6));
      if (c.db) expectMatches('db', layer.b!.grad, c.db, scaled(c.db, 2e-6));
    },
  );

  it('maxPool2d on 5×7 (odd sides, tied windows) matches torch.nn.functional.max_pool2d: y and the routed dx', () => {
    const m = fx.maxPool;
    const layer = maxPool2d({ rows: m.rows, cols: m.cols, channels: m.channels }, { backend: createBackend(name) });
    expectMatches('y', layer.forward(Float32Array.from(m.x), m.n, 'train'), m.y, { rtol: 0, atol: 0 });
    expectMatches('dx', layer.backward(Float32Array.from(m.dy)), m.dx, { rtol: 0, atol: 0 });
  });

  it('globalAvgPool matches adaptive_avg_pool2d(·, 1): y and dx', () => {
    const g = fx.globalAvgPool;
    const layer = globalAvgPool({ rows: g.rows, cols: g.cols, channels: g.channels }, { backend: createBackend(name) });
    expectMatches('y', layer.forward(Float32Array.from(g.x), g.n, 'train'), g.y, { rtol: 1e-7, atol: 1e-7 });
    expectMatches('dx', layer.backward(Float32Array.from(g.dy)), g.dx, { rtol: 1e-7, atol: 1e-7 });
  });

  const sbn = fx.spatialBatchNorm;
  const shape = { rows: sbn.rows, cols: sbn.cols, channels: sbn.channels };
  function bnLayer(options: BatchNormOptions = {}) {
    const layer = spatialBatchNorm(shape, { momentum: sbn.momentum, epsilon: sbn.epsilon, ...options, backend: createBackend(name) });
    layer.gamma.value.set(sbn.gamma);
    layer.beta.value.set(sbn.beta);
    return layer;
  }

  it('spatialBatchNorm in train mode (a constant channel included) matches F.batch_norm on (N, C, R, S): y, dx, dgamma, dbeta', () => {
    const layer = bnLayer();
    expectMatches('y', layer.forward(Float32Array.from(sbn.single.x), sbn.n, 'train'), sbn.single.y, { rtol: 1e-6, atol: 1e-6 });
    expectMatches('dx', layer.backward(Float32Array.from(sbn.single.dy)), sbn.single.dx, scaled(sbn.single.dx, 1e-6));
    expectMatches('dgamma', layer.gamma.grad, sbn.single.dgamma, scaled(sbn.single.dgamma, 1e-6));
    expectMatches('dbeta', layer.beta.grad, sbn.single.dbeta, scaled(sbn.single.dbeta, 1e-6));
  });

  it("spatialBatchNorm's moving statistics follow torch (unbiased over N·R·S) and Keras (biased), and eval mode uses them", () => {
    for (const runningVariance of ['unbiased', 'biased'] as const) {
      const layer = bnLayer({ runningVariance });
      sbn.batches.forEach((x, i) => {
        layer.forward(Float32Array.from(x), sbn.n, 'train');
        expectMatches(
          `movingMean after batch ${i + 1} (${runningVariance})`,
          layer.movingMean,
          sbn.history[i][runningVariance].movingMean,
          { rtol: 1e-6, atol: 1e-7 },
        );
        expectMatches(
          `movingVariance after batch ${i + 1} (${runningVariance})`,
          layer.movingVariance,
          sbn.history[i][runningVariance].movingVariance,
          { rtol: 1e-6, atol: 1e-7 },
        );
      });
      const y = layer.forward(Float32Array.from(sbn.eval.x), sbn.n, 'eval');
      expectMatches(`eval y (${runningVariance})`, y, sbn.eval[runningVariance], scaled(sbn.eval[runningVariance], 1e-6));
    }
  });

  it.for(fx.groupNorm.map((c) => [`G=${c.groups}, C=${c.channels}, batch ${c.n}`, c] as const))(
    'groupNorm %s matches F.group_norm: y, dx, dgamma, dbeta',
    ([, c]) => {
      const layer = groupNorm({ rows: c.rows, cols: c.cols, channels: c.channels }, c.groups, {
        epsilon: c.epsilon,
        backend: createBackend(name),
      });
      layer.gamma.value.set(c.gamma);
      layer.beta.value.set(c.beta);
      const y = layer.forward(Float32Array.from(c.x), c.n, 'train');
      expectMatches('y', y, c.y, { rtol: 1e-6, atol: 1e-6 });
      expect(Array.from(layer.forward(Float32Array.from(c.x), c.n, 'eval'))).toEqual(Array.from(y));
      layer.forward(Float32Array.from(c.x), c.n, 'train');
      expectMatches('dx', layer.backward(Float32Array.from(c.dy)), c.dx, scaled(c.dx, 1e-6));
      expectMatches('dgamma', layer.gamma.grad, c.dgamma, scaled(c.dgamma, 1e-6));
      expectMatches('dbeta', layer.beta.grad, c.dbeta, scaled(c.dbeta, 1e-6));
    },
  );

  it.for(fx.layerNorm.map((c) => [`${c.features} features, batch ${c.n}`, c] as const))(
    'layerNorm %s matches F.layer_norm: y, dx, dgamma, dbeta',
    ([, c]) => {
      const layer = layerNorm(c.features, { epsilon: c.epsilon, backend: createBackend(name) });
      layer.gamma.value.set(c.gamma);
      layer.beta.value.set(c.beta);
      expectMatches('y', layer.forward(Float32Array.from(c.x), c.n, 'train'), c.y, { rtol: 1e-6, atol: 1e-6 });
      expectMatches('dx', layer.backward(Float32Array.from(c.dy)), c.dx, scaled(c.dx, 1e-6));
      expectMatches('dgamma', layer.gamma.grad, c.dgamma, scaled(c.dgamma, 1e-6));
      expectMatches('dbeta', layer.beta.grad, c.dbeta, scaled(c.dbeta, 1e-6));
    },
  );
});
