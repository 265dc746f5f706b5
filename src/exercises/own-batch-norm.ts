/**
 * The reader's BN as an engine layer: their `batchNormForward` and `batchNormBackward` (the
 * cells of “The BN transform” and “Backpropagation through BN”) wrapped in the engine's `BatchNorm` interface, so `mlp` can build
 * the network with it in place of engine/layers/batch-norm.ts. Train mode calls the reader's
 * functions on nested rows; the moving statistics (Keras direction, biased variance) and the eval
 * forward stay the engine's formulas, fed with the reader's μ and σ².
 *
 * Every value the reader's code returns is checked: a non-finite one stops training with an error
 * naming the function, the output and the element.
 */
import type { BatchNorm, BatchNormOptions } from '@engine/layers/batch-norm.ts';
import type { Param } from '@engine/types.ts';
import { toRows } from './inputs.ts';

export type ForwardFn = (x: number[][], gamma: number[], beta: number[], eps: number) => unknown;
export type BackwardFn = (dy: number[][], cache: unknown) => unknown;

class NonFiniteError extends Error {
  override name = 'NonFiniteError';
}

const isList = (v: unknown): v is ArrayLike<unknown> => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));

/**
 * The field `name` of the reader's result as a Float32Array: a vector of `cols` when `rows` is
 * null, else (rows, cols) from nested rows. Anything missing or non-finite stops training.
 */
function take(result: unknown, fn: string, name: string, rows: number | null, cols: number): Float32Array {
  const value = result && typeof result === 'object' ? (result as Record<string, unknown>)[name] : undefined;
  const stop = (what: string) => new NonFiniteError(`${fn} returned ${what}; training stopped`);
  if (!isList(value)) throw stop(`no array '${name}' (received ${typeof value})`);
  const out = new Float32Array((rows ?? 1) * cols);
  for (let r = 0; r < (rows ?? 1); r++) {
    const row: unknown = rows === null ? value : value[r];
    for (let c = 0; c < cols; c++) {
      const v = isList(row) ? row[c] : undefined;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw stop(`a non-finite value: ${name}${rows === null ? '' : `[${r}]`}[${c}] = ${String(v)}`);
      }
      out[r * cols + c] = v;
    }
  }
  return out;
}

export function ownBatchNorm(forward: ForwardFn, backward: BackwardFn) {
  return (features: number, options: BatchNormOptions): BatchNorm => {
    const H = features;
    if ((options.ablation ?? 'full') !== 'full')
      throw new RangeError(`ownBatchNorm: the reader's BN is full BN, received ablation '${options.ablation}'; use the engine's batchNorm`);
    let momentum = options.momentum ?? 0.99;
    const epsilon = options.epsilon ?? 1e-3;
    const gamma: Param = { name: 'gamma', value: new Float32Array(H).fill(1), grad: new Float32Array(H), decay: false };
    const beta: Param = { name: 'beta', value: new Float32Array(H), grad: new Float32Array(H), decay: false };
    const movingMean = new Float32Array(H);
    const movingVariance = new Float32Array(H).fill(1);
    let last: { mean: Float32Array; variance: Float32Array } | null = null;
    let cache: { n: number; value: unknown } | null = null;
    return {
      kind: 'BatchNormalization',
      features: H,
      gamma,
      beta,
      movingMean,
      movingVariance,
      get momentum() {
        return momentum;
      },
      set momentum(value: number) {
        momentum = value;
      },
      epsilon,
      runningVariance: 'biased',
      ablation: 'full',
      lastBatchStats: () => last,
      forward(x, n, mode) {
        if (mode === 'eval') {
          const y = new Float32Array(n * H);
          for (let i = 0; i < n * H; i++) {
            const h = i % H;
            y[i] = (gamma.value[h] * (x[i] - movingMean[h])) / Math.sqrt(movingVariance[h] + epsilon) + beta.value[h];
          }
          cache = null;
          return y;
        }
        const rows = toRows(x, n, H);
        const g = Array.from(gamma.value);
        const result = forward(rows, g, Array.from(beta.value), epsilon);
        const mean = take(result, 'batchNormForward', 'mu', null, H);
        const variance = take(result, 'batchNormForward', 'variance', null, H);
        const xhat = take(result, 'batchNormForward', 'xhat', n, H);
        const y = take(result, 'batchNormForward', 'y', n, H);
        for (let h = 0; h < H; h++) {
          movingMean[h] = momentum * movingMean[h] + (1 - momentum) * mean[h];
          movingVariance[h] = momentum * movingVariance[h] + (1 - momentum) * variance[h];
        }
        last = { mean, variance };
        cache = {
          n,
          value: { x: rows, mu: Array.from(mean), variance: Array.from(variance), xhat: toRows(xhat, n, H), gamma: g, eps: epsilon },
        };
        return y;
      },
      backward(dout) {
        if (!cache) throw new Error('batchNormBackward: call forward in train mode first');
        const result = backward(toRows(dout, cache.n, H), cache.value);
        const dx = take(result, 'batchNormBackward', 'dx', cache.n, H);
        const dgamma = take(result, 'batchNormBackward', 'dgamma', null, H);
        const dbeta = take(result, 'batchNormBackward', 'dbeta', null, H);
        for (let h = 0; h < H; h++) {
          gamma.grad[h] += dgamma[h];
          beta.grad[h] += dbeta[h];
        }
        return dx;
      },
      params: () => [gamma, beta],
    };
  };
}
