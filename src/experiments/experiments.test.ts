import { describe, expect, test } from 'vitest';
import { experimentNamed } from './experiments';

describe('experimentNamed(name)', () => {
  test('finds a plan across every lesson’s list, or lists the names there are', () => {
    expect(experimentNamed('lr-headroom').claim).toBe(2);
    expect(experimentNamed('bn-ablation').plan.arms.map((a) => a.id)).toEqual(['none', 'full', 'center', 'scale', 'frozen-affine']);
    expect(() => experimentNamed('nope')).toThrow(/no plan named 'nope', expected one of (.*, )?bn-accuracy, lr-headroom/);
  });
});
