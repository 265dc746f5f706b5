import { describe, expect, test } from 'vitest';
import { decideInit } from './init-sensitivity';
import { result, run } from './testing';

describe('init-sensitivity: decideInit', () => {
  test('decideInit: holds when BN’s accuracy range over init scales is a point or more narrower', () => {
    const runs = (bnLow: number) =>
      [0.1, 1, 10].flatMap((x) => [
        run({ arm: 'none', position: x, result: result(x === 10 ? 0.8 : 0.9) }),
        run({ arm: 'batch', position: x, result: result(x === 10 ? bnLow : 0.91) }),
      ]);
    expect(decideInit(runs(0.9)).outcome).toBe('holds');
    expect(decideInit(runs(0.8)).outcome).toBe('does not hold here');
  });
});
