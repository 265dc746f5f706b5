/**
 * Per-layer diagnostics of a model right after a training step, as compact arrays:
 *   - activation and gradient histograms (the gradient is ∂L/∂output of the layer),
 *   - per-parameter norms and the update-to-weight ratio ‖θ_after − θ_before‖ / ‖θ_before‖
 *     (CS231n "Neural Networks 3": a ratio near 1e-3 is healthy; much larger means the learning
 *     rate is too high, much smaller that learning stalls),
 *   - BN's running statistics and the batch statistics they chase,
 *   - the saturated share of sigmoid and tanh outputs (where their gradient nearly vanishes),
 *   - the dead share of a ReLU layer's units (output 0 for every example of the batch),
 *   - for layers that output a feature map (N, R, S, C), the same channel by channel: a
 *     convolutional feature is a channel, its statistics taken over the batch and every position
 *     (M = N·R·S values, channels-last so an (M, C) matrix), as spatial BN takes them.
 * Every array is a fresh copy, so it can be transferred without touching the model.
 */
import type { Mlp } from '../model/mlp.ts';
import { histogram } from './histogram.ts';
import type { ChannelDiagnostics, LayerDiagnostics, ParamDiagnostics } from './protocol.ts';

/** Copies of every parameter's values, in `model.params()` order (taken just before a step). */
export function snapshotParams(model: Mlp): Float32Array[] {
  return model.params().map((p) => p.value.slice());
}

function norm(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

function distance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Output bounds outside which an activation counts as saturated (derivative below ~6 % of its peak). */
const saturation = { sigmoid: [0.015, 0.985], tanh: [-0.97, 0.97] } as const;

/** Share of `y` outside (lo, hi); NaNs count as saturated (they carry no gradient either). */
export function saturatedShare(y: Float32Array, lo: number, hi: number): number {
  let n = 0;
  for (let i = 0; i < y.length; i++) if (!(y[i] > lo && y[i] < hi)) n++;
  return y.length === 0 ? 0 : n / y.length;
}

/**
 * Share of the `units` columns of a row-major (N, units) output that are 0 for every one of the
 * N rows: a ReLU unit "dead on this batch" passes no gradient to its weights for any of these
 * examples. A unit that is merely quiet (active on a few digits) can be 0 on a small batch by
 * chance, so the share is an upper bound on the units dead for every input; NaN counts as alive
 * (it is not a clean zero). 0 for an empty output.
 */
export function deadShare(y: Float32Array, units: number): number {
  if (!(Number.isInteger(units) && units >= 1) || y.length % units !== 0) {
    throw new RangeError(`deadShare: expected an output of N × ${units} values, received ${y.length} values for ${units} units`);
  }
  const n = y.length / units;
  if (n === 0) return 0;
  let dead = 0;
  for (let u = 0; u < units; u++) {
    let zero = true;
    for (let r = 0; r < n && zero; r++) zero = y[r * units + u] === 0;
    if (zero) dead++;
  }
  return dead / units;
}

/**
 * Per-channel statistics of a row-major (M, C) output `y` and its gradient `dy` (a feature map
 * (N, R, S, C) is M = N·R·S rows): mean and biased standard deviation of y, L2 norm of dy, and
 * the share of y outside (lo, hi) when `bounds` are given. Sums in float64, two passes.
 */
export function channelDiagnostics(
  y: Float32Array,
  dy: Float32Array | null,
  channels: number,
  bounds: readonly [number, number] | null,
): ChannelDiagnostics {
  if (!(Number.isInteger(channels) && channels >= 1) || y.length % channels !== 0 || (dy && dy.length !== y.length)) {
    throw new RangeError(
      `channelDiagnostics: expected an output (and gradient) of M × ${channels} values, received ${y.length} values${dy ? ` and a gradient of ${dy.length}` : ''} for ${channels} channels`,
    );
  }
  const C = channels;
  const M = y.length / C;
  const sum = new Float64Array(C);
  for (let i = 0; i < y.length; i++) sum[i % C] += y[i];
  const mean = sum.map((v) => v / M);
  const squares = new Float64Array(C);
  const dsquares = new Float64Array(C);
  const outside = new Float64Array(C);
  for (let i = 0; i < y.length; i++) {
    const c = i % C;
    const d = y[i] - mean[c];
    squares[c] += d * d;
    if (dy) dsquares[c] += dy[i] * dy[i];
    if (bounds && !(y[i] > bounds[0] && y[i] < bounds[1])) outside[c]++;
  }
  return {
    mean: Float32Array.from(mean),
    std: Float32Array.from(squares, (v) => Math.sqrt(v / M)),
    gradNorm: dy ? Float32Array.from(dsquares, Math.sqrt) : null,
    saturated: bounds ? Float32Array.from(outside, (v) => v / M) : null,
  };
}

/**
 * Diagnostics of every named layer. `before` is `snapshotParams` from before the last step, or
 * null (update ratios are then NaN). A ratio is NaN too when the old values were all zero (a bias
 * at its first step), where it has no meaning.
 */
export function layerDiagnostics(model: Mlp, before: Float32Array[] | null, bins: number): LayerDiagnostics[] {
  let index = 0;
  return model.layers.map(({ name, layer, units, output: shape, lastOutput, lastGradient }) => {
    const params: ParamDiagnostics[] = layer.params().map((p) => {
      const old = before?.[index++];
      const oldNorm = old ? norm(old) : NaN;
      return {
        name: p.name,
        norm: norm(p.value),
        gradNorm: norm(p.grad),
        updateRatio: old && oldNorm > 0 ? distance(p.value, old) / oldNorm : NaN,
      };
    });
    const output = lastOutput();
    const gradient = lastGradient();
    const bn = layer.kind === 'BatchNormalization' ? layer : null;
    const batch = bn?.lastBatchStats() ?? null;
    const bounds = layer.kind === 'Activation' && layer.fn !== 'relu' ? saturation[layer.fn] : null;
    // A feature map's dead units are whole channels: M = N·R·S rows of C columns.
    const columns = shape ? shape.channels : units;
    return {
      name,
      kind: layer.kind,
      units,
      activations: output ? histogram(output, bins) : null,
      gradients: gradient ? histogram(gradient, bins) : null,
      params,
      movingMean: bn ? bn.movingMean.slice() : null,
      movingVariance: bn ? bn.movingVariance.slice() : null,
      batchMean: batch ? batch.mean.slice() : null,
      batchVariance: batch ? batch.variance.slice() : null,
      saturated: output && bounds ? saturatedShare(output, bounds[0], bounds[1]) : null,
      dead: output && layer.kind === 'Activation' && layer.fn === 'relu' ? deadShare(output, columns) : null,
      channels: output && shape ? channelDiagnostics(output, gradient, shape.channels, bounds) : null,
    };
  });
}
