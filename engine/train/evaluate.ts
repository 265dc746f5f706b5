/**
 * Loss and accuracy of a model over a whole dataset in eval mode (BN uses its moving statistics,
 * dropout is the identity), in batches so memory stays flat. No I/O, no timing.
 */
import { fillBatch, type Dataset } from '../data/mnist.ts';
import { softmaxCrossEntropy } from '../loss/softmax-cross-entropy.ts';
import type { Backend } from '../backend.ts';
import type { Layer } from '../types.ts';
import { number, object, type Infer } from '../schema.ts';
import { checkInteger } from '../validate.ts';

/** Loss and accuracy; either may be NaN or ±Infinity for a diverged model. */
export const Evaluation = object({ loss: number({ nan: true }), accuracy: number({ nan: true }) });
export type Evaluation = Infer<typeof Evaluation>;

export function evaluate(model: Layer & { backend?: Backend }, set: Dataset, options: { batchSize?: number } = {}): Evaluation {
  const batchSize = checkInteger('evaluate', 'batchSize', options.batchSize ?? 1000, 1);
  if (set.count === 0) throw new RangeError('evaluate: the dataset is empty, expected at least 1 row');
  const rows = Math.min(batchSize, set.count);
  const x = new Float32Array(rows * set.features);
  const y = new Uint8Array(rows);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < set.count; start += rows) {
    const n = Math.min(rows, set.count - start);
    const xb = n === rows ? x : x.subarray(0, n * set.features);
    const yb = n === rows ? y : y.subarray(0, n);
    fillBatch(set, null, start, n, xb, yb);
    const logits = model.forward(xb, n, 'eval');
    const r = softmaxCrossEntropy(logits, yb, n, logits.length / n, model.backend);
    lossSum += r.loss * n;
    correct += r.correct;
  }
  return { loss: lossSum / set.count, accuracy: correct / set.count };
}
