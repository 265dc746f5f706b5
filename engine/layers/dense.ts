/**
 * Dense (fully connected) layer, as Keras `Dense`: y = x·W + b.
 *
 *   forward   y[n,h]  = b[h] + Σ_d x[n,d]·W[d,h]
 *   backward  dW[d,h] += Σ_n x[n,d]·dy[n,h]      db[h] += Σ_n dy[n,h]
 *             dx[n,d]  = Σ_h dy[n,h]·W[d,h]
 *
 * Source: https://keras.io/api/layers/core_layers/dense/ ; initializers: Glorot & Bengio 2010
 * (http://proceedings.mlr.press/v9/glorot10a.html), He et al. 2015 (https://arxiv.org/abs/1502.01852).
 *
 * Speed: MNIST inputs are ~80 % zeros and ReLU outputs ~50 %, so the forward pass records the
 * batch's non-zeros once (by row) and both `x·W` and `dW` walk only those, keeping eight outputs
 * in registers at a time; dW walks them by column so each row of dW is touched once per step.
 * `referenceForward` / `referenceBackward` below are the plain triple loops the tests compare the
 * fast kernels with; `denseForward`, `denseBackwardParams` and `denseBackwardInput` are the ts
 * backend's kernels and the reference of the wasm kernels of the same names.
 */
import { tsBackend, type Backend, type Buf } from '../backend.ts';
import { backendParam, type Layer, type Mode, type Param, type Random } from '../types.ts';
import { checkInteger, checkOneOf } from '../validate.ts';

export type DenseInit = 'glorot-uniform' | 'he-normal' | 'he-uniform';
export const inits: readonly DenseInit[] = ['glorot-uniform', 'he-normal', 'he-uniform'];

export interface DenseOptions {
  random: Random;
  /** Weight initializer; default 'glorot-uniform' (Keras). Biases always start at 0. */
  init?: DenseInit;
  /**
   * Whether `backward` computes dx. Default true. The first layer of a network has nothing
   * upstream to send dx to: turning it off skips a (N, D, H) product per step.
   */
  inputGrad?: boolean;
  /** Where W, b and the activations live and which kernels run; default the ts backend. */
  backend?: Backend;
}

export interface Dense extends Layer {
  readonly kind: 'Dense';
  readonly inputs: number;
  readonly units: number;
  readonly W: Param; // (D, H) row-major
  readonly b: Param; // (H)
}

/** What backward needs from the last train forward: x's non-zeros (in `nz`), all of x that dW needs. */
interface DenseCache {
  n: number;
}

/** The non-zeros of a batch as backend buffers; `SparseRows` below lists what each holds. */
type SparseBufs = { [K in keyof SparseRows]: Buf<SparseRows[K]> };

export function dense(inputs: number, units: number, options: DenseOptions): Dense {
  const D = checkInteger('dense', 'inputs', inputs, 1);
  const H = checkInteger('dense', 'units', units, 1);
  if (typeof options?.random !== 'function') {
    throw new TypeError(`dense: options.random must be a function returning numbers in [0, 1), received ${typeof options?.random}`);
  }
  const init = checkOneOf('dense', 'init', options.init ?? 'glorot-uniform', inits);
  const inputGrad = options.inputGrad ?? true;
  const be = options.backend ?? tsBackend;

  const W = backendParam(be, 'kernel', D * H, true); // (D, H) row-major
  W.value.set(initWeights(D * H, D, H, init, options.random));
  const b = backendParam(be, 'bias', H, false); // (H)

  let cache: DenseCache | null = null;
  const y = be.f32(0); // (N, H)
  const dx = be.f32(0); // (N, D)
  const xIn = be.f32(0); // (N, D) staging for inputs from outside the backend's memory
  const dyIn = be.f32(0); // (N, H) the same for gradients
  const nz: SparseBufs = {
    start: be.i32(0),
    index: be.i32(0),
    value: be.f32(0),
    colStart: be.i32(D + 1),
    colFill: be.i32(D),
    colRow: be.i32(0),
    colValue: be.f32(0),
  };
  const views = (): SparseRows => ({
    start: nz.start.view,
    index: nz.index.view,
    value: nz.value.view,
    colStart: nz.colStart.view,
    colFill: nz.colFill.view,
    colRow: nz.colRow.view,
    colValue: nz.colValue.view,
  });

  return {
    kind: 'Dense',
    inputs: D,
    units: H,
    W,
    b,
    forward(x: Float32Array, n: number, mode: Mode): Float32Array {
      if (x.length !== n * D) {
        throw new RangeError(`dense.forward: x must hold n·inputs = ${n}·${D} = ${n * D} values, received ${x.length}`);
      }
      const xb = be.input(x, xIn); // its address first: the resizes below may grow the memory
      y.resize(n * H);
      nz.start.resize(n + 1);
      nz.index.resize(n * D);
      nz.value.resize(n * D);
      const k = be.kernels;
      if (k) k.denseForward(xb.ptr, n, D, H, W.ptr, b.ptr, y.ptr, nz.start.ptr, nz.index.ptr, nz.value.ptr);
      else denseForward(xb.view, n, D, H, W.value, b.value, y.view, views());
      cache = mode === 'train' ? { n } : null;
      return y.view;
    },
    backward(dout: Float32Array): Float32Array {
      if (!cache) throw new Error('dense.backward: call forward(x, n, "train") first');
      const { n } = cache;
      if (dout.length !== n * H) {
        throw new RangeError(`dense.backward: dout must hold n·units = ${n * H} values, received ${dout.length}`);
      }
      const dy = be.input(dout, dyIn);
      nz.colRow.resize(n * D);
      nz.colValue.resize(n * D);
      if (inputGrad) dx.resize(n * D);
      const k = be.kernels;
      if (k) {
        k.denseBackwardParams(
          dy.ptr,
          n,
          D,
          H,
          nz.start.ptr,
          nz.index.ptr,
          nz.value.ptr,
          nz.colStart.ptr,
          nz.colFill.ptr,
          nz.colRow.ptr,
          nz.colValue.ptr,
          W.gradPtr,
          b.gradPtr,
        );
        if (inputGrad) k.denseBackwardInput(dy.ptr, n, D, H, W.ptr, dx.ptr);
      } else {
        denseBackwardParams(dy.view, n, D, H, views(), W.grad, b.grad);
        if (inputGrad) denseBackwardInput(dy.view, n, D, H, W.value, dx.view);
      }
      return dx.view; // stays empty without inputGrad: nothing upstream needs it
    },
    params: () => [W, b],
  };
}

