/**
 * Seeded inputs for the checks, and conversions between the reader's nested arrays (x[n][h]) and
 * the engine's row-major Float32Arrays.
 */
import { createRandom } from '@engine/random.ts';
import type { Expected } from './compare.ts';

/** (rows, cols) standard normal values (Box–Muller on mulberry32), times `scale`, plus `shift`. */
export function normalMatrix(seed: number, rows: number, cols: number, scale = 1, shift = 0): number[][] {
  const random = createRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => shift + scale * normal()));
}

export function normalVector(seed: number, length: number, scale = 1, shift = 0): number[] {
  return normalMatrix(seed, 1, length, scale, shift)[0];
}

/** Row-major float32 copy of a matrix, as the engine's layers take it. */
export function toFloat32(m: number[][] | number[]): Float32Array {
  return Float32Array.from((m as (number | number[])[]).flat());
}

/** Nested rows of a row-major array, as the reader's functions take them. */
export function toRows(data: ArrayLike<number>, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => Number(data[r * cols + c])));
}

export function expected(data: ArrayLike<number>, ...shape: number[]): Expected {
  return { data, shape };
}

/** A deep copy, so the reader's code cannot change the inputs the check uses afterwards. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}
