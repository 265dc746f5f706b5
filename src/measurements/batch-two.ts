/**
 * BN at batch 2, its two causes measured apart (issue 20): our engine on WebAssembly, seed 1,
 * 1 epoch on the first 6,000 training images, then `--inference-stats` — the test accuracy with the
 * running statistics BN kept, and with statistics recalibrated on the training images (population
 * mean and variance: no bias, no averaging noise). `movingOverPopulationVariance` is the first BN
 * layer's moving variance over its input's variance with dropout off, mean over its 128 units
 * (Keras's convention feeds the biased batch variance: at m = 2 its average is half).
 *   classic: `npx tsx engine/cli/train.ts --norm batch --batch-size 2 --train-limit 6000 --epochs 1 --inference-stats`
 *   deep:    the same with `--hidden 128,128,128,128 --dropout 0`
 */
import { measured } from './measured';

export const batchTwo = {
  classic: { running: measured(0.8269, 'engine-wasm'), recalibrated: measured(0.8277, 'engine-wasm'), movingOverPopulationVariance: 0.496 },
  deep: { running: measured(0.5628, 'engine-wasm'), recalibrated: measured(0.5546, 'engine-wasm'), movingOverPopulationVariance: 0.491 },
};
