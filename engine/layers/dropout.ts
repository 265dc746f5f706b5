/**
 * Inverted dropout, as Keras `Dropout(rate)`.
 *
 *   train     keep[i] ~ Bernoulli(1 − rate)      y[i] = x[i] · keep[i] / (1 − rate)
 *   eval      y = x (the input array itself, no copy)
 *   backward  dx[i] = dy[i] · keep[i] / (1 − rate)
 *
 * Scaling the kept units by 1/(1 − rate) in train keeps each unit's expected value, so eval needs
 * no rescaling. One draw of the injected generator per element per train forward (none when
 * rate = 0), so a seed fixes the masks.
 *
 * Sources: Srivastava et al. 2014, https://jmlr.org/papers/v15/srivastava14a.html ;
 * https://keras.io/api/layers/regularization_layers/dropout/
 */
import { tsBackend, type Backend } from '../backend.ts';
import type { Layer, Mode, Random } from '../types.ts';
import { checkInteger, checkNumber } from '../validate.ts';

export interface Dropout extends Layer {
  readonly kind: 'Dropout';
  /** Probability of dropping a unit; validated setter, [0, 1); applies from the next train forward. */
  rate: number;
}

/** What backward needs from the last train forward: the mask (N, H), 0 for dropped units and 1/(1 − rate) for kept ones. */
interface DropoutCache {
  length: number;
}

export interface DropoutOptions {
  random: Random;
  /** Where the mask and the activations live; default the ts backend. The mask is drawn in TypeScript from `random` on both. */
  backend?: Backend;
}

export function dropout(rate: number, options: DropoutOptions): Dropout {
  let p = checkRate(rate);
  if (typeof options?.random !== 'function') {
    throw new TypeError(`dropout: options.random must be a function returning numbers in [0, 1), received ${typeof options?.random}`);
  }
  const random = options.random;
  const be = options.backend ?? tsBackend;
  let cache: DropoutCache | null = null;
  const mask = be.f32(0); // (N, H)
  const y = be.f32(0); // (N, H)
  const dx = be.f32(0); // (N, H)
  const xIn = be.f32(0); // staging for inputs from outside the backend's memory
  const dyIn = be.f32(0);

  return {
    kind: 'Dropout',
    get rate() {
      return p;
    },
    set rate(value: number) {
      p = checkRate(value);
    },
    forward(x: Float32Array, n: number, mode: Mode): Float32Array {
      checkInteger('dropout.forward', 'n', n, 1);
      if (x.length % n !== 0) {
        throw new RangeError(`dropout.forward: x.length must be a multiple of n = ${n}, received ${x.length}`);
      }
      if (mode === 'eval') {
        cache = null;
        return x;
      }
      if (mode !== 'train') throw new RangeError(`dropout.forward: mode must be 'train' or 'eval', received ${String(mode)}`);
      const length = x.length; // read before any resize: a memory growth detaches x
      const xb = be.input(x, xIn);
      mask.resize(length);
      y.resize(length);
      fillMask(mask.view, p, random);
      if (be.kernels) be.kernels.multiply(xb.ptr, mask.ptr, y.ptr, length);
      else multiply(xb.view, mask.view, y.view);
      cache = { length };
      return y.view;
    },
    backward(dout: Float32Array): Float32Array {
      if (!cache) throw new Error('dropout.backward: call forward(x, n, "train") first');
      const { length } = cache;
      if (dout.length !== length) {
        throw new RangeError(`dropout.backward: dout must hold ${length} values like the last output, received ${dout.length}`);
      }
      const dy = be.input(dout, dyIn);
      dx.resize(length);
      if (be.kernels) be.kernels.multiply(dy.ptr, mask.ptr, dx.ptr, length);
      else multiply(dy.view, mask.view, dx.view);
      return dx.view;
    },
    params: () => [],
  };
}

function checkRate(rate: unknown): number {
  return checkNumber('dropout', 'rate', rate, 0, 1, { maxOpen: true });
}

/** Keep with probability 1 − rate (random() ≥ rate), scaled by 1/(1 − rate). */
function fillMask(mask: Float32Array, rate: number, random: Random): void {
  if (rate === 0) {
    mask.fill(1);
    return;
  }
  const scale = 1 / (1 - rate);
  for (let i = 0; i < mask.length; i++) mask[i] = random() >= rate ? scale : 0;
}

/** out = a · b element-wise: y = x·mask forward, dx = dy·mask backward. */
export function multiply(a: Float32Array, b: Float32Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] * b[i];
}
