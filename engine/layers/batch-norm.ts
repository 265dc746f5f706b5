/**
 * Batch normalization over the batch axis of an (N, H) input, with Keras BatchNormalization
 * semantics by default.
 *
 *   train     μ[h] = (1/N) Σ_n x[n,h]        σ²[h] = (1/N) Σ_n (x[n,h] − μ[h])²   (biased)
 *             x̂[n,h] = (x[n,h] − μ[h]) / σ[h],  σ[h] = √(σ²[h] + ε)
 *             y[n,h] = γ[h]·x̂[n,h] + β[h]
 *             moving = momentum·moving + (1 − momentum)·batch        (Keras direction)
 *   eval      y[n,h] = γ[h]·(x[n,h] − movingMean[h]) / √(movingVariance[h] + ε) + β[h]
 *   backward  dβ[h] += Σ_n dy[n,h]          dγ[h] += Σ_n dy[n,h]·x̂[n,h]
 *             dx[n,h] = (γ[h] / (N·σ[h]))·(N·dy[n,h] − Σ_n dy[n,h] − x̂[n,h]·Σ_n dy[n,h]·x̂[n,h])
 *
 * The compact dx is the chain rule through μ and σ² collapsed into one expression; the sums run
 * in float64 accumulators so a batch of 256 loses no more precision than a batch of 2.
 *
 * BN taken apart (`ablation`, d2l.ai §8.5's question "which part matters?"). Every variant
 * measures μ and σ² of each train batch and keeps both moving statistics the same way (so the
 * recalibration of train/inference-stats.ts and `lastBatchStats` work unchanged); they differ in
 * which of them the normalization uses, with s = 1/√(σ² + ε) and Σ over the N rows:
 *
 *   'full'           x̂ = (x − μ)·s     today's BN (the default)
 *   'center'         x̂ = x − μ         centering only, no division; eval x̂ = x − movingMean
 *   'scale'          x̂ = x·s           division by the batch spread about the batch mean, σ² as
 *                                      above (not the raw second moment), without subtracting μ;
 *                                      eval x̂ = x / √(movingVariance + ε)
 *   'frozen-affine'  x̂ = (x − μ)·s, y = x̂: γ stays 1 and β 0, neither trained nor decayed
 *                    (`params()` lists neither; Keras BatchNormalization(center=False, scale=False))
 *
 * and y = γ·x̂ + β. dβ = Σ dy and dγ = Σ dy·x̂ in every variant with a learned γ, β. By hand, with
 * g = γ·dy the gradient reaching x̂:
 *   'center'  x̂_i = x_i − μ, ∂μ/∂x_j = 1/N, so dx_j = g_j − (1/N) Σ_i g_i = (γ/N)·(N·dy_j − Σ dy):
 *             the incoming gradient minus its batch mean (no x̂ term: nothing depends on σ²).
 *   'scale'   x̂_i = x_i·s, ∂s/∂x_j = −½·(σ² + ε)^(−3/2)·∂σ²/∂x_j = −s³·(x_j − μ)/N (∂σ²/∂x_j = 2(x_j − μ)/N:
 *             the μ terms cancel since Σ(x_i − μ) = 0), so
 *             dx_j = s·g_j − s³·(x_j − μ)/N · Σ_i g_i·x_i = (γ·s/N)·(N·dy_j − (x̂_j − μ·s)·Σ dy·x̂),
 *             using Σ g_i·x_i = γ·Σ dy·x̂ / s and s·(x_j − μ) = x̂_j − μ·s (no Σ dy term: nothing is subtracted).
 *   'full'    both terms: the formula above; 'frozen-affine' is it with γ = 1.
 *
 * Sources: Ioffe & Szegedy 2015, https://arxiv.org/abs/1502.03167 (Algorithm 1);
 * Keras https://keras.io/api/layers/normalization_layers/batch_normalization/ (momentum 0.99,
 * epsilon 1e-3, biased moving variance starting at 1); PyTorch
 * https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm1d.html (momentum m ↔ 1 − m here,
 * eps 1e-5, unbiased running variance).
 */
