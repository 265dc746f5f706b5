import { describe, expect, test } from 'vitest';
import { finalTrace } from './shared';
import { run } from './testing';

describe('finalTrace', () => {
  test('finalTrace is the value at the last recorded step', () => {
    expect(finalTrace(run('adam', 15.4, 24.6))).toBe(24.6);
    expect(finalTrace({ ...run('adam', 1, 2), trace: [] })).toBeNull();
  });
});
