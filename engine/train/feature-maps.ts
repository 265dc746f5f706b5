/**
 * One conv block's feature maps on a few test images, for the page to normalize itself: the conv
 * output before its normalization (N, R, S, F channels-last, computed in eval mode, so BN's
 * running statistics are untouched) and everything the block's norm layer holds — γ, β, ε, and
 * for BN the running mean and variance. The page then shows what spatial BN does to a batch
 * (statistics per channel over N·R·S values) against the per-position alternative (per (r, s, c)
 * over N values). The conv output is the norm's input when the norm sits before the activation
 * (the engine's default, Ioffe & Szegedy 2015 §3.2).
 */
import type { Dataset } from '../data/mnist.ts';
import { fillBatch } from '../data/mnist.ts';
import type { Mlp } from '../model/mlp.ts';
import { array, instance, literal, nullable, number, object, oneOf, type Infer } from '../schema.ts';

const float32 = instance<Float32Array>(Float32Array);

/** Test images per request: enough for a batch's statistics, small enough to draw. */
export const maxFeatureMapImages = 32;

export const FeatureMapNorm = object({
  kind: oneOf(['none', 'batch', 'group', 'layer']),
  /** Groups of channels sharing statistics (layer: 1); null for 'none' and 'batch'. */
  groups: nullable(number({ integer: true, min: 1 })),
  gamma: nullable(float32), // (F) null for 'none'
  beta: nullable(float32), // (F)
  runningMean: nullable(float32), // (F) 'batch' only
  runningVariance: nullable(float32), // (F) 'batch' only
  epsilon: nullable(number({ min: 0 })),
});
export type FeatureMapNorm = Infer<typeof FeatureMapNorm>;

export const FeatureMaps = object({
  kind: literal('feature-maps'),
  /** Conv block index (0 = the first Conv2D). */
  layer: number({ integer: true, min: 0 }),
  batch: number({ integer: true, min: 1 }),
  height: number({ integer: true, min: 1 }),
  width: number({ integer: true, min: 1 }),
  channels: number({ integer: true, min: 1 }),
  labels: array(number({ integer: true, min: 0 })),
  images: float32, // (N, features) the input pixels in [0, 1]; MNIST: 28 × 28
  preNorm: float32, // (N, R, S, F) the conv output before its normalization
  norm: FeatureMapNorm,
});
export type FeatureMaps = Infer<typeof FeatureMaps>;

const normKinds = { BatchNormalization: 'batch', GroupNormalization: 'group', LayerNormalization: 'layer' } as const;

/**
 * Conv block `layer`'s output on test images start … start + count − 1. Throws, naming what it
 * received, for a model without conv blocks, a block it does not have or images the set lacks.
 */
export function featureMaps(model: Mlp, test: Dataset, args: { layer: number; count: number; start: number }): FeatureMaps {
  const { layer, count, start } = args;
  const convs = model.layers.flatMap((l, i) => (l.layer.kind === 'Conv2D' ? [i] : []));
  if (convs.length === 0) throw new RangeError('featureMaps: the model has no conv blocks (an MLP); train a ConvNet (model cnn)');
  if (layer >= convs.length) throw new RangeError(`featureMaps: layer must be a conv block index 0–${convs.length - 1}, received ${layer}`);
  if (count < 1 || count > maxFeatureMapImages)
    throw new RangeError(`featureMaps: count must be 1–${maxFeatureMapImages} test images, received ${count}`);
  if (start + count > test.count)
    throw new RangeError(`featureMaps: images ${start}–${start + count - 1} asked, but the test set has ${test.count}`);
  const images = new Float32Array(count * test.features);
  const labels = new Uint8Array(count);
  fillBatch(test, null, start, count, images, labels);
  model.forward(images, count, 'eval');
  const at = convs[layer];
  const conv = model.layers[at];
  const preNorm = conv.lastOutput()!.slice();
  const { rows, cols, channels } = conv.output!;
  const next = convs[layer + 1] ?? model.layers.length;
  const normLayer = model.layers.slice(at + 1, next).find((l) => l.layer.kind in normKinds)?.layer;
  let norm: FeatureMapNorm = {
    kind: 'none',
    groups: null,
    gamma: null,
    beta: null,
    runningMean: null,
    runningVariance: null,
    epsilon: null,
  };
  if (normLayer?.kind === 'BatchNormalization') {
    norm = {
      kind: 'batch',
      groups: null,
      gamma: normLayer.gamma.value.slice(),
      beta: normLayer.beta.value.slice(),
      runningMean: normLayer.movingMean.slice(),
      runningVariance: normLayer.movingVariance.slice(),
      epsilon: normLayer.epsilon,
    };
  } else if (normLayer?.kind === 'GroupNormalization' || normLayer?.kind === 'LayerNormalization') {
    norm = {
      // GroupNorm with one group is LayerNorm over C × R × S (the engine builds a conv block's 'layer' norm that way).
      kind: normLayer.groups === 1 ? 'layer' : 'group',
      groups: normLayer.groups,
      gamma: normLayer.gamma.value.slice(),
      beta: normLayer.beta.value.slice(),
      runningMean: null,
      runningVariance: null,
      epsilon: normLayer.epsilon,
    };
  }
  return {
    kind: 'feature-maps',
    layer,
    batch: count,
    height: rows,
    width: cols,
    channels,
    labels: [...labels],
    images,
    preNorm,
    norm,
  };
}