import { tsBackend, type Backend } from '../backend.ts';
import { backendParam, type Layer, type Mode, type Param } from '../types.ts';
import { checkInteger, checkNumber, checkOneOf } from '../validate.ts';

export interface BatchNormOptions {
  /**
   * Keras direction: moving = momentum·moving + (1−momentum)·batch. Default 0.99.
   * PyTorch's momentum m converts to 1 − m (PyTorch's default 0.1 is 0.9 here). Range [0, 1].
   */
  momentum?: number;
  /** Added to the variance before the square root. Default 1e-3 (Keras; PyTorch uses 1e-5). Range (0, 1]. */
  epsilon?: number;
  /**
   * Which batch variance feeds the moving variance: 'biased' (Keras, default, divides by N) or
   * 'unbiased' (PyTorch, N/(N−1)). Normalization in train always uses the biased batch variance.
   */
  runningVariance?: 'biased' | 'unbiased';
  /**
   * Which part of BN runs (module doc): 'full' (default), 'center' (subtract the batch mean only),
   * 'scale' (divide by √(σ² + ε) only) or 'frozen-affine' (γ = 1 and β = 0, not trained).
   */
  ablation?: BnAblation;
  /** Where γ, β, the statistics and the activations live and which kernels run; default ts. */
  backend?: Backend;
}

export type BnAblation = 'full' | 'center' | 'scale' | 'frozen-affine';
/** In the order of their codes in the wasm kernels (0 = 'full' … 3 = 'frozen-affine'). */
export const bnAblations: readonly BnAblation[] = ['full', 'center', 'scale', 'frozen-affine'];

const defaults = { momentum: 0.99, epsilon: 1e-3, runningVariance: 'biased', ablation: 'full' } as const;
const runningVariances = ['biased', 'unbiased'] as const;

export interface BatchNorm extends Layer {
  readonly kind: 'BatchNormalization';
  readonly features: number;
  readonly gamma: Param; // (H) init 1, no decay
  readonly beta: Param; // (H) init 0, no decay
  readonly movingMean: Float32Array; // (H) starts at 0
  readonly movingVariance: Float32Array; // (H) starts at 1
  /** Validated setter, [0, 1]; may change mid-run and applies from the next train forward. */
  momentum: number;
  readonly epsilon: number;
  readonly runningVariance: 'biased' | 'unbiased';
  readonly ablation: BnAblation;
  /**
   * Mean and biased variance of the last train batch (H each), for diagnostics; null before the
   * first train forward. The arrays are reused: valid until the next train forward.
   */
  lastBatchStats(): { mean: Float32Array; variance: Float32Array } | null;
}

/** What backward needs from the last train forward: x̂ (N, H) and 1/σ (H), kept in their buffers. */
interface BatchNormCache {
  n: number;
}

