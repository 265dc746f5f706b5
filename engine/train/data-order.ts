/**
 * The order in which a run sees its training images: which images share a mini-batch, epoch after
 * epoch (`TrainConfig.dataOrder`). Every order visits every image exactly once per epoch; they
 * differ in how diverse a batch is and in whether the order changes between epochs. N images,
 * batch size B, n_k images of class k:
 *
 *   'shuffle-each-epoch' (the default; Keras `fit(shuffle=True)`, PyTorch `DataLoader(shuffle=True)`):
 *       a new uniformly random permutation at the start of every epoch, cut into ⌈N/B⌉ batches of
 *       B in turn; the last batch holds the N mod B left over. Every batch is a fair sample.
 *   'shuffle-once': one random permutation, drawn before the first epoch (the same one
 *       'shuffle-each-epoch' draws for its first epoch) and reused unchanged in every epoch: the same
 *       batches, in the same sequence, every epoch.
 *   'sorted-by-class': the images ordered by label — all 0s first, then the 1s, … the 9s; within a
 *       class in data-set order — the same order every epoch, no randomness, cut into ⌈N/B⌉ batches of
 *       B. A batch is one class except where a class ends mid-batch; the network meets the classes
 *       one after another, the 9s last.
 *   'one-class-per-batch': every batch holds images of one class only. At the start of every epoch
 *       each class's images are shuffled and cut into batches of B; the n_k mod B images left over
 *       form one smaller batch of their own (never mixed with another class, never dropped), so an
 *       epoch has Σ_k ⌈n_k/B⌉ batches — up to one more per class than ⌈N/B⌉. The order of the
 *       batches is then shuffled, so the classes come interleaved, never in runs.
 *
 * Randomness comes from the generator passed in (the session's data-order stream), never from
 * Math.random: the same seed gives the same batches.
 */
import { shuffleInPlace } from '../random.ts';
import type { Random } from '../types.ts';
import { checkInteger } from '../validate.ts';

export const dataOrders = ['shuffle-each-epoch', 'shuffle-once', 'sorted-by-class', 'one-class-per-batch'] as const;
export type DataOrder = (typeof dataOrders)[number];

/** The batches of one epoch at a time. */
export interface BatchOrder {
  /** Mini-batches per epoch; the same every epoch. */
  readonly batchesPerEpoch: number;
  /** This epoch's image indices, a permutation of 0 … N−1: batch b is order[starts[b] … starts[b+1]). */
  readonly order: Uint32Array; // (N)
  readonly starts: Uint32Array; // (batchesPerEpoch + 1), starts[0] = 0, last = N
  /** Arranges `order` and `starts` for the next epoch; call it once at the start of every epoch, the first included. */
  nextEpoch(): void;
}

const where = 'batchOrder';

/** The batches of `kind` over images with these `labels` (n), drawing from `random`. */
export function batchOrder(kind: DataOrder, labels: Uint8Array, batchSize: number, random: Random): BatchOrder {
  const n = labels.length;
  if (n === 0) throw new RangeError(`${where}: expected at least 1 labelled image, received 0`);
  const B = checkInteger(where, 'batchSize', batchSize, 1);
  switch (kind) {
    case 'shuffle-each-epoch':
    case 'shuffle-once': {
      // Each epoch shuffles the previous epoch's permutation: still uniform, and today's stream of draws.
      const order = Uint32Array.from({ length: n }, (_, i) => i);
      let epochs = 0;
      return fixedBatches(order, B, () => {
        if (kind === 'shuffle-each-epoch' || epochs === 0) shuffleInPlace(order, random);
        epochs++;
      });
    }
    case 'sorted-by-class':
      return fixedBatches(Uint32Array.from(classes(labels).flatMap((c) => [...c])), B, () => {});
    case 'one-class-per-batch':
      return oneClassPerBatch(classes(labels), n, B, random);
  }
}

/** Batches of B in sequence over `order` (the last one partial); `arrange` rewrites `order` in place. */
function fixedBatches(order: Uint32Array, B: number, arrange: () => void): BatchOrder {
  const count = Math.ceil(order.length / B);
  const starts = Uint32Array.from({ length: count + 1 }, (_, b) => Math.min(b * B, order.length));
  return { batchesPerEpoch: count, order, starts, nextEpoch: arrange };
}

/** Image indices grouped by label, labels ascending, each group in data-set order; empty classes left out. */
function classes(labels: Uint8Array): Uint32Array[] {
  const groups: number[][] = Array.from({ length: 256 }, () => []);
  labels.forEach((label, i) => groups[label].push(i));
  return groups.filter((g) => g.length > 0).map((g) => Uint32Array.from(g));
}

function oneClassPerBatch(byClass: Uint32Array[], n: number, B: number, random: Random): BatchOrder {
  // The batches as (class, offset in the class, size); fixed, since the class sizes are.
  const chunks = byClass.flatMap((members, k) =>
    Array.from({ length: Math.ceil(members.length / B) }, (_, j) => ({ k, offset: j * B, size: Math.min(B, members.length - j * B) })),
  );
  const sequence = Uint32Array.from(chunks, (_, i) => i);
  const order = new Uint32Array(n);
  const starts = new Uint32Array(chunks.length + 1);
  return {
    batchesPerEpoch: chunks.length,
    order,
    starts,
    nextEpoch() {
      for (const members of byClass) shuffleInPlace(members, random);
      shuffleInPlace(sequence, random);
      let at = 0;
      sequence.forEach((c, b) => {
        const { k, offset, size } = chunks[c];
        starts[b] = at;
        order.set(byClass[k].subarray(offset, offset + size), at);
        at += size;
      });
      starts[chunks.length] = at;
    },
  };
}
