/**
 * What one run costs the worker, estimated from its config before it starts, and the limits the
 * worker holds runs to. The config parser allows up to 16 × 4,096 units at batch 4,096 (the CLI
 * may train anything the engine can); in a page that is ~255 M parameters, ~2.8 GB and minutes
 * per step, during which the worker cannot answer Stop. The worker therefore refuses, before
 * allocating anything, a run that
 *
 * - holds more than `maxRunBytes` (parameters with their gradient and two Adam moments, the
 *   activations of one training batch and one evaluation batch, the shuffle order), or
 * - needs more than `maxStepMacs` multiply-adds per training step. One step is the longest
 *   stretch in which the worker cannot read a message; measured on this 2-core machine the engine
 *   takes 0.3–2 ns per multiply-add (the first layer skips MNIST's blank pixels), so a step at the
 *   limit takes 0.1–0.6 s and Stop is answered within a second. Evaluation runs in slices of at
 *   most `evaluationRows` rows, fewer for wide models (`evaluationSliceRows`), for the same reason.
 *
 * A ConvNet is counted from its plan (model/plan.ts `countSpec`): a step is 3 × batch × the
 * forward multiply-adds (the forward, dW and dx each cost about one forward), and a layer holds
 * about three values per output value (its output, its input gradient and a cache: the padded
 * input, x̂, the pooling winners); evaluation slices of a ConvNet are also kept within
 * `maxEvaluationBytes`. The small ConvNet (8 and 16 channels, 3×3 valid) at batch 32 is 18 M
 * multiply-adds a step and about 73 MB (330 rows per evaluation slice); at batch 256, 148 M and
 * 138 MB. Refused: 5×5 'same' convolutions with 32 and 64 channels at batch 64 (2.1 G
 * multiply-adds a step).
 *
 * What a course needs fits with room: the classic model (784 → 128 → 10, batch 32) is estimated
 * at 9 MB and 10 M multiply-adds a step; 4 × 128 with BN at batch 256 at 116 M; 2 × 512 at batch
 * 64 at 128 M; the widgets' largest batch (256) with 128 units at 78 M. Refused: 1 × 1,024 at
 * batch 256 (624 M, 0.45 s a step here) and the 16 × 4,096 model at batch 4,096 (~13 GB).
 *
 * The worker also holds at most `maxRuns` runs at once; ended runs beyond `keepEndedRuns` are
 * forgotten oldest first (a page keeps what it shows in its own run records).
 */
import { countSpec } from '../model/plan.ts';
import type { TrainConfig } from '../train/config.ts';
import { modelSpec } from '../train/session.ts';

export const maxRunBytes = 256e6;
export const maxStepMacs = 300e6;
export const maxRuns = 12;
export const keepEndedRuns = 4;
export const evaluationRows = 1000;

export interface RunCost {
  /** Trainable and BN parameters. */
  params: number;
  /** Multiply-adds of one example's forward pass (an MLP: its Dense weights, one multiply-add each). */
  weights: number;
  /** Bytes the run holds while training. */
  bytes: number;
  /** Multiply-adds per training step (forward + both backward products). */
  stepMacs: number;
  /** Values one evaluation row keeps in the layers' buffers (ConvNets; absent for an MLP, whose rows are small). */
  evaluationValuesPerRow?: number;
}

/** What the evaluation slices of a ConvNet may hold in activations: their rows are small images, hundreds of values each. */
export const maxEvaluationBytes = 64e6;

export function estimateRunCost(config: TrainConfig, features: number, classes: number, trainCount: number): RunCost {
  if (config.model === 'cnn') return convNetCost(config, features, classes, trainCount);
  const widths = [features, ...config.hidden, classes];
  let weights = 0;
  let params = 0;
  for (let i = 1; i < widths.length; i++) {
    weights += widths[i - 1] * widths[i];
    params += widths[i - 1] * widths[i] + widths[i];
  }
  const hiddenUnits = config.hidden.reduce((a, u) => a + u, 0);
  if (config.norm === 'batch') params += 4 * hiddenUnits;
  // value, gradient, two optimizer moments and a diagnostics snapshot: 5 float32 per parameter.
  const paramBytes = params * 5 * 4;
  // Per row and unit a layer keeps its output and input gradient; BN, the activation and dropout
  // add about four more buffers: ~6 float32 per unit and row, for a training and an evaluation batch.
  const rowsHeld = Math.min(config.batchSize, trainCount) + evaluationRows;
  const activationBytes = rowsHeld * (hiddenUnits + classes) * 6 * 4 + rowsHeld * features * 4;
  const orderBytes = trainCount * 4;
  return { params, weights, bytes: paramBytes + activationBytes + orderBytes, stepMacs: 3 * config.batchSize * weights };
}

function convNetCost(config: TrainConfig, features: number, classes: number, trainCount: number): RunCost {
  const { params, forwardMacs, activationsPerExample } = countSpec(modelSpec(config, features, classes));
  // Training keeps ~3 values per output value; evaluation (no gradients) ~2: the output and a cache.
  const trainBytes = Math.min(config.batchSize, trainCount) * (activationsPerExample * 3 + features) * 4;
  const evaluationValuesPerRow = activationsPerExample * 2 + features;
  const cost = { params, weights: forwardMacs, stepMacs: 3 * config.batchSize * forwardMacs, evaluationValuesPerRow };
  const evaluationBytes = evaluationSliceRows(cost) * evaluationValuesPerRow * 4;
  return { ...cost, bytes: params * 5 * 4 + trainBytes + evaluationBytes + trainCount * 4 };
}

/**
 * Rows per evaluation slice: `evaluationRows`, or fewer so that a slice's forward pass costs at
 * most half of `maxStepMacs` and a ConvNet's slice holds at most `maxEvaluationBytes` of activations.
 */
export function evaluationSliceRows(cost: Pick<RunCost, 'weights' | 'evaluationValuesPerRow'>): number {
  const byMemory = cost.evaluationValuesPerRow ? Math.floor(maxEvaluationBytes / 4 / cost.evaluationValuesPerRow) : evaluationRows;
  return Math.max(1, Math.min(evaluationRows, byMemory, Math.floor(maxStepMacs / 2 / cost.weights)));
}

/** Why the worker will not start this run, or null when it fits. */
export function checkRunCost(cost: RunCost): string | null {
  const mb = (bytes: number) => `${Math.round(bytes / 1e6).toLocaleString('en-US')} MB`;
  if (cost.bytes > maxRunBytes) {
    return `this model needs about ${mb(cost.bytes)} (${cost.params.toLocaleString('en-US')} parameters), more than the ${mb(maxRunBytes)} a run may use in the page; use fewer or narrower layers or a smaller batch (the CLI, npm run train, has no such limit)`;
  }
  if (cost.stepMacs > maxStepMacs) {
    return `one training step of this model needs about ${(cost.stepMacs / 1e6).toFixed(0)} M multiply-adds, more than the ${maxStepMacs / 1e6} M that keep the page answering within a second; use fewer or narrower layers or a smaller batch (the CLI, npm run train, has no such limit)`;
  }
  return null;
}