export function batchNorm(features: number, options: BatchNormOptions = {}): BatchNorm {
  const H = checkInteger('batchNorm', 'features', features, 1);
  let momentum = checkNumber('batchNorm', 'momentum', options.momentum ?? defaults.momentum, 0, 1);
  const epsilon = checkNumber('batchNorm', 'epsilon', options.epsilon ?? defaults.epsilon, 0, 1, { minOpen: true });
  const runningVariance = checkOneOf('batchNorm', 'runningVariance', options.runningVariance ?? defaults.runningVariance, runningVariances);
  const ablation = checkOneOf('batchNorm', 'ablation', options.ablation ?? defaults.ablation, bnAblations);
  const code = bnAblations.indexOf(ablation);
  const be = options.backend ?? tsBackend;

  const gamma = backendParam(be, 'gamma', H, false, 1);
  const beta = backendParam(be, 'beta', H, false);
  const movingMean = be.f32(H);
  const movingVariance = be.f32(H);
  movingVariance.view.fill(1);

  // Per-feature scratch (H), allocated once; the statistics in float64.
  const mean = be.f64(H);
  const variance = be.f64(H);
  const invStd = be.f64(H);
  const scale = be.f64(H);
  const shift = be.f64(H);
  const coef = be.f64(H);
  const sumDy = be.f64(H);
  const sumDyXhat = be.f64(H);
  const lastMean = be.f32(H);
  const lastVariance = be.f32(H);
  let haveStats = false;

  let cache: BatchNormCache | null = null;
  const y = be.f32(0); // (N, H)
  const xhat = be.f32(0); // (N, H)
  const dx = be.f32(0); // (N, H)
  const xIn = be.f32(0); // (N, H) staging for inputs from outside the backend's memory
  const dyIn = be.f32(0);

  function forwardTrain(xInput: Float32Array, n: number): void {
    if (runningVariance === 'unbiased' && n < 2) {
      throw new RangeError(`batchNorm.forward: runningVariance 'unbiased' needs n ≥ 2 in train mode, received n = ${n}`);
    }
    const x = be.input(xInput, xIn);
    y.resize(n * H);
    xhat.resize(n * H);
    const correction = runningVariance === 'unbiased' ? n / (n - 1) : 1;
    const k = be.kernels;
    if (k) {
      k.batchNormForwardTrain(
        x.ptr,
        n,
        H,
        gamma.ptr,
        beta.ptr,
        movingMean.ptr,
        movingVariance.ptr,
        momentum,
        epsilon,
        correction,
        y.ptr,
        xhat.ptr,
        mean.ptr,
        variance.ptr,
        invStd.ptr,
        lastMean.ptr,
        lastVariance.ptr,
        code,
      );
    } else {
      batchNormForwardTrain(
        x.view,
        n,
        H,
        gamma.value,
        beta.value,
        movingMean.view,
        movingVariance.view,
        momentum,
        epsilon,
        correction,
        y.view,
        xhat.view,
        mean.view,
        variance.view,
        invStd.view,
        lastMean.view,
        lastVariance.view,
        ablation,
      );
    }
    haveStats = true;
    cache = { n };
  }

  function forwardEval(xInput: Float32Array, n: number): void {
    const x = be.input(xInput, xIn);
    y.resize(n * H);
    const k = be.kernels;
    if (k)
      k.batchNormForwardEval(
        x.ptr,
        n,
        H,
        gamma.ptr,
        beta.ptr,
        movingMean.ptr,
        movingVariance.ptr,
        epsilon,
        y.ptr,
        scale.ptr,
        shift.ptr,
        code,
      );
    else
      batchNormForwardEval(
        x.view,
        n,
        H,
        gamma.value,
        beta.value,
        movingMean.view,
        movingVariance.view,
        epsilon,
        y.view,
        scale.view,
        shift.view,
        ablation,
      );
    cache = null;
  }

  return {
    kind: 'BatchNormalization',
    features: H,
    gamma,
    beta,
    get movingMean() {
      return movingMean.view;
    },
    get movingVariance() {
      return movingVariance.view;
    },
    get momentum() {
      return momentum;
    },
    set momentum(value: number) {
      momentum = checkNumber('batchNorm', 'momentum', value, 0, 1);
    },
    epsilon,
    runningVariance,
    ablation,
    lastBatchStats: () => (haveStats ? { mean: lastMean.view, variance: lastVariance.view } : null),
    forward(x: Float32Array, n: number, mode: Mode): Float32Array {
      checkInteger('batchNorm.forward', 'n', n, 1);
      if (x.length !== n * H) {
        throw new RangeError(`batchNorm.forward: x must hold n·features = ${n}·${H} = ${n * H} values, received ${x.length}`);
      }
      if (mode === 'train') forwardTrain(x, n);
      else if (mode === 'eval') forwardEval(x, n);
      else throw new RangeError(`batchNorm.forward: mode must be 'train' or 'eval', received ${String(mode)}`);
      return y.view;
    },
    backward(dout: Float32Array): Float32Array {
      if (!cache) throw new Error('batchNorm.backward: call forward(x, n, "train") first');
      const { n } = cache;
      if (dout.length !== n * H) {
        throw new RangeError(`batchNorm.backward: dout must hold n·features = ${n * H} values, received ${dout.length}`);
      }
      const dy = be.input(dout, dyIn);
      dx.resize(n * H);
      const k = be.kernels;
      if (k) {
        k.batchNormBackward(
          dy.ptr,
          xhat.ptr,
          invStd.ptr,
          gamma.ptr,
          n,
          H,
          sumDy.ptr,
          sumDyXhat.ptr,
          coef.ptr,
          dx.ptr,
          gamma.gradPtr,
          beta.gradPtr,
          mean.ptr,
          code,
        );
      } else {
        batchNormBackward(
          dy.view,
          xhat.view,
          invStd.view,
          gamma.value,
          n,
          H,
          sumDy.view,
          sumDyXhat.view,
          coef.view,
          dx.view,
          gamma.grad,
          beta.grad,
          mean.view,
          ablation,
        );
      }
      return dx.view;
    },
    // Frozen γ and β are constants: no optimizer step, no decay, no share of the gradient norm.
    params: () => (ablation === 'frozen-affine' ? [] : [gamma, beta]),
  };
}

