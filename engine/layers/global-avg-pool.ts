/**
 * Global average pooling, as Keras `GlobalAveragePooling2D` (channels-last): one mean per image
 * and channel over all P = R·S positions.
 *
 *   forward   y[n,c] = (1/P) Σ_p x[n,p,c]
 *   backward  dx[n,p,c] = dy[n,c] / P
 *
 * It costs N·P·C additions, nothing beside the convolutions, so both backends run this
 * TypeScript on their buffers' views (the wasm backend's output still lives in its memory, where
 * the next layer reads it without a copy).
 *
 * PyTorch: `torch.nn.AdaptiveAvgPool2d(1)` then flatten. Source:
 * https://keras.io/api/layers/pooling_layers/global_average_pooling2d/ ; Lin et al. 2013,
 * "Network in network", https://arxiv.org/abs/1312.4400
 */
import { tsBackend, type Backend } from '../backend.ts';
import type { Layer, Mode, SpatialShape } from '../types.ts';
import { checkInteger } from '../validate.ts';

export interface GlobalAvgPool extends Layer {
  readonly kind: 'GlobalAveragePooling2D';
  readonly input: SpatialShape;
}

export function globalAvgPool(input: SpatialShape, options: { backend?: Backend } = {}): GlobalAvgPool {
  const R = checkInteger('globalAvgPool', 'input.rows', input?.rows, 1);
  const S = checkInteger('globalAvgPool', 'input.cols', input?.cols, 1);
  const C = checkInteger('globalAvgPool', 'input.channels', input?.channels, 1);
  const P = R * S;
  const be = options.backend ?? tsBackend;
  let rows: number | null = null; // what backward needs: only the batch size
  const y = be.f32(0); // (N, C)
  const dx = be.f32(0); // (N, R, S, C)

  return {
    kind: 'GlobalAveragePooling2D',
    input: { rows: R, cols: S, channels: C },
    forward(x: Float32Array, n: number, mode: Mode): Float32Array {
      checkInteger('globalAvgPool.forward', 'n', n, 1);
      if (x.length !== n * P * C) {
        throw new RangeError(`globalAvgPool.forward: x must hold n·${R}·${S}·${C} = ${n * P * C} values, received ${x.length}`);
      }
      const xb = be.hold(x);
      y.resize(n * C);
      globalAvgPoolForward(xb.view, n, P, C, y.view);
      rows = mode === 'train' ? n : null;
      return y.view;
    },
    backward(dout: Float32Array): Float32Array {
      if (rows === null) throw new Error('globalAvgPool.backward: call forward(x, n, "train") first');
      if (dout.length !== rows * C) {
        throw new RangeError(`globalAvgPool.backward: dout must hold n·${C} = ${rows * C} values, received ${dout.length}`);
      }
      const dy = be.hold(dout);
      dx.resize(rows * P * C);
      globalAvgPoolBackward(dy.view, rows, P, C, dx.view);
      return dx.view;
    },
    params: () => [],
  };
}

export function globalAvgPoolForward(x: Float32Array, n: number, P: number, C: number, y: Float32Array): void {
  for (let m = 0; m < n; m++) {
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let p = 0; p < P; p++) s += x[(m * P + p) * C + c];
      y[m * C + c] = s / P;
    }
  }
}

export function globalAvgPoolBackward(dy: Float32Array, n: number, P: number, C: number, dx: Float32Array): void {
  for (let m = 0; m < n; m++) {
    for (let p = 0; p < P; p++) for (let c = 0; c < C; c++) dx[(m * P + p) * C + c] = dy[m * C + c] / P;
  }
}
