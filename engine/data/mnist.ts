/**
 * MNIST as the engine sees it: raw pixel bytes kept as bytes (47 MB for 60,000 images instead of
 * 188 MB as Float32) and converted to [0, 1] floats one mini-batch at a time.
 *
 * Hold-out follows Keras `validation_split=0.1`: the LAST 10 % of the training arrays, taken
 * before any shuffling (https://keras.io/api/models/model_training_apis/#fit-method).
 */
import { parseIdx } from './idx.ts';
import { checkInteger, checkNumber } from '../validate.ts';

export interface Dataset {
  images: Uint8Array; // (count, features) raw pixel bytes 0–255
  labels: Uint8Array; // (count) class indices
  count: number;
  features: number;
}

/** Parses an image IDX file and its label IDX file and checks that they belong together. */
export function mnistDataset(imageIdx: Uint8Array, labelIdx: Uint8Array): Dataset {
  const images = parseIdx(imageIdx);
  const labels = parseIdx(labelIdx);
  if (images.dims.length !== 3) {
    throw new RangeError(`mnistDataset: images must have 3 dimensions (count, rows, cols), received [${images.dims.join(', ')}]`);
  }
  if (labels.dims.length !== 1) {
    throw new RangeError(`mnistDataset: labels must have 1 dimension (count), received [${labels.dims.join(', ')}]`);
  }
  const [count, rows, cols] = images.dims;
  if (labels.dims[0] !== count) {
    throw new RangeError(`mnistDataset: ${count} images but ${labels.dims[0]} labels; expected one label per image`);
  }
  for (let i = 0; i < count; i++) {
    if (labels.data[i] > 9) throw new RangeError(`mnistDataset: label ${i} is ${labels.data[i]}, expected a digit 0–9`);
  }
  return { images: images.data, labels: labels.data, count, features: rows * cols };
}

/** Keras `validation_split`: the last `fraction` of rows is held out; both parts are views. */
export function splitValidation(set: Dataset, fraction = 0.1): { train: Dataset; validation: Dataset } {
  checkNumber('splitValidation', 'fraction', fraction, 0, 1, { maxOpen: true });
  const held = Math.floor(set.count * fraction);
  const kept = set.count - held;
  return { train: slice(set, 0, kept), validation: slice(set, kept, set.count) };
}

/** The first `count` rows of a dataset (a view), for quick runs on a subset. */
export function limitDataset(set: Dataset, count: number): Dataset {
  checkInteger('limitDataset', 'count', count, 1, set.count);
  return slice(set, 0, count);
}

function slice(set: Dataset, start: number, end: number): Dataset {
  const F = set.features;
  return { images: set.images.subarray(start * F, end * F), labels: set.labels.subarray(start, end), count: end - start, features: F };
}

/** byte → byte / 255 in float32, exactly as Keras' `x / 255.0`. */
const pixelScale = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * Copies rows order[start … start+n) into x as floats in [0, 1] and their labels into y.
 * x: (n, features), y: (n).
 */
export function fillBatch(set: Dataset, order: ArrayLike<number> | null, start: number, n: number, x: Float32Array, y: Uint8Array): void {
  const F = set.features;
  const { images, labels } = set;
  for (let r = 0; r < n; r++) {
    const row = order ? order[start + r] : start + r;
    const src = row * F;
    const dst = r * F;
    for (let f = 0; f < F; f++) x[dst + f] = pixelScale[images[src + f]];
    y[r] = labels[row];
  }
}