/**
 * Train forward, the reference of the wasm kernel of the same name: batch moments (float64, H),
 * x̂ and y (N, H), the moving statistics and the last batch's statistics (H each).
 */
export function batchNormForwardTrain(
  x: Float32Array,
  n: number,
  H: number,
  gamma: Float32Array,
  beta: Float32Array,
  movingMean: Float32Array,
  movingVariance: Float32Array,
  momentum: number,
  epsilon: number,
  correction: number,
  y: Float32Array,
  xhat: Float32Array,
  mean: Float64Array,
  variance: Float64Array,
  invStd: Float64Array,
  lastMean: Float32Array,
  lastVariance: Float32Array,
  ablation: BnAblation,
): void {
  batchMoments(x, n, H, mean, variance);
  for (let h = 0; h < H; h++) invStd[h] = 1 / Math.sqrt(variance[h] + epsilon);
  // x̂ = (x − c)·k: 'center' keeps k = 1, 'scale' c = 0 (both exact, so 'full' is unchanged).
  const subtract = ablation !== 'scale';
  const divide = ablation !== 'center';
  for (let r = 0; r < n; r++) {
    const o = r * H;
    for (let h = 0; h < H; h++) {
      const xh = (x[o + h] - (subtract ? mean[h] : 0)) * (divide ? invStd[h] : 1);
      xhat[o + h] = xh;
      y[o + h] = gamma[h] * xh + beta[h];
    }
  }
  for (let h = 0; h < H; h++) {
    movingMean[h] = momentum * movingMean[h] + (1 - momentum) * mean[h];
    movingVariance[h] = momentum * movingVariance[h] + (1 - momentum) * variance[h] * correction;
    lastMean[h] = mean[h];
    lastVariance[h] = variance[h];
  }
}

/**
 * Eval forward folded into one multiply-add per element: scale = γ/√(v+ε), shift = β − m·scale
 * (float64, H); 'center' has scale = γ, 'scale' has shift = β.
 */
export function batchNormForwardEval(
  x: Float32Array,
  n: number,
  H: number,
  gamma: Float32Array,
  beta: Float32Array,
  movingMean: Float32Array,
  movingVariance: Float32Array,
  epsilon: number,
  y: Float32Array,
  scale: Float64Array,
  shift: Float64Array,
  ablation: BnAblation,
): void {
  for (let h = 0; h < H; h++) {
    scale[h] = ablation === 'center' ? gamma[h] : gamma[h] / Math.sqrt(movingVariance[h] + epsilon);
    shift[h] = ablation === 'scale' ? beta[h] : beta[h] - movingMean[h] * scale[h];
  }
  for (let r = 0; r < n; r++) {
    const o = r * H;
    for (let h = 0; h < H; h++) y[o + h] = x[o + h] * scale[h] + shift[h];
  }
}

/** Per-feature mean and biased variance of x (N, H), two passes in float64. */
function batchMoments(x: Float32Array, n: number, H: number, mean: Float64Array, variance: Float64Array): void {
  mean.fill(0);
  variance.fill(0);
  for (let r = 0; r < n; r++) {
    const o = r * H;
    for (let h = 0; h < H; h++) mean[h] += x[o + h];
  }
  for (let h = 0; h < H; h++) mean[h] /= n;
  for (let r = 0; r < n; r++) {
    const o = r * H;
    for (let h = 0; h < H; h++) {
      const d = x[o + h] - mean[h];
      variance[h] += d * d;
    }
  }
  for (let h = 0; h < H; h++) variance[h] /= n;
}

