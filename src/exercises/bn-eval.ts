/**
 * Exercise (train-vs-eval lesson): BN in inference mode. The moving averages in Keras's direction,
 *   moving = m·moving + (1 − m)·batch         (PyTorch's momentum is 1 − m),
 * then the eval forward with the moving statistics, checked against the engine's `batchNorm`
 * (its movingMean/movingVariance after train forwards, and its forward in 'eval' mode).
 */
import { batchNorm } from '@engine/layers/batch-norm.ts';
import { compareStage, matches, type StageResult } from './compare.ts';
import { callReader, type Exercise } from './exercise.ts';
import { copy, expected, normalMatrix, normalVector, toFloat32 } from './inputs.ts';

const H = 4;
const momentum = 0.9;

const starter = `// Keras's moving average: m close to 1 keeps most of the old value.
function updateMoving(moving, batchStat, m) {
  return moving.map((v, h) => v); // TODO
}

// Inference: normalize with the moving statistics, not the batch's.
function batchNormEval(x, gamma, beta, movingMean, movingVariance, eps) {
  return x.map((row) => row.map((v) => v)); // TODO
}

// PyTorch's BatchNorm1d(momentum=…) for a Keras momentum m.
function pytorchMomentum(m) {
  return m; // TODO
}

pytorchMomentum(0.99)
`;

const solution = `function updateMoving(moving, batchStat, m) {
  return moving.map((v, h) => m * v + (1 - m) * batchStat[h]);
}

function batchNormEval(x, gamma, beta, movingMean, movingVariance, eps) {
  return x.map((row) => row.map((v, h) =>
    gamma[h] * (v - movingMean[h]) / Math.sqrt(movingVariance[h] + eps) + beta[h]));
}

function pytorchMomentum(m) {
  return 1 - m;
}

pytorchMomentum(0.99)
`;

export const bnEval: Exercise = {
  id: 'bn-eval',
  functions: ['updateMoving', 'batchNormEval', 'pytorchMomentum'],
  starter,
  hint: 'Keras: moving = m·moving + (1 − m)·batch, so m = 0.99 moves 1 % of the way each step; PyTorch writes the same update with momentum = 1 − m. In eval, use movingMean and movingVariance exactly where training used μ and σ², ε still inside the square root.',
  solution,
  check(fns, context) {
    const results: StageResult[] = [];
    const layer = batchNorm(H, { momentum, epsilon: 1e-3 });
    layer.gamma.value.set(normalVector(41, H, 0.3, 1));
    layer.beta.value.set(normalVector(42, H, 0.5));
    let mean = [0, 0, 0, 0];
    let variance = [1, 1, 1, 1];
    for (let step = 1; step <= 3; step++) {
      const caseName = `train step ${step} (momentum ${momentum})`;
      layer.forward(toFloat32(normalMatrix(50 + step, 16, H, 2, 1)), 16, 'train');
      const stats = layer.lastBatchStats()!;
      const batchMean = Array.from(stats.mean);
      const batchVariance = Array.from(stats.variance);
      const reversed = (old: number[], b: number[]) => old.map((v, h) => (1 - momentum) * v + momentum * b[h]);
      const diagnose = (old: number[], b: number[]) => (got: number[]) =>
        matches(reversed(old, b), got)
          ? 'the momentum weights the batch instead of the old average: Keras keeps m of the old value, moving = m·moving + (1 − m)·batch'
          : null;
      const m = callReader(fns, 'updateMoving', [copy(mean), batchMean, momentum], caseName, context);
      if (m.failure) return [...results, m.failure];
      const v = callReader(fns, 'updateMoving', [copy(variance), batchVariance, momentum], caseName, context);
      if (v.failure) return [...results, v.failure];
      results.push(
        compareStage(caseName, 'moving mean', expected(Float32Array.from(layer.movingMean), H), m.value, diagnose(mean, batchMean)),
        compareStage(
          caseName,
          'moving variance',
          expected(Float32Array.from(layer.movingVariance), H),
          v.value,
          diagnose(variance, batchVariance),
        ),
      );
      mean = Array.from(layer.movingMean);
      variance = Array.from(layer.movingVariance);
    }
    for (const [name, x] of [
      ['eval, batch of 5', normalMatrix(60, 5, H, 2, 1)],
      ['eval, a single example', normalMatrix(61, 1, H, 2, 1)],
    ] as const) {
      const e = Float32Array.from(layer.forward(toFloat32(x), x.length, 'eval'));
      const call = callReader(
        fns,
        'batchNormEval',
        [copy(x), Array.from(layer.gamma.value), Array.from(layer.beta.value), copy(mean), copy(variance), 1e-3],
        name,
        context,
      );
      if (call.failure) return [...results, call.failure];
      const batchStats = (got: number[]) => {
        if (x.length < 2) return null;
        const mu = mean.map((_, h) => x.reduce((s, r) => s + r[h], 0) / x.length);
        const vr = mu.map((m, h) => x.reduce((s, r) => s + (r[h] - m) ** 2, 0) / x.length);
        const g = layer.gamma.value;
        const b = layer.beta.value;
        const y = x.flatMap((r) => r.map((v, h) => (g[h] * (v - mu[h])) / Math.sqrt(vr[h] + 1e-3) + b[h]));
        return matches(y, got) ? "eval normalized with this batch's own μ and σ²: inference must use the moving statistics" : null;
      };
      results.push(compareStage(name, 'y', expected(e, x.length, H), call.value, batchStats));
    }
    for (const m of [0.99, 0.9]) {
      const call = callReader(fns, 'pytorchMomentum', [m], `Keras momentum ${m}`, context);
      if (call.failure) return [...results, call.failure];
      results.push(compareStage(`Keras momentum ${m}`, 'PyTorch momentum', expected([1 - m]), call.value));
    }
    return results;
  },
};
