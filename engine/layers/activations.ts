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
 * Source: https://keras.io/api/layers/activations/
 */
import type { Layer, Mode } from '../types.ts';
import { checkInteger } from '../validate.ts';

export type ActivationFn = 'relu' | 'sigmoid' | 'tanh';

export interface Activation extends Layer {
  readonly kind: 'Activation';
  readonly fn: ActivationFn;
}

/** What backward needs from the last train forward. */
interface ActivationCache {
  y: Float32Array; // (N, H) this layer's own output buffer; callers must not write into it
}

export function relu(): Activation {
  return activation('relu');
}

export function sigmoid(): Activation {
  return activation('sigmoid');
}

export function tanh(): Activation {
  return activation('tanh');
}

function activation(fn: ActivationFn): Activation {
  let cache: ActivationCache | null = null;
  let y = new Float32Array(0); // (N, H)
  let dx = new Float32Array(0); // (N, H)
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
      if (y.length !== x.length) y = new Float32Array(x.length);
      if (fn === 'relu') reluForward(x, y);
      else if (fn === 'sigmoid') sigmoidForward(x, y);
      else tanhForward(x, y);
      cache = mode === 'train' ? { y } : null;
      return y;
    },
    backward(dout: Float32Array): Float32Array {
      if (!cache) throw new Error(`${fn}.backward: call forward(x, n, "train") first`);
      const out = cache.y;
      if (dout.length !== out.length) {
        throw new RangeError(`${fn}.backward: dout must hold ${out.length} values like the last output, received ${dout.length}`);
      }
      if (dx.length !== out.length) dx = new Float32Array(out.length);
      if (fn === 'relu') reluBackward(out, dout, dx);
      else if (fn === 'sigmoid') sigmoidBackward(out, dout, dx);
      else tanhBackward(out, dout, dx);
      return dx;
    },
    params: () => [],
  };
}

function reluForward(x: Float32Array, y: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    y[i] = v < 0 ? 0 : v; // NaN < 0 is false: NaN passes through
  }
}

function reluBackward(y: Float32Array, dy: Float32Array, dx: Float32Array): void {
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
