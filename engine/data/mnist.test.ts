import { describe, expect, it } from 'vitest';
import { fillBatch, limitDataset, mnistDataset, splitValidation } from './mnist.ts';

function idx(dims: number[], data: number[]): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, i) => new DataView(header.buffer).setUint32(4 + 4 * i, d, false));
  return Uint8Array.from([...header, ...data]);
}

// 10 images of 2×2 pixels; image i has all pixels = 10·i and label i.
const images = idx(
  [10, 2, 2],
  Array.from({ length: 40 }, (_, j) => 10 * Math.floor(j / 4)),
);
const labels = idx(
  [10],
  Array.from({ length: 10 }, (_, i) => i),
);

describe('mnist data', () => {
  it('mnistDataset(images, labels) pairs the two IDX files', () => {
    const set = mnistDataset(images, labels);
    expect(set).toMatchObject({ count: 10, features: 4 });
    expect(set.labels[7]).toBe(7);
  });

  it('mnistDataset rejects mismatched counts and labels that are not digits', () => {
    expect(() => mnistDataset(images, idx([9], Array(9).fill(0)))).toThrow(/10 images but 9 labels/);
    expect(() => mnistDataset(images, idx([10], [0, 1, 2, 3, 4, 5, 6, 7, 8, 12]))).toThrow(/label 9 is 12, expected a digit 0–9/);
    expect(() => mnistDataset(labels, labels)).toThrow(/images must have 3 dimensions/);
  });

  it('splitValidation(set, 0.1) holds out the last 10 % like Keras validation_split', () => {
    const { train, validation } = splitValidation(mnistDataset(images, labels), 0.1);
    expect(train.count).toBe(9);
    expect(validation.count).toBe(1);
    expect(validation.labels[0]).toBe(9);
    expect(Array.from(train.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('limitDataset(set, n) keeps the first n rows and rejects n outside [1, count]', () => {
    const set = mnistDataset(images, labels);
    expect(limitDataset(set, 3).count).toBe(3);
    expect(() => limitDataset(set, 11)).toThrow(/count must be an integer in \[1, 10\], received 11/);
  });

  it('fillBatch copies the ordered rows scaled to [0, 1] with their labels', () => {
    const set = mnistDataset(images, labels);
    const x = new Float32Array(8);
    const y = new Uint8Array(2);
    fillBatch(set, Uint32Array.from([5, 2]), 0, 2, x, y);
    expect(Array.from(y)).toEqual([5, 2]);
    expect(x[0]).toBeCloseTo(50 / 255, 7);
    expect(x[4]).toBeCloseTo(20 / 255, 7);
    expect(Math.fround(x[0])).toBe(Math.fround(50 / 255));
  });
});
