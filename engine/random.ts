/**
 * Seeded randomness: mulberry32 (Tommy Ettinger's 32-bit generator), integer-only so the same
 * seed gives the same stream in every JavaScript engine, Node and browsers alike.
 * https://gist.github.com/tommyettinger/46a874533244883189143505d203312c
 */
import type { Random } from './types.ts';

/**
 * A seeded stream whose position can be read and set back: the loss-landscape probe
 * (train/landscape.ts) replays a step's dropout masks and then leaves the stream where the run had it.
 */
export interface SeededRandom extends Random {
  /** The generator's whole state (a uint32); setting it back replays the same numbers. */
  state: number;
}

export function createRandom(seed: number): SeededRandom {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`createRandom: seed must be an integer in [0, 4294967295], received ${seed}`);
  }
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Object.defineProperty(next, 'state', {
    get: () => state,
    set: (value: number) => {
      state = value >>> 0;
    },
  }) as SeededRandom;
}

/** Fisher–Yates shuffle of `order` in place, driven by `random`. */
export function shuffleInPlace(order: Uint32Array | number[], random: Random): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}
