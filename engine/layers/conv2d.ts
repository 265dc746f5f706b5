/**
 * 2-D convolution with stride 1, as Keras `Conv2D` (channels-last). Images are (N, R, S, C), the
 * kernel W is (k, k, C, F) (Keras' layout), the output (N, R', S', F).
 *
 *   forward   y[n,i,j,f] = b[f] + Σ_{u,v,c} xp[n, i+u, j+v, c]·W[u,v,c,f]
 *             xp is x with p zeros around each image: p = 0 for 'valid' (R' = R − k + 1) and
 *             p = (k − 1)/2 for 'same' (R' = R, k odd)
 *   backward  dW[u,v,c,f] += Σ_{n,i,j} xp[n,i+u,j+v,c]·dy[n,i,j,f]      db[f] += Σ_{n,i,j} dy[n,i,j,f]
 *             dx = the valid convolution of dy padded by k − 1 − p with the kernel turned by 180°
 *             and its channel axes swapped, W'[u,v,f,c] = W[k−1−u, k−1−v, c, f]
 *
 * So two kernels do all the work: `conv2dForward` (a valid convolution, used for y and for dx)
 * and `conv2dBackwardWeights`; `pad2d` and `sumRows` around them. Both vectorize over the
 * channels out, the contiguous innermost axis of W, y and dy in this layout (the wasm kernels use
 * f32x4 lanes there). The TypeScript versions below are the readable reference and the `ts`
 * backend; they accumulate in float64, the wasm kernels in float32 lanes.
 *
 * PyTorch `Conv2d` stores (F, C, k, k) and images (N, C, R, S): W_here = W_torch.permute(2, 3, 1, 0),
 * x_here = x_torch.permute(0, 2, 3, 1). Its default initializer differs (Kaiming uniform with a = √5);
 * Keras' glorot_uniform is the default here, with fan-in k²·C and fan-out k²·F.
 *
 * Sources: https://keras.io/api/layers/convolution_layers/convolution2d/ ;
 * https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html ; the backward as a convolution:
 * Dumoulin & Visin 2016, "A guide to convolution arithmetic", https://arxiv.org/abs/1603.07285 (§4).
 */
import { tsBackend, type Backend } from '../backend.ts';
import { backendParam, type BackendParam, type Layer, type Mode, type Random, type SpatialShape } from '../types.ts';
import { checkInteger, checkOneOf } from '../validate.ts';
import { initWeights, inits, type DenseInit } from './dense.ts';

export type Padding = 'valid' | 'same';
export const paddings: readonly Padding[] = ['valid', 'same'];

export interface Conv2dOptions {
  random: Random;
  /** Kernel side k, odd, in [1, 11]; default 3. */
  kernel?: number;
  /** Default 'valid' (Keras): no zeros added, the output shrinks by k − 1. 'same' keeps R × S. */
  padding?: Padding;
  /** Whether the layer adds a bias per channel out; default true (Keras). Off before a normalization, which removes it anyway. */
  bias?: boolean;
  /** Weight initializer; default 'glorot-uniform' (Keras). */
  init?: DenseInit;
  /** Whether `backward` computes dx; default true. The first layer has nothing upstream. */
  inputGrad?: boolean;
  /** Where W, b and the activations live and which kernels run; default the ts backend. */
  backend?: Backend;
}

export interface Conv2d extends Layer {
  readonly kind: 'Conv2D';
  readonly input: SpatialShape;
  readonly output: SpatialShape;
  readonly kernel: number;
  readonly padding: Padding;
  readonly W: BackendParam; // (k, k, C, F) row-major
  readonly b: BackendParam | null; // (F)
}

/** Output side of a stride-1 convolution: R' = R − k + 1 ('valid') or R ('same'). */
export function convOutputShape(input: SpatialShape, filters: number, kernel: number, padding: Padding): SpatialShape {
  const shrink = padding === 'valid' ? kernel - 1 : 0;
  return { rows: input.rows - shrink, cols: input.cols - shrink, channels: filters };
}

/** What backward needs from the last train forward: the padded input, kept in `xp`. */
interface Conv2dCache {
  n: number;
}

