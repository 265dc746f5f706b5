/** The one run the feature-maps widget trains: the default ConvNet with BN on a few images, its model kept for the `feature-maps` probe. */
import type { ExperimentPlan } from '@experiments/plan';

/** Test images the widget asks for: the batch whose statistics the page computes. */
export const batchImages = 16;

export const featureMapsPlan: ExperimentPlan = {
  widget: 'feature-maps',
  base: { model: 'cnn', norm: 'batch', epochs: 1, trainLimit: 2000 },
  arms: [{ id: 'batch', label: 'ConvNet with BN', config: {} }],
  axis: null,
  seeds: [1],
  record: { models: true },
  chart: 'curves',
};

export const planSettings =
  'The ConvNet Conv 3×3 × 8 → BN → ReLU → max-pool → Conv 3×3 × 16 → BN → ReLU → max-pool → Dense 10, Adam at learning rate 0.001, batch 32, 1 epoch on the first 2,000 training images, seed 1.';
