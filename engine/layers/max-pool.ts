/**
 * Max pooling over 2 × 2 windows with stride 2, as Keras `MaxPooling2D()` (channels-last, 'valid':
 * an odd last row or column is dropped, so R' = ⌊R/2⌋).
 *
 *   forward   y[n,i,j,c] = max_{u,v ∈ {0,1}} x[n, 2i+u, 2j+v, c]
 *   backward  dx[n,a,b,c] = dy[n,i,j,c] where (a, b) is the position that won in window (i, j), else 0
 *
 * Ties go to the first position in reading order (u, then v), as in PyTorch's CPU kernel; a NaN
 * wins its window so a diverging run shows in the loss. The forward records the index of each
 * winner in x, all the backward needs.
 *
 * PyTorch: `torch.nn.MaxPool2d(2)` on (N, C, R, S); the same values after permute(0, 2, 3, 1).
 * Sources: https://keras.io/api/layers/pooling_layers/max_pooling2d/ ,
 * https://pytorch.org/docs/stable/generated/torch.nn.MaxPool2d.html
 */
import { tsBackend, type Backend } from '../backend.ts';
import type { Layer, Mode, SpatialShape } from '../types.ts';
import { checkInteger } from '../validate.ts';

export interface MaxPool2d extends Layer {
  readonly kind: 'MaxPooling2D';
  readonly input: SpatialShape;
  readonly output: SpatialShape;
}

/** What backward needs from the last train forward: the winners' indices, in `arg`. */
interface MaxPoolCache {
  n: number;
}

export function maxPoolOutputShape(input: SpatialShape): SpatialShape {
  return { rows: Math.floor(input.rows / 2), cols: Math.floor(input.cols / 2), channels: input.channels };
}

export function maxPool2d(input: SpatialShape, options: { backend?: Backend } = {}): MaxPool2d {
  const R = checkInteger('maxPool2d', 'input.rows', input?.rows, 2);
  const S = checkInteger('maxPool2d', 'input.cols', input?.cols, 2);
  const C = checkInteger('maxPool2d', 'input.channels', input?.channels, 1);
  const output = maxPoolOutputShape({ rows: R, cols: S, channels: C });
  const per = output.rows * output.cols * C; // outputs per image
  const be = options.backend ?? tsBackend;
  let cache: MaxPoolCache | null = null;
  const y = be.f32(0); // (N, R/2, S/2, C)
  const arg = be.i32(0); // (N, R/2, S/2, C) index in x of each winner
  const dx = be.f32(0); // (N, R, S, C)
  const xIn = be.f32(0);
  const dyIn = be.f32(0);

  return {
    kind: 'MaxPooling2D',
    input: { rows: R, cols: S, channels: C },
    output,
    forward(x: Float32Array, n: number, mode: Mode): Float32Array {
      checkInteger('maxPool2d.forward', 'n', n, 1);
      if (x.length !== n * R * S * C) {
        throw new RangeError(`maxPool2d.forward: x must hold n·${R}·${S}·${C} = ${n * R * S * C} values, received ${x.length}`);
      }
      const xb = be.input(x, xIn);
      y.resize(n * per);
      arg.resize(n * per);
      const k = be.kernels;
      if (k) k.maxPoolForward(xb.ptr, n, R, S, C, y.ptr, arg.ptr);
      else maxPoolForward(xb.view, n, R, S, C, y.view, arg.view);
      cache = mode === 'train' ? { n } : null;
      return y.view;
    },
    backward(dout: Float32Array): Float32Array {
      if (!cache) throw new Error('maxPool2d.backward: call forward(x, n, "train") first');
      const { n } = cache;
      if (dout.length !== n * per) {
        throw new RangeError(`maxPool2d.backward: dout must hold n·${per} = ${n * per} values, received ${dout.length}`);
      }
      const dy = be.input(dout, dyIn);
      dx.resize(n * R * S * C);
      const k = be.kernels;
      if (k) k.maxPoolBackward(dy.ptr, arg.ptr, n * per, dx.ptr, n * R * S * C);
      else maxPoolBackward(dy.view, arg.view, n * per, dx.view);
      return dx.view;
    },
    params: () => [],
  };
}

/** y (N, ⌊R/2⌋, ⌊S/2⌋, C) = the max of each 2 × 2 window of x (N, R, S, C); arg = where it was. */
export function maxPoolForward(x: Float32Array, n: number, R: number, S: number, C: number, y: Float32Array, arg: Int32Array): void {
  const [Ro, So] = [Math.floor(R / 2), Math.floor(S / 2)];
  let o = 0;
  for (let m = 0; m < n; m++) {
    for (let i = 0; i < Ro; i++) {
      for (let j = 0; j < So; j++) {
        for (let c = 0; c < C; c++, o++) {
          let best = -Infinity;
          let at = -1;
          for (let u = 0; u < 2; u++) {
            for (let v = 0; v < 2; v++) {
              const idx = ((m * R + 2 * i + u) * S + 2 * j + v) * C + c;
              const xv = x[idx];
              if (at < 0 || xv > best || (xv !== xv && best === best)) {
                best = xv;
                at = idx;
              }
            }
          }
          y[o] = best;
          arg[o] = at;
        }
      }
    }
  }
}

/** dx = 0 except dx[arg[o]] = dy[o] for each of the `count` outputs. */
export function maxPoolBackward(dy: Float32Array, arg: Int32Array, count: number, dx: Float32Array): void {
  dx.fill(0);
  for (let o = 0; o < count; o++) dx[arg[o]] += dy[o];
}
