import { describe, expect, it } from 'vitest';
import { createRandom, shuffleInPlace } from './random.ts';

describe('createRandom', () => {
  it('createRandom(seed) gives the same stream for the same seed, pinned to known values', () => {
    const a = createRandom(1);
    const b = createRandom(1);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    // Pinned so a change of generator (which would change every seeded run) is noticed.
    expect(first.map((v) => v.toFixed(8))).toMatchInlineSnapshot(`
      [
        "0.62707394",
        "0.00273572",
        "0.52744704",
      ]
    `);
  });

  it('createRandom(seed).state read and set back replays the same numbers', () => {
    const r = createRandom(3);
    r();
    const saved = r.state;
    const next = [r(), r()];
    r.state = saved;
    expect([r(), r()]).toEqual(next);
  });

  it('createRandom(seed) gives numbers in [0, 1) with mean near 1/2', () => {
    const r = createRandom(7);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      const v = r();
      expect(v >= 0 && v < 1).toBe(true);
      sum += v;
    }
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });

  it('createRandom(seed) rejects a seed that is not a 32-bit unsigned integer', () => {
    expect(() => createRandom(-1)).toThrow(/seed must be an integer in \[0, 4294967295\], received -1/);
    expect(() => createRandom(1.5)).toThrow(/received 1.5/);
  });

  it('shuffleInPlace(order, random) is a seeded permutation', () => {
    const order = Uint32Array.from({ length: 100 }, (_, i) => i);
    shuffleInPlace(order, createRandom(3));
    expect(Array.from(order).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const again = Uint32Array.from({ length: 100 }, (_, i) => i);
    shuffleInPlace(again, createRandom(3));
    expect(Array.from(again)).toEqual(Array.from(order));
    expect(Array.from(order)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
