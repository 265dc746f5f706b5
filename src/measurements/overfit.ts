/**
 * The run that overfits, as lessons 6 and 7 measured it: the assignment's MLP without dropout (Flatten →
 * Dense 128 → ReLU → Dense 10), Adam at learning rate 0.001, batch 32, on the first 2,000 training images
 * for 40 epochs (63 steps an epoch, 2,520 in all); validation on the last 6,000 images of the training
 * file, test on the 10,000 test images. The same run with L2 0.001 in the loss (Keras' `l2`, penalty
 * l2·Σw², under Adam), with AdamW at decoupled decay 0.002, 0.5 and 1, and with dropout 0.5 after the
 * hidden layer. One source for lesson 6's table and lesson 7's (checked by overfit.test.ts).
 *
 * engine-wasm: `scripts/overfit-numbers.sh OUT_DIR` (the CLI, `npx tsx engine/cli/train.ts --train-limit
 * 2000 --epochs 40 --backend wasm --json --dropout 0|0.5 --seed N [--l2 0.001 | --optimizer adamw
 * --weight-decay D]`, nice -n 10; measured 2026-12-07; the engine is deterministic, so the numbers are
 * the engine's to the last digit, and the page's own run of seed 1 shows the same). From the CLI's JSON:
 * training accuracy = `epochs[39].accuracy` (the running mean over the last epoch in train mode, dropout
 * on), `epochs[39].val_accuracy`, `epochs[39].val_loss`, `test.accuracy`.
 * The CLI does not report the weight norm ‖W‖ (every Dense kernel taken together, biases not counted).
 * The lessons' ‖W‖ came with lesson 6 (commit 15970ad); how they were measured is not recorded (its
 * message does not say). Lesson 6's experiment draws the same quantity on the page (`kernelNorm` of the
 * trained model's diagnostics); scripts/weight-norm.ts trains the same runs with the CLI's flags, reads
 * ‖W‖ that way, and reproduced every ‖W‖ the lessons print.
 * reference: the independent PyTorch implementation with Keras-equivalent settings, one run each, as
 * lessons 6 and 7 have reported it since they were written; its outputs are not in this repository.
 */
import { difference, mean, measured, spread, type Measured } from './measured';

/** The last epoch of one run. */
export interface Run {
  /** Running mean over the last epoch's batches, in train mode (dropout on). */
  trainAccuracy: Measured;
  valAccuracy: Measured;
  valLoss: Measured;
  test: Measured;
}

/** Accuracies are counts over 2,000 training, 6,000 validation and 10,000 test images. */
const run = (trainOf2000: number, valOf6000: number, valLoss: number, testOf10000: number): Run => ({
  trainAccuracy: measured(trainOf2000 / 2000, 'engine-wasm'),
  valAccuracy: measured(valOf6000 / 6000, 'engine-wasm'),
  valLoss: measured(valLoss, 'engine-wasm'),
  test: measured(testOf10000 / 10000, 'engine-wasm'),
});
const norm = (value: number): Measured => measured(value, 'engine-wasm');

export type Arm = 'adam' | 'l2' | 'dropout';

/** Seeds 1, 2, 3: Adam alone (no dropout), Adam + L2 0.001, and dropout 0.5. */
export const seeds: Record<Arm, Run[]> = {
  adam: [run(2000, 5560, 0.3143696, 9109), run(2000, 5560, 0.3150788, 9100), run(2000, 5533, 0.3298927, 9094)],
  l2: [run(1996, 5538, 0.2633485, 9095), run(1997, 5520, 0.266511, 9035), run(1999, 5515, 0.266422, 9068)],
  dropout: [run(1977, 5582, 0.261447, 9194), run(1984, 5583, 0.270288, 9165), run(1987, 5572, 0.2736958, 9164)],
};

/** Seed 1 of every arm (lesson 6's table, lesson 7's first rows); the decay arms with ‖W‖ after 40 epochs. */
export const seed1 = {
  adam: { ...seeds.adam[0], weightNorm: norm(24.553027) },
  l2: { ...seeds.l2[0], weightNorm: norm(10.937186) },
  /** AdamW, decoupled decay 0.002 (the value that under SGD equals Keras' l2 0.001). */
  adamwSmall: { ...run(2000, 5562, 0.3136406, 9102), weightNorm: norm(24.494672) },
  /** AdamW, decoupled decay 0.5. */
  adamw: { ...run(2000, 5561, 0.2537248, 9125), weightNorm: norm(17.448596) },
  dropout: seeds.dropout[0],
};

/** ‖W‖ of the initial weights (one seed, so the same in every arm), and after AdamW with decay 1 (seed 1). */
export const weightNorm = { start: norm(15.436619), adamwDecay1: norm(15.283717) };

/**
 * The first layer's weights from the pixels that are 0 in all 2,000 training images (they get no data
 * gradient): how many pixels, and the norm of their weights at the start and after 40 epochs (seed 1).
 */
export const neverOn = {
  pixels: 145,
  start: norm(6.37833),
  adam: norm(6.37833),
  l2: norm(4.46e-25),
  adamw: norm(1.808562),
};

/** The first epoch after which Adam alone (seed 1) has 100 % training accuracy; it stays there to epoch 40. */
export const firstPerfectEpoch = 19;

const across = (arm: Arm, read: (r: Run) => Measured) => seeds[arm].map(read);
const means = (read: (r: Run) => Measured) => ({ adam: mean(across('adam', read)), dropout: mean(across('dropout', read)) });

/** Means over seeds 1–3 without and with dropout (lesson 7's last two rows). */
export const threeSeeds = {
  trainAccuracy: means((r) => r.trainAccuracy),
  valAccuracy: means((r) => r.valAccuracy),
  valLoss: means((r) => r.valLoss),
  test: means((r) => r.test),
  /** Largest minus smallest test accuracy over the seeds. */
  testSpread: { adam: spread(across('adam', (r) => r.test)), l2: spread(across('l2', (r) => r.test)) },
};

/** Dropout 0.5 minus no dropout: validation accuracy on seed 1, and the means over three seeds. */
export const dropoutGain = {
  seed1Val: difference(seeds.dropout[0].valAccuracy, seeds.adam[0].valAccuracy),
  valAccuracy: difference(threeSeeds.valAccuracy.dropout, threeSeeds.valAccuracy.adam),
  test: difference(threeSeeds.test.dropout, threeSeeds.test.adam),
};

/** Adam + L2 0.001 minus Adam alone, test accuracy of seed 1. */
export const l2TestChange = difference(seed1.l2.test, seed1.adam.test);

const referenceTest = { adam: measured(0.907, 'reference'), l2: measured(0.911, 'reference'), dropout: measured(0.915, 'reference') };

/** The independent implementation at the same setting (Adam, 2,000 images, 40 epochs): test accuracy, ‖W‖, and its changes. */
export const reference = {
  test: referenceTest,
  weightNorm: { adam: measured(24.6, 'reference'), l2: measured(10.9, 'reference') },
  /** L2 0.001 minus Adam alone, test accuracy. */
  l2TestChange: difference(referenceTest.l2, referenceTest.adam),
  /** Dropout 0.5 minus no dropout, test accuracy. */
  dropoutGain: difference(referenceTest.dropout, referenceTest.adam),
};
