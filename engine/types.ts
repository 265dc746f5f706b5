import type { Backend } from './backend.ts';

/**
 * The shapes every part of the engine shares.
 *
 * Dimension letters used throughout: N batch rows, D inputs, H units, K classes; for images
 * (convolutions) R rows, S columns, C channels in, F channels out (filters), P = R·S positions.
 * Every tensor is a row-major Float32Array; its shape lives in a comment beside it. Images are
 * channels-last, (N, R, S, C) like Keras: engine/README.md says why and how to convert PyTorch's
 * (N, C, R, S).
 */

/** Train mode uses batch statistics and drops units; eval mode uses moving statistics. */
export type Mode = 'train' | 'eval';

/** A trainable tensor with its gradient and its weight-decay policy. */
export interface Param {
  name: string;
  value: Float32Array;
  /** Same length as `value`. Accumulated by `backward` (`+=`); reset only by `zeroGrad`. */
  grad: Float32Array;
  /** Dense weights decay; biases and BN γ/β do not. */
  decay: boolean;
}

/** A Param whose value and grad live in a backend; the views stay live across memory growth. */
export interface BackendParam extends Param {
  /** Byte addresses of value and grad in the backend's memory (−1 on the ts backend). */
  readonly ptr: number;
  readonly gradPtr: number;
}

/** A parameter of `length` values (all `initial`) and its zero gradient, allocated in `backend`. */
export function backendParam(backend: Backend, name: string, length: number, decay: boolean, initial = 0): BackendParam {
  const value = backend.f32(length);
  const grad = backend.f32(length);
  if (initial !== 0) value.view.fill(initial);
  return {
    name,
    decay,
    get value() {
      return value.view;
    },
    get grad() {
      return grad.view;
    },
    get ptr() {
      return value.ptr;
    },
    get gradPtr() {
      return grad.ptr;
    },
  };
}

export interface Layer {
  /** `x` is (n, inputs) row-major; returns (n, outputs). */
  forward(x: Float32Array, n: number, mode: Mode): Float32Array;
  /** Uses what the last `'train'` forward cached; accumulates into each `Param.grad`; returns dx. */
  backward(dout: Float32Array): Float32Array;
  params(): Param[];
}

/** The shape of one image or feature map, channels-last: (R, S, C). */
export interface SpatialShape {
  rows: number;
  cols: number;
  channels: number;
}

/** A source of uniform numbers in [0, 1). */
export type Random = () => number;

export function zeroGrad(params: Param[]): void {
  for (const p of params) p.grad.fill(0);
}
