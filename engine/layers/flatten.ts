/**
 * Flatten, as Keras `Flatten`: (N, R, S, C) → (N, R·S·C). Tensors are already flat row-major
 * arrays, so forward and backward return their argument itself; the layer exists so the model
 * and its summary say where images become feature vectors.
 *
 * Channels-last order matters when weights move between frameworks: Dense weights after this
 * layer read features in (r, s, c) order, where PyTorch's `nn.Flatten` on (N, C, R, S) reads
 * (c, r, s). Source: https://keras.io/api/layers/reshaping_layers/flatten/
 */
import type { Layer, SpatialShape } from '../types.ts';
import { checkInteger } from '../validate.ts';

export interface Flatten extends Layer {
  readonly kind: 'Flatten';
  readonly input: SpatialShape;
  readonly units: number;
}

export function flatten(input: SpatialShape): Flatten {
  const R = checkInteger('flatten', 'input.rows', input?.rows, 1);
  const S = checkInteger('flatten', 'input.cols', input?.cols, 1);
  const C = checkInteger('flatten', 'input.channels', input?.channels, 1);
  const units = R * S * C;
  return {
    kind: 'Flatten',
    input: { rows: R, cols: S, channels: C },
    units,
    forward(x: Float32Array, n: number): Float32Array {
      if (x.length !== n * units)
        throw new RangeError(`flatten.forward: x must hold n·${units} = ${n * units} values, received ${x.length}`);
      return x;
    },
    backward: (dout: Float32Array) => dout,
    params: () => [],
  };
}
