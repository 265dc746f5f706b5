/**
 * Lesson 14's measured numbers: the small ConvNet (Conv 3×3 × 8 → [BN] → ReLU → max-pool → Conv
 * 3×3 × 16 → [BN] → ReLU → max-pool → Dense 10), all 54,000 training images, 1 epoch, batch 32,
 * validation on the last 6,000 images of the training file, test on the 10,000 test images.
 *
 * engine-wasm: `scripts/convnet-numbers.sh OUT_DIR` (the CLI, `npx tsx engine/cli/train.ts --model cnn
 * --epochs 1 --backend wasm --json --norm none|batch --seed N [--optimizer sgd --lr R]`, nice -n 5;
 * measured 2026-12-07; the engine is deterministic, so the numbers are the engine's to the last
 * digit), plus the pilot runs named below with the same command. The test accuracies at the
 * defaults are the README's "ConvNet accuracy after 1 epoch" table.
 * reference: the independent implementation's test accuracies (1 epoch, all 54,000 images, seeds 1 and 2).
 * The model summaries are computed by the engine (`summarizeSpec`), not measured.
 */
import { modelSpec, parseTrainConfig, summarizeSpec, type ModelSummary } from '@engine';
import { measured, type Measured } from './measured';

export type Model = 'none' | 'batch';

/** The independent reference's test accuracy after 1 epoch, seeds 1 and 2. */
export const reference: Record<Model, Measured[]> = {
  none: [0.9646, 0.9724].map((v) => measured(v, 'reference')),
  batch: [0.9757, 0.9778].map((v) => measured(v, 'reference')),
};

interface Run {
  validation: Measured;
  test: Measured;
}
const run = (validationOf6000: number, testOf10000: number): Run => ({
  validation: measured(validationOf6000 / 6000, 'engine-wasm'),
  test: measured(testOf10000 / 10000, 'engine-wasm'),
});

/** The defaults (Adam 1e-3, batch 32, 1 epoch), seeds 1, 2, 3. */
export const defaults: Record<Model, Run[]> = {
  none: [run(5843, 9701), run(5824, 9703), run(5812, 9673)],
  batch: [run(5856, 9743), run(5872, 9743), run(5866, 9732)],
};

/**
 * The defaults again with PyTorch's conventions instead of Keras': kernels from U(±1/√fan_in) (PyTorch's
 * default for Conv2d and Linear: `--init he-uniform --init-scale 0.408248`, since √(6/fan_in) · 1/√6 =
 * 1/√fan_in), BN momentum 0.1 (`--bn-momentum 0.9` in Keras' direction) and ε 1e-5; biases still start at 0.
 * Test accuracy, seeds 1, 2, 3 (scripts/convnet-numbers.sh, measured 2026-12-07).
 */
export const pytorchConventions: Record<Model, Measured[]> = {
  none: [9714, 9696, 9675].map((v) => measured(v / 10000, 'engine-wasm')),
  batch: [9776, 9785, 9762].map((v) => measured(v / 10000, 'engine-wasm')),
};

/** One point of a learning-rate sweep: final validation accuracy, or null when the run diverged. */
export interface SweepPoint {
  lr: number;
  none: Measured | null;
  batch: Measured | null;
}
const point = (lr: number, none: number | null, batch: number | null): SweepPoint => ({
  lr,
  none: none === null ? null : measured(none / 6000, 'engine-wasm'),
  batch: batch === null ? null : measured(batch / 6000, 'engine-wasm'),
});

/** Plain SGD (no momentum), seed 1: the plan's rates 0.01, 0.1, 1, 3, and 0.3 (a pilot run beside them). BN diverged at 3 (step 5). */
export const sgdSweep: SweepPoint[] = [
  point(0.01, 5701, 5803),
  point(0.1, 5809, 5885),
  point(0.3, 5880, 5806),
  point(1, 549, 549),
  point(3, 549, null),
];

/** Adam, seed 1 (pilot runs beside the plan, to see whether Adam's step sizes change the answer). */
export const adamSweep: SweepPoint[] = [point(0.01, 5881, 5894), point(0.03, 5838, 5816), point(0.1, 630, 630)];

/** Keras-style summaries of the two ConvNets, from the engine's one model spec. */
export const summaries: Record<Model, ModelSummary> = {
  none: summarizeSpec(modelSpec(parseTrainConfig({ model: 'cnn', norm: 'none' }), 784, 10)),
  batch: summarizeSpec(modelSpec(parseTrainConfig({ model: 'cnn', norm: 'batch' }), 784, 10)),
};