/**
 * `count` initial weights for a layer with `fanIn` inputs and `fanOut` outputs per weight (Dense:
 * D and H; a k×k convolution: k²·C and k²·F, as Keras computes them).
 */
export function initWeights(count: number, fanIn: number, fanOut: number, init: DenseInit, random: Random): Float32Array {
  const w = new Float32Array(count);
  if (init === 'glorot-uniform' || init === 'he-uniform') {
    const limit = init === 'glorot-uniform' ? Math.sqrt(6 / (fanIn + fanOut)) : Math.sqrt(6 / fanIn);
    for (let i = 0; i < w.length; i++) w[i] = (2 * random() - 1) * limit;
  } else {
    // Keras he_normal: truncated normal (re-drawn beyond 2σ), σ = √(2/fanIn) / 0.8796 so the
    // truncated distribution keeps variance 2/fanIn.
    const std = Math.sqrt(2 / fanIn) / 0.87962566103423978;
    for (let i = 0; i < w.length; i++) {
      let z: number;
      do z = standardNormal(random);
      while (Math.abs(z) > 2);
      w[i] = z * std;
    }
  }
  return w;
}

function standardNormal(random: Random): number {
  // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * y = x·W + b over the non-zero entries of each row of x, recording them (CSR: nzStart, nzIndex,
 * nzValue). Eight outputs at a time stay in registers while the row's non-zeros stream past, so
 * each output is stored once instead of once per input.
 */
export function denseForward(
  x: Float32Array,
  n: number,
  D: number,
  H: number,
  W: Float32Array,
  b: Float32Array,
  y: Float32Array,
  nz: SparseRows,
): void {
  const { start, index, value } = nz;
  let count = 0;
  for (let r = 0; r < n; r++) {
    start[r] = count;
    const xo = r * D;
    for (let d = 0; d < D; d++) {
      const xv = x[xo + d];
      if (xv !== 0) {
        index[count] = d;
        value[count++] = xv;
      }
    }
  }
  start[n] = count;
  const H8 = H - (H % 8);
  for (let r = 0; r < n; r++) {
    const k0 = start[r];
    const k1 = start[r + 1];
    const yo = r * H;
    for (let h = 0; h < H8; h += 8) {
      let a0 = b[h],
        a1 = b[h + 1],
        a2 = b[h + 2],
        a3 = b[h + 3];
      let a4 = b[h + 4],
        a5 = b[h + 5],
        a6 = b[h + 6],
        a7 = b[h + 7];
      for (let k = k0; k < k1; k++) {
        const xv = value[k];
        const w = index[k] * H + h;
        a0 += xv * W[w];
        a1 += xv * W[w + 1];
        a2 += xv * W[w + 2];
        a3 += xv * W[w + 3];
        a4 += xv * W[w + 4];
        a5 += xv * W[w + 5];
        a6 += xv * W[w + 6];
        a7 += xv * W[w + 7];
      }
      y[yo + h] = a0;
      y[yo + h + 1] = a1;
      y[yo + h + 2] = a2;
      y[yo + h + 3] = a3;
      y[yo + h + 4] = a4;
      y[yo + h + 5] = a5;
      y[yo + h + 6] = a6;
      y[yo + h + 7] = a7;
    }
    for (let h = H8; h < H; h++) {
      let a = b[h];
      for (let k = k0; k < k1; k++) a += value[k] * W[index[k] * H + h];
      y[yo + h] = a;
    }
  }
}