export function conv2d(input: SpatialShape, filters: number, options: Conv2dOptions): Conv2d {
  const R = checkInteger('conv2d', 'input.rows', input?.rows, 1);
  const S = checkInteger('conv2d', 'input.cols', input?.cols, 1);
  const C = checkInteger('conv2d', 'input.channels', input?.channels, 1);
  const F = checkInteger('conv2d', 'filters', filters, 1);
  const k = checkInteger('conv2d', 'kernel', options?.kernel ?? 3, 1, 11);
  if (k % 2 === 0) throw new RangeError(`conv2d: kernel must be odd (3, 5, …) so 'same' padding is symmetric, received ${k}`);
  if (typeof options?.random !== 'function') {
    throw new TypeError(`conv2d: options.random must be a function returning numbers in [0, 1), received ${typeof options?.random}`);
  }
  const padding = checkOneOf('conv2d', 'padding', options.padding ?? 'valid', paddings);
  if (padding === 'valid' && (R < k || S < k)) {
    throw new RangeError(`conv2d: a ${k}×${k} 'valid' convolution needs an input of at least ${k}×${k}, received ${R}×${S}`);
  }
  const init = checkOneOf('conv2d', 'init', options.init ?? 'glorot-uniform', inits);
  const inputGrad = options.inputGrad ?? true;
  const be = options.backend ?? tsBackend;
  const output = convOutputShape({ rows: R, cols: S, channels: C }, F, k, padding);
  const p = padding === 'same' ? (k - 1) / 2 : 0; // zeros around x in the forward
  const q = k - 1 - p; // zeros around dy in the backward
  const [Rp, Sp] = [R + 2 * p, S + 2 * p];
  const [Ro, So] = [output.rows, output.cols];

  const W = backendParam(be, 'kernel', k * k * C * F, true); // (k, k, C, F)
  W.value.set(initWeights(k * k * C * F, k * k * C, k * k * F, init, options.random));
  const b = options.bias === false ? null : backendParam(be, 'bias', F, false); // (F)

  let cache: Conv2dCache | null = null;
  const xp = be.f32(0); // (N, Rp, Sp, C) the padded input
  const y = be.f32(0); // (N, Ro, So, F)
  const Wt = be.f32(k * k * F * C); // (k, k, F, C) W turned and transposed, for dx
  const dyp = be.f32(0); // (N, Ro + 2q, So + 2q, F)
  const dx = be.f32(0); // (N, R, S, C)
  const xIn = be.f32(0); // staging for inputs from outside the backend's memory
  const dyIn = be.f32(0);

  return {
    kind: 'Conv2D',
    input: { rows: R, cols: S, channels: C },
    output,
    kernel: k,
    padding,
    W,
    b,
    forward(x: Float32Array, n: number, mode: Mode): Float32Array {
      checkInteger('conv2d.forward', 'n', n, 1);
      if (x.length !== n * R * S * C) {
        throw new RangeError(`conv2d.forward: x must hold n·${R}·${S}·${C} = ${n * R * S * C} values, received ${x.length}`);
      }
      const xb = be.input(x, xIn); // its address first: the resizes below may grow the memory
      xp.resize(n * Rp * Sp * C);
      y.resize(n * Ro * So * F);
      const kr = be.kernels;
      if (kr) {
        kr.pad2d(xb.ptr, n, R, S, C, p, xp.ptr);
        kr.conv2dForward(xp.ptr, n, Rp, Sp, C, W.ptr, F, k, b ? b.ptr : 0, y.ptr);
      } else {
        pad2d(xb.view, n, R, S, C, p, xp.view);
        conv2dForward(xp.view, n, Rp, Sp, C, W.value, F, k, b ? b.value : null, y.view);
      }
      cache = mode === 'train' ? { n } : null;
      return y.view;
    },
    backward(dout: Float32Array): Float32Array {
      if (!cache) throw new Error('conv2d.backward: call forward(x, n, "train") first');
      const { n } = cache;
      if (dout.length !== n * Ro * So * F) {
        throw new RangeError(`conv2d.backward: dout must hold n·${Ro}·${So}·${F} = ${n * Ro * So * F} values, received ${dout.length}`);
      }
      const dy = be.input(dout, dyIn);
      if (inputGrad) {
        dyp.resize(n * (Ro + 2 * q) * (So + 2 * q) * F);
        dx.resize(n * R * S * C);
        turnKernel(W.value, k, C, F, Wt.view);
      }
      const kr = be.kernels;
      if (kr) {
        kr.conv2dBackwardWeights(xp.ptr, dy.ptr, n, Ro, So, C, F, k, W.gradPtr);
        if (b) kr.sumRows(dy.ptr, n * Ro * So, F, b.gradPtr);
        if (inputGrad) {
          kr.pad2d(dy.ptr, n, Ro, So, F, q, dyp.ptr);
          kr.conv2dForward(dyp.ptr, n, Ro + 2 * q, So + 2 * q, F, Wt.ptr, C, k, 0, dx.ptr);
        }
      } else {
        conv2dBackwardWeights(xp.view, dy.view, n, Ro, So, C, F, k, W.grad);
        if (b) sumRows(dy.view, n * Ro * So, F, b.grad);
        if (inputGrad) {
          pad2d(dy.view, n, Ro, So, F, q, dyp.view);
          conv2dForward(dyp.view, n, Ro + 2 * q, So + 2 * q, F, Wt.view, C, k, null, dx.view);
        }
      }
      return dx.view; // stays empty without inputGrad: nothing upstream needs it
    },
    params: () => (b ? [W, b] : [W]),
  };
}

