/**
 * One optimisation step: forward in train mode, softmax cross-entropy, backward, optional
 * clipping, optimizer update. No I/O and no timing — the worker and the CLI own their loops.
 *
 * A non-finite loss (or one above `divergeAbove`) stops before the update, so a diverged run
 * reports the step where it broke instead of carrying NaN weights forward.
 */
import { softmaxCrossEntropy } from '../loss/softmax-cross-entropy.ts';
import { clipGradNorm, clipGradValue, gradNorm } from '../optim/clip.ts';
import type { Optimizer } from '../optim/optimizer.ts';
import type { Backend } from '../backend.ts';
import { zeroGrad, type Layer } from '../types.ts';

export interface StepOptions {
  /** Rescale all gradients so their global L2 norm is at most this; null = off. */
  clipNorm?: number | null;
  /** Clamp every gradient element to [−clipValue, clipValue]; null = off. */
  clipValue?: number | null;
  /** Measure the global gradient norm even without clipping (costs one pass over the grads). */
  measureGradNorm?: boolean;
  /** A loss above this (or non-finite) ends the run as diverged; default Infinity (only non-finite). */
  divergeAbove?: number;
}

export interface StepResult {
  loss: number;
  /** Correct predictions in the batch (training mode, dropout active — as Keras reports). */
  correct: number;
  /** Global L2 norm of the gradients before clipping; NaN when not measured. */
  gradNorm: number;
  diverged: boolean;
}

/** `model.backend` (an `mlp` has one) also runs the loss and the clipping; without it they run in TypeScript. */
export function trainStep(
  model: Layer & { backend?: Backend },
  optimizer: Optimizer,
  x: Float32Array,
  labels: ArrayLike<number>,
  n: number,
  options: StepOptions = {},
): StepResult {
  const params = model.params();
  zeroGrad(params);
  const logits = model.forward(x, n, 'train');
  const k = logits.length / n;
  const { loss, dlogits, correct } = softmaxCrossEntropy(logits, labels, n, k, model.backend);
  if (!(loss <= (options.divergeAbove ?? Infinity)) || !Number.isFinite(loss)) return { loss, correct, gradNorm: NaN, diverged: true };
  model.backward(dlogits);
  const measured = options.clipNorm != null || options.measureGradNorm === true;
  let norm = NaN;
  if (options.clipNorm != null) norm = clipGradNorm(params, options.clipNorm, model.backend);
  else if (measured) norm = gradNorm(params, model.backend);
  // Non-finite gradients with a finite loss (an overflow in backward) also end the run.
  if (measured && !Number.isFinite(norm)) return { loss, correct, gradNorm: norm, diverged: true };
  if (options.clipValue != null) clipGradValue(params, options.clipValue, model.backend);
  optimizer.step(params);
  return { loss, correct, gradNorm: norm, diverged: false };
}
