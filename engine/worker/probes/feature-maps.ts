/** One conv block's feature maps before its norm, with the norm's parameters, on a few test images (engine/train/feature-maps.ts). */
import { literal, number, object } from '../../schema.ts';
import { featureMaps, maxFeatureMapImages } from '../../train/feature-maps.ts';
import { forwardMacs } from '../../train/slices.ts';
import type { Probe } from './probe.ts';

export const featureMapsArgs = object({
  kind: literal('feature-maps'),
  /** Conv block index: 0 is the first Conv2D. */
  layer: number({ integer: true, min: 0, max: 2 }),
  /** Test images in the batch, 1–32. */
  count: number({ integer: true, min: 1, max: maxFeatureMapImages }),
  /** Index of the first test image. */
  start: number({ integer: true, min: 0 }),
});

export const featureMapsProbe: Probe<'feature-maps'> = {
  kind: 'feature-maps',
  title: 'showing feature maps',
  needs: { conv: true },
  cost: ({ model }, { count }) => forwardMacs(model) * count,
  // Done when the request arrives, so a block or image range the model lacks is refused at once: one eval pass over ≤ 32 images is shorter than a slice.
  run({ model, test }, args) {
    const result = featureMaps(model, test, args);
    const macs = forwardMacs(model) * args.count;
    return (function* () {
      yield macs;
      return result;
    })();
  },
};
