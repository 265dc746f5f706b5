import { describe, expect, test } from 'vitest';
import { directionStats } from './clipping-stats';

describe('directionStats(raw, clipped)', () => {
  test('a clamp that changes nothing keeps the direction and the length', () => {
    const g = [Float32Array.from([0.1, -0.2]), Float32Array.from([0.05])];
    expect(
      directionStats(
        g,
        g.map((t) => t.slice()),
      ),
    ).toEqual({ cosine: 1, clamped: 0, kept: 1 });
  });

  test('clamping (3, 1) to ±1 gives (1, 1): cosine 4/√20, half the components changed, √2/√10 of the length kept', () => {
    const s = directionStats([Float32Array.from([3, 1])], [Float32Array.from([1, 1])]);
    expect(s.cosine).toBeCloseTo(4 / Math.sqrt(20), 12);
    expect(s.clamped).toBe(0.5);
    expect(s.kept).toBeCloseTo(Math.sqrt(2 / 10), 12);
  });

  test('sums over every tensor, as one global vector', () => {
    const s = directionStats([Float32Array.from([3]), Float32Array.from([1])], [Float32Array.from([1]), Float32Array.from([1])]);
    expect(s.cosine).toBeCloseTo(4 / Math.sqrt(20), 12);
  });

  test('rejects tensors that do not pair up, saying what it received', () => {
    expect(() => directionStats([new Float32Array(2)], [])).toThrow(/expected as many clipped tensors as raw ones \(1\), received 0/);
    expect(() => directionStats([new Float32Array(2)], [new Float32Array(3)])).toThrow(/tensor 0 has 2 raw values and 3 clipped ones/);
  });
});
