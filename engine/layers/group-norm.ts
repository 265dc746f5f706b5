/**
 * Group normalization (Wu & He 2018): the C channels of each example are split into G groups of
 * C/G consecutive channels, and each group is normalized over its channels and all P positions
 * of that one example — no statistics across the batch, so the same computation in training and
 * evaluation, and an example's output does not depend on the rest of its batch.
 *
 *   forward   for each example n and group g (M = P·C/G values):
 *             μ = (1/M) Σ x      σ² = (1/M) Σ (x − μ)²      x̂ = (x − μ) / √(σ² + ε)
 *             y[n,p,c] = γ[c]·x̂[n,p,c] + β[c]            (γ, β per channel)
 *   backward  dβ[c] += Σ_{n,p} dy     dγ[c] += Σ_{n,p} dy·x̂
 *             with ĝ = dy·γ[c]:  dx = (1/(M·σ))·(M·ĝ − Σ_group ĝ − x̂·Σ_group ĝ·x̂)
 *
 * G = 1 is LayerNorm over C × R × S (Wu & He's "LN"), G = C is InstanceNorm. Dense LayerNorm
 * (engine/layers/layer-norm.ts) is this with P = 1 and G = 1. Statistics run in float64 like BN's.
 * ε defaults to Keras' 1e-3 (Keras `GroupNormalization`; PyTorch `GroupNorm` uses 1e-5).
 *
 * PyTorch `torch.nn.GroupNorm(G, C)` on (N, C, R, S) groups channels the same way (consecutive
 * blocks of C/G): outputs agree after permute(0, 2, 3, 1).
 * Sources: https://arxiv.org/abs/1803.08494 ; https://pytorch.org/docs/stable/generated/torch.nn.GroupNorm.html
 */
import { tsBackend, type Backend } from '../backend.ts';
import { backendParam, type BackendParam, type Layer, type Mode, type SpatialShape } from '../types.ts';
import { checkInteger, checkNumber } from '../validate.ts';

export interface GroupNormOptions {
  /** Added to the variance before the square root. Default 1e-3 (Keras; PyTorch 1e-5). Range (0, 1]. */
  epsilon?: number;
  /** Where γ, β and the activations live and which kernels run; default ts. */
  backend?: Backend;
}

export interface GroupNorm extends Layer {
  readonly kind: 'GroupNormalization' | 'LayerNormalization';
  readonly input: SpatialShape;
  readonly groups: number;
  readonly epsilon: number;
  readonly gamma: BackendParam; // (C) init 1, no decay
  readonly beta: BackendParam; // (C) init 0, no decay
}

/** What backward needs from the last train forward: x̂ (N, P, C) and 1/σ (N, G), in their buffers. */
interface GroupNormCache {
  n: number;
}

export function groupNorm(input: SpatialShape, groups: number, options: GroupNormOptions = {}): GroupNorm {
  return normLayer('GroupNormalization', 'groupNorm', input, groups, options);
}

/** The layer behind `groupNorm` and `layerNorm`, which differ only in name and shape. */
export function normLayer(
  kind: GroupNorm['kind'],
  where: string,
  input: SpatialShape,
  groups: number,
  options: GroupNormOptions,
): GroupNorm {
  const R = checkInteger(where, 'input.rows', input?.rows, 1);
  const S = checkInteger(where, 'input.cols', input?.cols, 1);
  const C = checkInteger(where, 'input.channels', input?.channels, 1);
  const G = checkInteger(where, 'groups', groups, 1, C);
  if (C % G !== 0) throw new RangeError(`${where}: groups must divide the ${C} channels, received ${G}`);
  const epsilon = checkNumber(where, 'epsilon', options.epsilon ?? 1e-3, 0, 1, { minOpen: true });
  const P = R * S;
  const be = options.backend ?? tsBackend;
  const gamma = backendParam(be, 'gamma', C, false, 1);
  const beta = backendParam(be, 'beta', C, false);
  let cache: GroupNormCache | null = null;
  const y = be.f32(0); // (N, P, C)
  const xhat = be.f32(0); // (N, P, C)
  const invStd = be.f64(0); // (N, G)
  const sums = be.f64(2 * C); // per-channel scratch, float64
  const dx = be.f32(0); // (N, P, C)
  const xIn = be.f32(0);
  const dyIn = be.f32(0);

  return {
    kind,
    input: { rows: R, cols: S, channels: C },
    groups: G,
    epsilon,
    gamma,
    beta,
    forward(x: Float32Array, n: number, mode: Mode): Float32Array {
      checkInteger(`${where}.forward`, 'n', n, 1);
      if (x.length !== n * P * C) {
        throw new RangeError(`${where}.forward: x must hold n·${P * C} = ${n * P * C} values, received ${x.length}`);
      }
      if (mode !== 'train' && mode !== 'eval')
        throw new RangeError(`${where}.forward: mode must be 'train' or 'eval', received ${String(mode)}`);
      const xb = be.input(x, xIn);
      y.resize(n * P * C);
      xhat.resize(n * P * C);
      invStd.resize(n * G);
      const k = be.kernels;
      if (k) k.groupNormForward(xb.ptr, n, P, C, G, gamma.ptr, beta.ptr, epsilon, y.ptr, xhat.ptr, invStd.ptr, sums.ptr);
      else groupNormForward(xb.view, n, P, C, G, gamma.value, beta.value, epsilon, y.view, xhat.view, invStd.view, sums.view);
      cache = mode === 'train' ? { n } : null;
      return y.view;
    },
    backward(dout: Float32Array): Float32Array {
      if (!cache) throw new Error(`${where}.backward: call forward(x, n, "train") first`);
      const { n } = cache;
      if (dout.length !== n * P * C) {
        throw new RangeError(`${where}.backward: dout must hold n·${P * C} = ${n * P * C} values, received ${dout.length}`);
      }
      const dy = be.input(dout, dyIn);
      dx.resize(n * P * C);
      const k = be.kernels;
      if (k) k.groupNormBackward(dy.ptr, xhat.ptr, invStd.ptr, gamma.ptr, n, P, C, G, dx.ptr, gamma.gradPtr, beta.gradPtr, sums.ptr);
      else groupNormBackward(dy.view, xhat.view, invStd.view, gamma.value, n, P, C, G, dx.view, gamma.grad, beta.grad, sums.view);
      return dx.view;
    },
    params: () => [gamma, beta],
  };
}

