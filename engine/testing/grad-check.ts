/**
 * Finite-difference gradient checks.
 *
 * A layer's output is turned into a scalar with a fixed random projection, L = Σ_i out[i]·R[i],
 * so dL/dout = R is the upstream gradient fed to `backward`, and every output element takes part
 * in the check. The analytic gradient (from `backward`) is compared with central differences
 *
 *   ∂L/∂v[i] ≈ (L(v + h·e_i) − L(v − h·e_i)) / 2h        (truncation error O(h²))
 *
 * The layers compute in float32, whose rounding (≈ 6e-8 relative) divided by 2h would swamp a
 * small step. So the differences are taken through plain float64 re-implementations of each
 * forward (`reference64` below), and the tests first check that each float32 layer's forward
 * agrees with its reference at the point of the check: the finite differences are then those of
 * the layer's own function, and the comparison measures only the float32 rounding of `backward`.
 *
 * Method: CS231n "Gradient checks", https://cs231n.github.io/neural-networks-3/#gradcheck
 */
import type { Random } from '../types.ts';

/** Tolerance per element: |analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|). */
export interface Tolerance {
  rtol: number;
  atol: number;
}

export interface GradDiff {
  /** Largest |analytic − numeric|. */
  maxAbs: number;
  /** Largest |analytic − numeric| / max(|analytic|, |numeric|) over elements above atol in size. */
  maxRel: number;
  /** Largest |analytic − numeric| / (atol + rtol·max(|a|, |n|)); ≤ 1 means every element passes. */
  worstRatio: number;
  /** Element with the largest ratio, and its two values. */
  worstIndex: number;
  analytic: number;
  numeric: number;
  size: number;
}

/** Central differences of a scalar function; perturbs v in place and restores it. */
export function numericGradient(f: (v: Float64Array) => number, v: Float64Array, step: number): Float64Array {
  const grad = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const keep = v[i];
    v[i] = keep + step;
    const plus = f(v);
    v[i] = keep - step;
    const minus = f(v);
    v[i] = keep;
    grad[i] = (plus - minus) / (2 * step);
  }
  return grad;
}

export function compareGradients(analytic: ArrayLike<number>, numeric: ArrayLike<number>, tol: Tolerance): GradDiff {
  if (analytic.length !== numeric.length) {
    throw new RangeError(`compareGradients: analytic has ${analytic.length} values, numeric ${numeric.length}; expected the same length`);
  }
  const diff: GradDiff = { maxAbs: 0, maxRel: 0, worstRatio: 0, worstIndex: -1, analytic: NaN, numeric: NaN, size: analytic.length };
  for (let i = 0; i < analytic.length; i++) {
    const a = analytic[i];
    const n = numeric[i];
    const abs = Math.abs(a - n);
    const size = Math.max(Math.abs(a), Math.abs(n));
    // A NaN anywhere must fail the check, so it counts as an infinite difference.
    const ratio = Number.isNaN(abs) ? Infinity : abs / (tol.atol + tol.rtol * size);
    diff.maxAbs = Math.max(diff.maxAbs, Number.isNaN(abs) ? Infinity : abs);
    if (size > tol.atol) diff.maxRel = Math.max(diff.maxRel, abs / size);
    if (ratio > diff.worstRatio || diff.worstIndex < 0) {
      diff.worstRatio = ratio;
      diff.worstIndex = i;
      diff.analytic = a;
      diff.numeric = n;
    }
  }
  return diff;
}

/** Numeric gradient of f at v, compared with the analytic one. */
export function checkGradient(
  analytic: ArrayLike<number>,
  f: (v: Float64Array) => number,
  v: ArrayLike<number>,
  options: Tolerance & { step: number },
): GradDiff {
  return compareGradients(analytic, numericGradient(f, Float64Array.from(v), options.step), options);
}

