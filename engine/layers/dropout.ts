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
import type { Layer, Mode, Random } from '../types.ts';
import { checkInteger, checkNumber } from '../validate.ts';

export interface Dropout extends Layer {
  readonly kind: 'Dropout';
  /** Probability of dropping a unit; validated setter, [0, 1); applies from the next train forward. */
  rate: number;
}

/** What backward needs from the last train forward. */
interface DropoutCache {
  mask: Float32Array; // (N, H) 0 for dropped units, 1/(1 − rate) for kept ones
}

export function dropout(rate: number, options: { random: Random }): Dropout {
  let p = checkRate(rate);
  if (typeof options?.random !== 'function') {
    throw new TypeError(`dropout: options.random must be a function returning numbers in [0, 1), received ${typeof options?.random}`);
  }
  const random = options.random;
  let cache: DropoutCache | null = null;
  let mask = new Float32Array(0); // (N, H)
  let y = new Float32Array(0); // (N, H)
  let dx = new Float32Array(0); // (N, H)

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
      if (mask.length !== x.length) {
        mask = new Float32Array(x.length);
        y = new Float32Array(x.length);
      }
      fillMask(mask, p, random);
      for (let i = 0; i < x.length; i++) y[i] = x[i] * mask[i];
      cache = { mask };
      return y;
    },
    backward(dout: Float32Array): Float32Array {
      if (!cache) throw new Error('dropout.backward: call forward(x, n, "train") first');
      const m = cache.mask;
      if (dout.length !== m.length) {
        throw new RangeError(`dropout.backward: dout must hold ${m.length} values like the last output, received ${dout.length}`);
      }
      if (dx.length !== m.length) dx = new Float32Array(m.length);
      for (let i = 0; i < m.length; i++) dx[i] = dout[i] * m[i];
      return dx;
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
