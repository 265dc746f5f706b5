/**
 * Mini-batches of 2-D points for "mini-batches in space": each batch comes from its own shifted,
 * scaled (and slightly rotated) Gaussian, far from the origin. Batch normalization standardizes
 * each feature (coordinate) separately over the batch, so after it every batch has mean (0, 0)
 * and standard deviation 1 along each axis. It does not decorrelate (whiten): a tilted cloud stays
 * tilted.
 */
import { createRandom } from '@engine/random.ts';
import { gaussian } from './bn-transform';

export interface Batch2d {
  /** Interleaved coordinates: x0, y0, x1, y1, … */
  points: Float64Array;
}

export interface Normalized2d {
  points: Float64Array;
  mean: [number, number];
  sd: [number, number];
}

export function drawBatches(count: number, size: number, seed: number): Batch2d[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`drawBatches: count must be a positive integer, received ${count}`);
  if (!Number.isInteger(size) || size < 2) throw new RangeError(`drawBatches: size must be an integer ≥ 2, received ${size}`);
  const random = createRandom(seed);
  const normal = gaussian(random);
  const batches: Batch2d[] = [];
  const turn = random() * 2 * Math.PI;
  for (let b = 0; b < count; b++) {
    // Centres spread around a ring 9–14 units out; spreads between 0.5 and 3 per axis.
    const angle = turn + (2 * Math.PI * b) / count + (random() - 0.5) * 0.6;
    const radius = 9 + 5 * random();
    const cx = radius * Math.cos(angle);
    const cy = radius * Math.sin(angle);
    const sx = 0.5 + 2.5 * random();
    const sy = 0.5 + 2.5 * random();
    const tilt = (random() - 0.5) * Math.PI * 0.5;
    const [c, s] = [Math.cos(tilt), Math.sin(tilt)];
    const points = new Float64Array(2 * size);
    for (let i = 0; i < size; i++) {
      const u = sx * normal();
      const v = sy * normal();
      points[2 * i] = cx + c * u - s * v;
      points[2 * i + 1] = cy + s * u + c * v;
    }
    batches.push({ points });
  }
  return batches;
}

/** Per-coordinate batch normalization (γ = 1, β = 0, biased variance, ε added inside the root). */
export function normalize2d(points: Float64Array, epsilon = 1e-5): Normalized2d {
  const n = points.length / 2;
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`normalize2d: expected an even, non-zero number of coordinates, received ${points.length}`);
  const mean: [number, number] = [0, 0];
  const variance: [number, number] = [0, 0];
  for (let i = 0; i < n; i++) for (let d = 0; d < 2; d++) mean[d] += points[2 * i + d] / n;
  for (let i = 0; i < n; i++) for (let d = 0; d < 2; d++) variance[d] += (points[2 * i + d] - mean[d]) ** 2 / n;
  const sd: [number, number] = [Math.sqrt(variance[0]), Math.sqrt(variance[1])];
  const out = new Float64Array(points.length);
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < 2; d++) out[2 * i + d] = (points[2 * i + d] - mean[d]) / Math.sqrt(variance[d] + epsilon);
  }
  return { points: out, mean, sd };
}

/** (1 − t)·a + t·b, element-wise: the picture halfway through normalizing. */
export function lerpPoints(a: Float64Array, b: Float64Array, t: number): Float64Array {
  if (a.length !== b.length) throw new RangeError(`lerpPoints: lengths differ, received ${a.length} and ${b.length}`);
  if (!(t >= 0 && t <= 1)) throw new RangeError(`lerpPoints: t must be in [0, 1], received ${t}`);
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (1 - t) * a[i] + t * b[i];
  return out;
}

/** Mean and per-axis standard deviation of interleaved points. */
export function moments2d(points: Float64Array): { mean: [number, number]; sd: [number, number] } {
  const { mean, sd } = normalize2d(points, 0);
  return { mean, sd };
}