/**
 * Forward for x (N, P, C) in G groups: x̂ and y (N, P, C), 1/σ (N, G). Per example, two passes
 * of per-channel float64 sums (`sums`, 2C scratch) then folded into groups: the mean first, then
 * the squared deviations from it.
 */
export function groupNormForward(
  x: Float32Array,
  n: number,
  P: number,
  C: number,
  G: number,
  gamma: Float32Array,
  beta: Float32Array,
  epsilon: number,
  y: Float32Array,
  xhat: Float32Array,
  invStd: Float64Array,
  sums: Float64Array,
): void {
  const Cg = C / G;
  const M = P * Cg;
  for (let m = 0; m < n; m++) {
    const o = m * P * C;
    sums.fill(0);
    for (let p = 0; p < P; p++) for (let c = 0; c < C; c++) sums[c] += x[o + p * C + c];
    for (let g = 0; g < G; g++) {
      let s = 0;
      for (let c = g * Cg; c < (g + 1) * Cg; c++) s += sums[c];
      for (let c = g * Cg; c < (g + 1) * Cg; c++) sums[C + c] = s / M; // the group's mean, per channel
    }
    sums.fill(0, 0, C);
    for (let p = 0; p < P; p++) {
      for (let c = 0; c < C; c++) {
        const d = x[o + p * C + c] - sums[C + c];
        sums[c] += d * d;
      }
    }
    for (let g = 0; g < G; g++) {
      let s = 0;
      for (let c = g * Cg; c < (g + 1) * Cg; c++) s += sums[c];
      const inv = 1 / Math.sqrt(s / M + epsilon);
      invStd[m * G + g] = inv;
      for (let c = g * Cg; c < (g + 1) * Cg; c++) sums[c] = inv; // the group's 1/σ, per channel
    }
    for (let p = 0; p < P; p++) {
      for (let c = 0; c < C; c++) {
        const i = o + p * C + c;
        const xh = (x[i] - sums[C + c]) * sums[c];
        xhat[i] = xh;
        y[i] = gamma[c] * xh + beta[c];
      }
    }
  }
}

/**
 * Backward: dγ, dβ (C) accumulated; dx (N, P, C) written. Per example, the per-channel sums of
 * ĝ = dy·γ and ĝ·x̂ (float64, in `sums`) are folded into groups, then dx follows the compact form.
 */
export function groupNormBackward(
  dy: Float32Array,
  xhat: Float32Array,
  invStd: Float64Array,
  gamma: Float32Array,
  n: number,
  P: number,
  C: number,
  G: number,
  dx: Float32Array,
  dgamma: Float32Array,
  dbeta: Float32Array,
  sums: Float64Array,
): void {
  const Cg = C / G;
  const M = P * Cg;
  for (let m = 0; m < n; m++) {
    const o = m * P * C;
    sums.fill(0);
    for (let p = 0; p < P; p++) {
      for (let c = 0; c < C; c++) {
        const i = o + p * C + c;
        const g = dy[i];
        const gx = g * xhat[i];
        sums[c] += g; // Σ dy per channel
        sums[C + c] += gx; // Σ dy·x̂ per channel
        dbeta[c] += g;
        dgamma[c] += gx;
      }
    }
    for (let g = 0; g < G; g++) {
      let sg = 0;
      let sgx = 0;
      for (let c = g * Cg; c < (g + 1) * Cg; c++) {
        sg += sums[c] * gamma[c];
        sgx += sums[C + c] * gamma[c];
      }
      for (let c = g * Cg; c < (g + 1) * Cg; c++) {
        sums[c] = sg;
        sums[C + c] = sgx;
      }
    }
    for (let p = 0; p < P; p++) {
      for (let c = 0; c < C; c++) {
        const i = o + p * C + c;
        const inv = invStd[m * G + Math.floor(c / Cg)];
        dx[i] = (inv / M) * (M * dy[i] * gamma[c] - sums[c] - xhat[i] * sums[C + c]);
      }
    }
  }
}