/** One line for a test annotation or failure message. */
export function formatDiff(name: string, d: GradDiff): string {
  return (
    `${name}: max abs diff ${d.maxAbs.toExponential(2)}, max rel diff ${d.maxRel.toExponential(2)} over ${d.size} values` +
    ` (worst #${d.worstIndex}: analytic ${d.analytic.toPrecision(8)} vs numeric ${d.numeric.toPrecision(8)}, ${d.worstRatio.toFixed(3)} of the tolerance)`
  );
}

/**
 * A fixed projection R with entries uniform in [−1, 1): the upstream gradient dL/dout. Entries
 * are float32 values, so `backward` receives exactly the R the finite differences use.
 */
export function projection(length: number, random: Random): Float64Array {
  return uniform(length, random);
}

/** L = Σ out·R, summed in float64. */
export function project(out: ArrayLike<number>, r: Float64Array): number {
  if (out.length !== r.length) throw new RangeError(`project: output has ${out.length} values, projection ${r.length}`);
  let s = 0;
  for (let i = 0; i < r.length; i++) s += out[i] * r[i];
  return s;
}

/** Values uniform in [lo, hi), as float64 (then exactly representable in float32 too). */
export function uniform(length: number, random: Random, lo = -1, hi = 1): Float64Array {
  const v = new Float64Array(length);
  for (let i = 0; i < length; i++) v[i] = Math.fround(lo + (hi - lo) * random());
  return v;
}

