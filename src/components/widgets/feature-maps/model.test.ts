import { describe, expect, test } from 'vitest';
import type { FeatureMaps } from '@engine/worker/protocol.ts';
import { batchStats, channelMap, channelSummary, normalize, positionScaleSpread } from './model';

/** N = 2 images of 2 × 2 positions × 2 channels, channels-last: channel 0 is 1…8 in order, channel 1 is 10 × that. */
function maps(norm: Partial<FeatureMaps['norm']> = {}): FeatureMaps {
  const preNorm = new Float32Array(16);
  for (let i = 0; i < 8; i++) {
    preNorm[2 * i] = i + 1;
    preNorm[2 * i + 1] = 10 * (i + 1);
  }
  return {
    kind: 'feature-maps',
    layer: 0,
    batch: 2,
    height: 2,
    width: 2,
    channels: 2,
    labels: [7, 2],
    images: new Float32Array(2 * 784),
    preNorm,
    norm: { kind: 'batch', groups: null, gamma: null, beta: null, runningMean: null, runningVariance: null, epsilon: 1e-3, ...norm },
  };
}

describe('feature-maps model', () => {
  test('batchStats per channel pools N·R·S = 8 values; per position only N = 2', () => {
    const ch = batchStats(maps(), 'channel');
    expect(ch.count).toBe(8);
    expect([...ch.mean]).toEqual([4.5, 45]);
    expect(ch.variance[0]).toBeCloseTo(5.25, 5); // variance of 1…8
    const pos = batchStats(maps(), 'position');
    expect(pos.count).toBe(2);
    // Position 0 of channel 0 holds 1 (image 1) and 5 (image 2).
    expect(pos.mean[0]).toBe(3);
    expect(pos.variance[0]).toBe(4);
    expect(pos.mean).toHaveLength(8);
  });

  test('normalize per channel gives each channel mean β and variance γ²·σ²/(σ² + ε), keeping the order of positions', () => {
    const m = maps({ gamma: new Float32Array([2, 0.5]), beta: new Float32Array([1, -1]) });
    const y = normalize(m, batchStats(m, 'channel'));
    const s = channelSummary(m, y);
    expect(s.mean[0]).toBeCloseTo(1, 5);
    expect(s.mean[1]).toBeCloseTo(-1, 5);
    expect(s.variance[0]).toBeCloseTo((4 * 5.25) / (5.25 + 1e-3), 4);
    expect(s.variance[1]).toBeCloseTo(0.25, 4);
    // One shift and one scale per channel: the map keeps its shape (increasing along the positions).
    const map = channelMap(m, y, 0, 0);
    expect([...map].every((v, i) => i === 0 || v > map[i - 1])).toBe(true);
  });

  test('normalize per position makes every position of a channel look the same (±1 over two images), and its scales spread', () => {
    const m = maps();
    const stats = batchStats(m, 'position');
    const y = normalize(m, stats);
    for (let p = 0; p < 4; p++) expect(channelMap(m, y, 0, 0)[p]).toBeCloseTo(-1, 3);
    for (let p = 0; p < 4; p++) expect(channelMap(m, y, 1, 0)[p]).toBeCloseTo(1, 3);
    // Here every position has the same variance (4), so one scale everywhere: spread 0.
    expect(positionScaleSpread(m, stats)[0]).toBeCloseTo(0, 6);
    expect(() => positionScaleSpread(m, batchStats(m, 'channel'))).toThrow(/received channel/);
  });

  test('batchStats rejects a tensor whose length does not match its shape, naming both', () => {
    expect(() => batchStats({ ...maps(), preNorm: new Float32Array(15) }, 'channel')).toThrow(/N·R·S·C = 16 values, received 15/);
  });
});
