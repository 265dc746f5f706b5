/**
 * Element-wise activations, as Keras `Activation('relu' | 'sigmoid' | 'tanh')`.
 *
 *   relu      y = max(0, x)          dx = dy · [y > 0]
 *   sigmoid   y = 1 / (1 + e^(−x))   dx = dy · y·(1 − y)
 *   tanh      y = tanh(x)            dx = dy · (1 − y²)
 *
 * Each derivative is written in terms of the output y, so the forward caches only its own output.
 * ReLU's derivative at exactly 0 is taken as 0 (as TensorFlow and PyTorch do). NaN inputs stay
 * NaN, so a diverging run shows up in the loss instead of being silently zeroed.
 *
 * On the wasm backend the kernels of the same names in engine/wasm/assembly/kernels.ts run
 * instead (sigmoid and tanh forward with AssemblyScript's exp and tanh: within one float32
 * rounding of these, and the same bits in every JavaScript engine).
 *
 * Source: https://keras.io/api/layers/activations/
 */
import { tsBackend, type Backend } from '../backend.ts';
import type { Layer, Mode } from '../types.ts';
import { checkInteger } from '../validate.ts';

export type ActivationFn = 'relu' | 'sigmoid' | 'tanh';

export interface Activation extends Layer {
  readonly kind: 'Activation';
  readonly fn: ActivationFn;
}

/** What backward needs from the last train forward: this layer's own output, in `y`. */
interface ActivationCache {
  length: number;
}

/** Where the activations live and which kernels run; default the ts backend. */
export interface ActivationOptions {
  backend?: Backend;
}

export function relu(options: ActivationOptions = {}): Activation {
  return activation('relu', options.backend ?? tsBackend);
}

export function sigmoid(options: ActivationOptions = {}): Activation {
  return activation('sigmoid', options.backend ?? tsBackend);
}

export function tanh(options: ActivationOptions = {}): Activation {
  return activation('tanh', options.backend ?? tsBackend);
}

function activation(fn: ActivationFn, be: Backend): Activation {
  let cache: ActivationCache | null = null;
  const y = be.f32(0); // (N, H) callers must not write into it: backward reads it
  const dx = be.f32(0); // (N, H)
  const xIn = be.f32(0); // staging for inputs from outside the backend's memory
  const dyIn = be.f32(0);
  const where = `${fn}.forward`;

  return {
    kind: 'Activation',
    fn,
    forward(x: Float32Array, n: number, mode: Mode): Float32Array {
      checkInteger(where, 'n', n, 1);
      if (x.length % n !== 0) {
        throw new RangeError(`${where}: x.length must be a multiple of n = ${n}, received ${x.length}`);
      }
      if (mode !== 'train' && mode !== 'eval') {
        throw new RangeError(`${where}: mode must be 'train' or 'eval', received ${String(mode)}`);
      }
      const length = x.length; // read before any resize: a memory growth detaches x
      const xb = be.input(x, xIn);
      y.resize(length);
      const k = be.kernels;
      if (k) k[`${fn}Forward`](xb.ptr, y.ptr, length);
      else if (fn === 'relu') reluForward(xb.view, y.view);
      else if (fn === 'sigmoid') sigmoidForward(xb.view, y.view);
      else tanhForward(xb.view, y.view);
      cache = mode === 'train' ? { length } : null;
      return y.view;
    },
    backward(dout: Float32Array): Float32Array {
      if (!cache) throw new Error(`${fn}.backward: call forward(x, n, "train") first`);
      const { length } = cache;
      if (dout.length !== length) {
        throw new RangeError(`${fn}.backward: dout must hold ${length} values like the last output, received ${dout.length}`);
      }
      const dy = be.input(dout, dyIn);
      dx.resize(length);
      const k = be.kernels;
      if (k) k[`${fn}Backward`](y.ptr, dy.ptr, dx.ptr, length);
      else if (fn === 'relu') reluBackward(y.view, dy.view, dx.view);
      else if (fn === 'sigmoid') sigmoidBackward(y.view, dy.view, dx.view);
      else tanhBackward(y.view, dy.view, dx.view);
      return dx.view;
    },
    params: () => [],
  };
}

export function reluForward(x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    y[i] = v < 0 ? 0 : v; // NaN < 0 is false: NaN passes through
  }
}

export function reluBackward(y: Float32Array, dy: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < y.length; i++) dx[i] = y[i] > 0 ? dy[i] : 0;
}

function sigmoidForward(x: Float32Array, y: Float32Array): void {
  // For x → −∞, e^(−x) overflows to Infinity and y becomes 0: no NaN, no special case needed.
  for (let i = 0; i < x.length; i++) y[i] = 1 / (1 + Math.exp(-x[i]));
}

function sigmoidBackward(y: Float32Array, dy: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < y.length; i++) dx[i] = dy[i] * y[i] * (1 - y[i]);
}

function tanhForward(x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]);
}

function tanhBackward(y: Float32Array, dy: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < y.length; i++) dx[i] = dy[i] * (1 - y[i] * y[i]);
}
