import { describe, expect, test } from 'vitest';
import { decideRegularization } from './regularization';
import { result, run } from './testing';

describe('regularization: decideRegularization', () => {
  test('decideRegularization: compares training-minus-validation gaps', () => {
    const v = decideRegularization([run({ arm: 'none', result: result(0.88, 0.99) }), run({ arm: 'batch', result: result(0.9, 0.95) })]);
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain('11.0 points without BN');
    expect(
      decideRegularization([run({ arm: 'none', result: result(0.88, 0.99) }), run({ arm: 'batch', result: result(0.88, 1) })]).outcome,
    ).toBe('does not hold here');
  });
});
