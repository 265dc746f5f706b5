/**
 * `evaluate` (engine/train/evaluate.ts) cut into slices the worker can interleave with messages:
 * the same batches in the same order, so the result is the same, but the driver advances it one
 * batch of `rows` at a time and reads Stop in between. Over the 10,000 test images of a large
 * model a single `evaluate` call would keep the worker deaf for seconds.
 */
import { fillBatch, type Dataset } from '../data/mnist.ts';
import { softmaxCrossEntropy } from '../loss/softmax-cross-entropy.ts';
import type { Layer } from '../types.ts';
import type { Evaluation } from './protocol.ts';

export interface SlicedEvaluation {
  /** Evaluates the next batch; returns true once every row is done. */
  next(): boolean;
  /** Loss and accuracy over the whole set (after `next` returned true). */
  result(): Evaluation;
}

export function slicedEvaluation(model: Layer, set: Dataset, rows: number): SlicedEvaluation {
  if (set.count === 0) throw new RangeError('slicedEvaluation: the dataset is empty, expected at least 1 row');
  const size = Math.min(rows, set.count);
  const x = new Float32Array(size * set.features);
  const y = new Uint8Array(size);
  let start = 0;
  let lossSum = 0;
  let correct = 0;
  return {
    next() {
      if (start >= set.count) return true;
      const n = Math.min(size, set.count - start);
      const xb = n === size ? x : x.subarray(0, n * set.features);
      const yb = n === size ? y : y.subarray(0, n);
      fillBatch(set, null, start, n, xb, yb);
      const logits = model.forward(xb, n, 'eval');
      const r = softmaxCrossEntropy(logits, yb, n, logits.length / n);
      lossSum += r.loss * n;
      correct += r.correct;
      start += n;
      return start >= set.count;
    },
    result: () => ({ loss: lossSum / set.count, accuracy: correct / set.count }),
  };
}