/** Plain float64 forwards, written independently of the engine's kernels; row-major like them. */
export const reference64 = {
  /** y (N, H) = x (N, D) · W (D, H) + b (H). */
  dense(x: ArrayLike<number>, n: number, D: number, H: number, W: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
    const y = new Float64Array(n * H);
    for (let r = 0; r < n; r++) {
      for (let h = 0; h < H; h++) {
        let s = b[h];
        for (let d = 0; d < D; d++) s += x[r * D + d] * W[d * H + h];
        y[r * H + h] = s;
      }
    }
    return y;
  },

  /**
   * Train-mode BN over the batch axis of x (N, H): biased variance, y = γ·x̂ + β; with `ablation`
   * 'center' x̂ = x − μ, 'scale' x̂ = x / √(σ² + ε) (γ and β as given, so 'frozen-affine' is 'full'
   * with γ = 1 and β = 0).
   */
  batchNorm(
    x: ArrayLike<number>,
    n: number,
    H: number,
    gamma: ArrayLike<number>,
    beta: ArrayLike<number>,
    epsilon: number,
    ablation: 'full' | 'center' | 'scale' = 'full',
  ): Float64Array {
    const y = new Float64Array(n * H);
    for (let h = 0; h < H; h++) {
      let mean = 0;
      for (let r = 0; r < n; r++) mean += x[r * H + h];
      mean /= n;
      let variance = 0;
      for (let r = 0; r < n; r++) variance += (x[r * H + h] - mean) ** 2;
      variance /= n;
      const std = ablation === 'center' ? 1 : Math.sqrt(variance + epsilon);
      const subtracted = ablation === 'scale' ? 0 : mean;
      for (let r = 0; r < n; r++) y[r * H + h] = (gamma[h] * (x[r * H + h] - subtracted)) / std + beta[h];
    }
    return y;
  },

  /**
   * Stride-1 convolution of x (N, R, S, C) with W (k, k, C, F) and b (F), p zeros around each
   * image (positions outside x read as 0): y (N, R+2p−k+1, S+2p−k+1, F).
   */
  conv2d(
    x: ArrayLike<number>,
    n: number,
    R: number,
    S: number,
    C: number,
    W: ArrayLike<number>,
    F: number,
    k: number,
    p: number,
    b: ArrayLike<number> | null,
  ): Float64Array {
    const [Ro, So] = [R + 2 * p - k + 1, S + 2 * p - k + 1];
    const y = new Float64Array(n * Ro * So * F);
    for (let m = 0; m < n; m++) {
      for (let i = 0; i < Ro; i++) {
        for (let j = 0; j < So; j++) {
          for (let f = 0; f < F; f++) {
            let s = b ? b[f] : 0;
            for (let u = 0; u < k; u++) {
              for (let v = 0; v < k; v++) {
                const [r, c0] = [i + u - p, j + v - p];
                if (r < 0 || r >= R || c0 < 0 || c0 >= S) continue;
                for (let c = 0; c < C; c++) s += x[((m * R + r) * S + c0) * C + c] * W[((u * k + v) * C + c) * F + f];
              }
            }
            y[((m * Ro + i) * So + j) * F + f] = s;
          }
        }
      }
    }
    return y;
  },

  /** Max over 2 × 2 windows, stride 2, of x (N, R, S, C). */
  maxPool(x: ArrayLike<number>, n: number, R: number, S: number, C: number): Float64Array {
    const [Ro, So] = [Math.floor(R / 2), Math.floor(S / 2)];
    const y = new Float64Array(n * Ro * So * C);
    for (let m = 0; m < n; m++) {
      for (let i = 0; i < Ro; i++) {
        for (let j = 0; j < So; j++) {
          for (let c = 0; c < C; c++) {
            const at = (u: number, v: number) => x[((m * R + 2 * i + u) * S + 2 * j + v) * C + c];
            y[((m * Ro + i) * So + j) * C + c] = Math.max(at(0, 0), at(0, 1), at(1, 0), at(1, 1));
          }
        }
      }
    }
    return y;
  },

  /** Mean over the P positions of x (N, P, C): y (N, C). */
  globalAvgPool(x: ArrayLike<number>, n: number, P: number, C: number): Float64Array {
    const y = new Float64Array(n * C);
    for (let m = 0; m < n; m++) for (let p = 0; p < P; p++) for (let c = 0; c < C; c++) y[m * C + c] += x[(m * P + p) * C + c] / P;
    return y;
  },

  /** GroupNorm of x (N, P, C) with G groups of consecutive channels: biased variance, y = γ[c]·x̂ + β[c]. */
  groupNorm(
    x: ArrayLike<number>,
    n: number,
    P: number,
    C: number,
    G: number,
    gamma: ArrayLike<number>,
    beta: ArrayLike<number>,
    epsilon: number,
  ): Float64Array {
    const y = new Float64Array(n * P * C);
    const Cg = C / G;
    for (let m = 0; m < n; m++) {
      for (let g = 0; g < G; g++) {
        const members: number[] = [];
        for (let p = 0; p < P; p++) for (let c = g * Cg; c < (g + 1) * Cg; c++) members.push((m * P + p) * C + c);
        const mean = members.reduce((s, i) => s + x[i], 0) / members.length;
        const variance = members.reduce((s, i) => s + (x[i] - mean) ** 2, 0) / members.length;
        for (const i of members) y[i] = (gamma[i % C] * (x[i] - mean)) / Math.sqrt(variance + epsilon) + beta[i % C];
      }
    }
    return y;
  },

  activation(fn: 'relu' | 'sigmoid' | 'tanh', x: ArrayLike<number>): Float64Array {
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      y[i] = fn === 'relu' ? Math.max(0, v) : fn === 'sigmoid' ? 1 / (1 + Math.exp(-v)) : Math.tanh(v);
    }
    return y;
  },

  /** y = x·mask, the mask holding 0 or 1/(1 − rate). */
  dropout(x: ArrayLike<number>, mask: ArrayLike<number>): Float64Array {
    const y = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) y[i] = x[i] * mask[i];
    return y;
  },

  /** Mean over the batch of −log softmax(z)[label], with log-sum-exp. */
  softmaxCrossEntropy(logits: ArrayLike<number>, labels: ArrayLike<number>, n: number, k: number): number {
    let total = 0;
    for (let r = 0; r < n; r++) {
      let max = -Infinity;
      for (let j = 0; j < k; j++) max = Math.max(max, logits[r * k + j]);
      let sum = 0;
      for (let j = 0; j < k; j++) sum += Math.exp(logits[r * k + j] - max);
      total += max + Math.log(sum) - logits[r * k + labels[r]];
    }
    return total / n;
  },
};
