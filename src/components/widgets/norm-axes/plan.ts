/** The one run the norm-axes widget trains for real activations: the small ConvNet on a few images, its model kept for the `feature-maps` probe. */
import type { ExperimentPlan } from '@experiments/plan';

/** Test images the widget asks the worker for: the largest batch it offers. */
export const probeImages = 8;

export const normAxesPlan: ExperimentPlan = {
  widget: 'norm-axes',
  base: { model: 'cnn', norm: 'batch', epochs: 1, trainLimit: 1000 },
  arms: [{ id: 'batch', label: 'ConvNet', config: {} }],
  axis: null,
  seeds: [1],
  record: { models: true },
  chart: 'curves',
};

export const planSettings =
  'the ConvNet Conv 3×3 × 8 → BN → ReLU → max-pool → Conv 3×3 × 16 → BN → ReLU → max-pool → Dense 10, Adam at 0.001, batch 32, 1 epoch on the first 1,000 training images, seed 1';