/**
 * The compact BN backward. Fills sumDy = Σ_n dy and sumDyXhat = Σ_n dy·x̂ (H each, the β and γ
 * gradients of this batch, added into dbeta and dgamma unless 'frozen-affine') and writes dx
 * (N, H) by the variant's formula (module doc); coef (H) is scratch for γ/(N·σ) (γ/N for
 * 'center'); mean (H) is the batch mean, read by 'scale'.
 */
export function batchNormBackward(
  dy: Float32Array,
  xhat: Float32Array,
  invStd: Float64Array,
  gamma: Float32Array,
  n: number,
  H: number,
  sumDy: Float64Array,
  sumDyXhat: Float64Array,
  coef: Float64Array,
  dx: Float32Array,
  dgamma: Float32Array,
  dbeta: Float32Array,
  mean: Float64Array,
  ablation: BnAblation,
): void {
  sumDy.fill(0);
  sumDyXhat.fill(0);
  for (let r = 0; r < n; r++) {
    const o = r * H;
    for (let h = 0; h < H; h++) {
      const g = dy[o + h];
      sumDy[h] += g;
      sumDyXhat[h] += g * xhat[o + h];
    }
  }
  for (let h = 0; h < H; h++) coef[h] = ablation === 'center' ? gamma[h] / n : (gamma[h] * invStd[h]) / n;
  for (let r = 0; r < n; r++) {
    const o = r * H;
    if (ablation === 'center') {
      for (let h = 0; h < H; h++) dx[o + h] = coef[h] * (n * dy[o + h] - sumDy[h]);
    } else if (ablation === 'scale') {
      for (let h = 0; h < H; h++) dx[o + h] = coef[h] * (n * dy[o + h] - (xhat[o + h] - mean[h] * invStd[h]) * sumDyXhat[h]);
    } else {
      for (let h = 0; h < H; h++) dx[o + h] = coef[h] * (n * dy[o + h] - sumDy[h] - xhat[o + h] * sumDyXhat[h]);
    }
  }
  if (ablation === 'frozen-affine') return;
  for (let h = 0; h < H; h++) {
    dgamma[h] += sumDyXhat[h];
    dbeta[h] += sumDy[h];
  }
}

/** One buffer of `bnMemory`: what it holds, its bytes, and whether it grows with the batch. */
export interface MemoryItem {
  what: string;
  bytes: number;
  perBatch: boolean;
}

/**
 * The memory the BN layers of a model hold while it trains, counted from the buffers `batchNorm`
 * allocates above (float32 = 4 bytes, float64 = 8) for `units` features in all (the sum of the BN
 * layers' widths) at batch N: γ, β and their gradients (4H), the optimizer's slots for them
 * (`optimizerSlots` each: Adam 2, SGD with momentum 1), the moving mean and variance (2H), the
 * last batch's statistics kept for diagnostics (2H), eight float64 per-feature scratch vectors
 * (the batch mean, variance and 1/σ among them), and the per-batch caches x̂, y and dx (3·N·H).
 * Lessons 10 and 12 and the claim-9 verdict all read this one count.
 */
export function bnMemory(units: number, batchSize: number, optimizerSlots: number): MemoryItem[] {
  const H = units;
  const f32 = 4;
  const f64 = 8;
  return [
    { what: 'γ, β and their gradients', bytes: 4 * H * f32, perBatch: false },
    {
      what: `optimizer state for γ, β (${optimizerSlots} slot${optimizerSlots === 1 ? '' : 's'} each)`,
      bytes: 2 * optimizerSlots * H * f32,
      perBatch: false,
    },
    { what: 'moving mean and variance', bytes: 2 * H * f32, perBatch: false },
    { what: `per-batch caches x̂, y, dx (${batchSize} rows)`, bytes: 3 * batchSize * H * f32, perBatch: true },
    { what: 'batch statistics and float64 scratch', bytes: 2 * H * f32 + 8 * H * f64, perBatch: false },
  ];
}