/**
 * dW += xᵀ·dy and db += Σ_n dy, walking x's non-zeros by column (CSC, built from the forward's
 * CSR by a counting sort) so each row of dW is read and written once per step, eight at a time.
 */
export function denseBackwardParams(
  dy: Float32Array,
  n: number,
  D: number,
  H: number,
  nz: SparseRows,
  dW: Float32Array,
  db: Float32Array,
): void {
  for (let r = 0; r < n; r++) {
    const go = r * H;
    for (let h = 0; h < H; h++) db[h] += dy[go + h];
  }
  const { start, index, value, colStart, colRow, colValue } = nz;
  colStart.fill(0);
  const total = start[n];
  for (let k = 0; k < total; k++) colStart[index[k] + 1]++;
  for (let d = 0; d < D; d++) colStart[d + 1] += colStart[d];
  const fill = nz.colFill;
  fill.set(colStart.subarray(0, D));
  for (let r = 0; r < n; r++) {
    for (let k = start[r], end = start[r + 1]; k < end; k++) {
      const at = fill[index[k]]++;
      colRow[at] = r * H;
      colValue[at] = value[k];
    }
  }
  const H8 = H - (H % 8);
  for (let d = 0; d < D; d++) {
    const k0 = colStart[d];
    const k1 = colStart[d + 1];
    if (k0 === k1) continue;
    const wo = d * H;
    for (let h = 0; h < H8; h += 8) {
      const w = wo + h;
      let a0 = dW[w],
        a1 = dW[w + 1],
        a2 = dW[w + 2],
        a3 = dW[w + 3];
      let a4 = dW[w + 4],
        a5 = dW[w + 5],
        a6 = dW[w + 6],
        a7 = dW[w + 7];
      for (let k = k0; k < k1; k++) {
        const xv = colValue[k];
        const g = colRow[k] + h;
        a0 += xv * dy[g];
        a1 += xv * dy[g + 1];
        a2 += xv * dy[g + 2];
        a3 += xv * dy[g + 3];
        a4 += xv * dy[g + 4];
        a5 += xv * dy[g + 5];
        a6 += xv * dy[g + 6];
        a7 += xv * dy[g + 7];
      }
      dW[w] = a0;
      dW[w + 1] = a1;
      dW[w + 2] = a2;
      dW[w + 3] = a3;
      dW[w + 4] = a4;
      dW[w + 5] = a5;
      dW[w + 6] = a6;
      dW[w + 7] = a7;
    }
    for (let h = H8; h < H; h++) {
      let a = dW[wo + h];
      for (let k = k0; k < k1; k++) a += colValue[k] * dy[colRow[k] + h];
      dW[wo + h] = a;
    }
  }
}

/** The non-zeros of a batch (N, D), by row (CSR) and by column (CSC); buffers reused across steps. */
export interface SparseRows {
  start: Int32Array; // (N + 1) row offsets into index/value
  index: Int32Array; // column of each non-zero, row after row
  value: Float32Array; // the non-zero values
  colStart: Int32Array; // (D + 1) column offsets into colRow/colValue
  colFill: Int32Array; // (D) scratch for the counting sort
  colRow: Int32Array; // row offset r·H of each non-zero, column after column (the wasm kernel stores bytes, r·H·4)
  colValue: Float32Array;
}

/** dx = dy·Wᵀ: one dot product of two contiguous H-rows per (n, d). */
export function denseBackwardInput(dy: Float32Array, n: number, D: number, H: number, W: Float32Array, dx: Float32Array): void {
  for (let r = 0; r < n; r++) {
    const go = r * H;
    const xo = r * D;
    for (let d = 0; d < D; d++) {
      const wo = d * H;
      let s = 0;
      for (let h = 0; h < H; h++) s += dy[go + h] * W[wo + h];
      dx[xo + d] = s;
    }
  }
}

/** Plain reference: y = x·W + b, every entry visited. */
export function referenceForward(x: Float32Array, n: number, D: number, H: number, W: Float32Array, b: Float32Array): Float32Array {
  const y = new Float32Array(n * H);
  for (let r = 0; r < n; r++) {
    for (let h = 0; h < H; h++) {
      let s = b[h];
      for (let d = 0; d < D; d++) s += x[r * D + d] * W[d * H + h];
      y[r * H + h] = s;
    }
  }
  return y;
}

/** Plain reference backward: returns fresh dW, db, dx. */
export function referenceBackward(x: Float32Array, dy: Float32Array, n: number, D: number, H: number, W: Float32Array) {
  const dW = new Float32Array(D * H);
  const db = new Float32Array(H);
  const dx = new Float32Array(n * D);
  for (let r = 0; r < n; r++) {
    for (let h = 0; h < H; h++) {
      const g = dy[r * H + h];
      db[h] += g;
      for (let d = 0; d < D; d++) {
        dW[d * H + h] += x[r * D + d] * g;
        dx[r * D + d] += g * W[d * H + h];
      }
    }
  }
  return { dW, db, dx };
}
