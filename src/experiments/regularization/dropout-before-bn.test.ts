import { describe, expect, test } from 'vitest';
import { decideDropoutBeforeBn } from './dropout-before-bn';
import { accRun } from './testing';

describe('dropout-before-bn: decideDropoutBeforeBn', () => {
  test('decideDropoutBeforeBn: holds when dropout before BN loses a point or more of validation accuracy', () => {
    const v = decideDropoutBeforeBn([accRun('after-norm', 0.9403, 0.9197), accRun('before-norm', 0.9203, 0.9173)]);
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain('dropout after BN 94.03 %');
    expect(v.reason).toContain('difference -2.00 points');
    const small = decideDropoutBeforeBn([accRun('after-norm', 0.9403, 0.9197), accRun('before-norm', 0.934, 0.9173)]);
    expect(small.outcome).toBe('does not hold here');
    expect(small.reason).toContain('less than a point');
    expect(decideDropoutBeforeBn([accRun('after-norm', 0.94, 0.92)]).reason).toContain('missing');
  });
});
