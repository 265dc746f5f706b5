import { describe, expect, it } from 'vitest';
import { createRandom, shuffleInPlace } from '../random.ts';
import type { Random } from '../types.ts';
import { batchOrder, dataOrders, type BatchOrder, type DataOrder } from './data-order.ts';

/** 19 labelled images: 5 of class 0, 3 of class 1, 7 of class 2 and 4 of class 3, interleaved. */
const labels = Uint8Array.from([2, 0, 1, 2, 3, 0, 2, 2, 1, 3, 0, 2, 0, 3, 2, 1, 0, 3, 2]);
const B = 4;

/** The epochs' batches as lists of image indices. */
function epochs(order: BatchOrder, count: number): number[][][] {
  return Array.from({ length: count }, () => {
    order.nextEpoch();
    return Array.from({ length: order.batchesPerEpoch }, (_, b) => [...order.order.subarray(order.starts[b], order.starts[b + 1])]);
  });
}

const classesOf = (batch: number[]) => [...new Set(batch.map((i) => labels[i]))];
const noDraws: Random = () => {
  throw new Error('drew a random number');
};

describe('batchOrder(kind, labels, batchSize, random)', () => {
  it.for(dataOrders)('%s: every epoch is a permutation of all images, cut into batches of at most B', (kind) => {
    for (const epoch of epochs(batchOrder(kind, labels, B, createRandom(7)), 4)) {
      expect(epoch.flat().sort((a, b) => a - b)).toEqual(Array.from(labels, (_, i) => i));
      for (const batch of epoch) expect(batch.length >= 1 && batch.length <= B, `batch of ${batch.length}`).toBe(true);
    }
  });

  it.for(dataOrders)('%s: the same seed gives the same batches, epoch after epoch', (kind) => {
    expect(epochs(batchOrder(kind, labels, B, createRandom(3)), 4)).toEqual(epochs(batchOrder(kind, labels, B, createRandom(3)), 4));
  });

  it("'shuffle-each-epoch' (the default) is the Keras shuffle it replaced: the identity reshuffled in place at each epoch, from the same stream", () => {
    const reference = Uint32Array.from(labels, (_, i) => i);
    const random = createRandom(11);
    const expected = Array.from({ length: 3 }, () => {
      shuffleInPlace(reference, random);
      return [...reference];
    });
    const order = batchOrder('shuffle-each-epoch', labels, B, createRandom(11));
    expect(epochs(order, 3).map((e) => e.flat())).toEqual(expected);
    expect(order.batchesPerEpoch).toBe(5); // ⌈19/4⌉, the last batch holds 3
    expect([...order.starts]).toEqual([0, 4, 8, 12, 16, 19]);
    // A new permutation every epoch.
    expect(expected[1]).not.toEqual(expected[0]);
  });

  it("'shuffle-once' draws the first epoch's permutation of 'shuffle-each-epoch' and keeps it for every epoch", () => {
    let draws = 0;
    const base = createRandom(11);
    const [first, ...rest] = epochs(
      batchOrder('shuffle-once', labels, B, () => (draws++, base())),
      4,
    );
    expect(first).toEqual(epochs(batchOrder('shuffle-each-epoch', labels, B, createRandom(11)), 1)[0]);
    for (const epoch of rest) expect(epoch).toEqual(first);
    expect(draws).toBe(labels.length - 1); // one Fisher–Yates pass, then nothing
  });

  it("'sorted-by-class' orders the images by label, 0s first, in data-set order within a class, the same every epoch, with no randomness", () => {
    const sorted = Array.from(labels, (label, i) => ({ label, i }))
      .sort((a, b) => a.label - b.label || a.i - b.i)
      .map((x) => x.i);
    const all = epochs(batchOrder('sorted-by-class', labels, B, noDraws), 3);
    for (const epoch of all) expect(epoch.flat()).toEqual(sorted);
    // Classes of 5, 3, 7, 4 cut into batches of 4: a batch mixes two classes only where a class ends mid-batch.
    expect(all[0].map(classesOf)).toEqual([[0], [0, 1], [2], [2, 3], [3]]);
  });

  it("'one-class-per-batch': every batch is one class, a class's leftover is a smaller batch of its own, and the batches' order changes each epoch", () => {
    const order = batchOrder('one-class-per-batch', labels, B, createRandom(5));
    // ⌈5/4⌉ + ⌈3/4⌉ + ⌈7/4⌉ + ⌈4/4⌉ = 2 + 1 + 2 + 1 = 6 batches, one more than ⌈19/4⌉.
    expect(order.batchesPerEpoch).toBe(6);
    const all = epochs(order, 6);
    for (const epoch of all) {
      expect(epoch.map((b) => classesOf(b).length)).toEqual([1, 1, 1, 1, 1, 1]);
      const sizes = (k: number) =>
        epoch
          .filter((b) => labels[b[0]] === k)
          .map((b) => b.length)
          .sort();
      expect([sizes(0), sizes(1), sizes(2), sizes(3)]).toEqual([[1, 4], [3], [3, 4], [4]]);
    }
    const sequences = new Set(all.map((epoch) => epoch.map((b) => labels[b[0]]).join('')));
    expect(sequences.size).toBeGreaterThan(1);
    // The images within a class are reshuffled too.
    expect(
      new Set(
        all.map((epoch) =>
          epoch
            .flat()
            .filter((i) => labels[i] === 2)
            .join(),
        ),
      ).size,
    ).toBeGreaterThan(1);
  });

  it('refuses an empty set and a bad batch size, saying what it received', () => {
    expect(() => batchOrder('shuffle-each-epoch', new Uint8Array(0), B, createRandom(1))).toThrow(
      /expected at least 1 labelled image, received 0/,
    );
    expect(() => batchOrder('sorted-by-class' as DataOrder, labels, 0, createRandom(1))).toThrow(
      /batchSize must be an integer in \[1, .*received 0/,
    );
  });
});