/** W (k, k, C, F) → Wt (k, k, F, C) turned by 180°: Wt[u,v,f,c] = W[k−1−u, k−1−v, c, f]. */
export function turnKernel(W: Float32Array, k: number, C: number, F: number, Wt: Float32Array): void {
  for (let u = 0; u < k; u++) {
    for (let v = 0; v < k; v++) {
      const from = ((k - 1 - u) * k + (k - 1 - v)) * C * F;
      const to = (u * k + v) * F * C;
      for (let c = 0; c < C; c++) for (let f = 0; f < F; f++) Wt[to + f * C + c] = W[from + c * F + f];
    }
  }
}

/** out (N, R + 2p, S + 2p, C) = x (N, R, S, C) with p zeros on every side of each image. */
export function pad2d(x: Float32Array, n: number, R: number, S: number, C: number, p: number, out: Float32Array): void {
  if (p === 0) {
    out.set(x.subarray(0, n * R * S * C));
    return;
  }
  const [Rp, Sp] = [R + 2 * p, S + 2 * p];
  out.fill(0);
  for (let m = 0; m < n; m++) {
    for (let i = 0; i < R; i++) {
      const from = (m * R + i) * S * C;
      out.set(x.subarray(from, from + S * C), ((m * Rp + i + p) * Sp + p) * C);
    }
  }
}

/**
 * The valid convolution y (N, R−k+1, S−k+1, F) = b + x (N, R, S, C) ⋆ W (k, k, C, F); b may be
 * null (no bias). One float64 accumulator per channel out while the k·k·C inputs stream past.
 */
export function conv2dForward(
  x: Float32Array,
  n: number,
  R: number,
  S: number,
  C: number,
  W: Float32Array,
  F: number,
  k: number,
  b: Float32Array | null,
  y: Float32Array,
): void {
  const [Ro, So] = [R - k + 1, S - k + 1];
  const acc = new Float64Array(F);
  for (let m = 0; m < n; m++) {
    for (let i = 0; i < Ro; i++) {
      for (let j = 0; j < So; j++) {
        for (let f = 0; f < F; f++) acc[f] = b ? b[f] : 0;
        for (let u = 0; u < k; u++) {
          for (let v = 0; v < k; v++) {
            const xo = ((m * R + i + u) * S + j + v) * C;
            const wo = (u * k + v) * C * F;
            for (let c = 0; c < C; c++) {
              const xv = x[xo + c];
              const wr = wo + c * F;
              for (let f = 0; f < F; f++) acc[f] += xv * W[wr + f];
            }
          }
        }
        const yo = ((m * Ro + i) * So + j) * F;
        for (let f = 0; f < F; f++) y[yo + f] = acc[f];
      }
    }
  }
}

/**
 * dW (k, k, C, F) += Σ over images and positions of xp (N, Ro+k−1, So+k−1, C) shifted by (u, v)
 * times dy (N, Ro, So, F): for each (u, v, c) one float64 row of F sums over every position.
 */
export function conv2dBackwardWeights(
  xp: Float32Array,
  dy: Float32Array,
  n: number,
  Ro: number,
  So: number,
  C: number,
  F: number,
  k: number,
  dW: Float32Array,
): void {
  const [R, S] = [Ro + k - 1, So + k - 1];
  const acc = new Float64Array(F);
  for (let u = 0; u < k; u++) {
    for (let v = 0; v < k; v++) {
      for (let c = 0; c < C; c++) {
        acc.fill(0);
        for (let m = 0; m < n; m++) {
          for (let i = 0; i < Ro; i++) {
            for (let j = 0; j < So; j++) {
              const xv = xp[((m * R + i + u) * S + j + v) * C + c];
              const go = ((m * Ro + i) * So + j) * F;
              for (let f = 0; f < F; f++) acc[f] += xv * dy[go + f];
            }
          }
        }
        const wo = ((u * k + v) * C + c) * F;
        for (let f = 0; f < F; f++) dW[wo + f] += acc[f];
      }
    }
  }
}

/** out (F) += Σ_r dy[r, ·] over the rows of dy (rows, F): the bias gradient. */
export function sumRows(dy: Float32Array, rows: number, F: number, out: Float32Array): void {
  const acc = new Float64Array(F);
  for (let r = 0; r < rows; r++) for (let f = 0; f < F; f++) acc[f] += dy[r * F + f];
  for (let f = 0; f < F; f++) out[f] += acc[f];
}
