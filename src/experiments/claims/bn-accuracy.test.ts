import { describe, expect, test } from 'vitest';
import { decideAccuracy } from './bn-accuracy';
import { result, run } from './testing';

describe('bn-accuracy: decideAccuracy', () => {
  test('decideAccuracy: a lead inside the seed-to-seed spread does not count; a clear lead holds', () => {
    const within = decideAccuracy([
      run({ arm: 'none', result: result(0.95) }),
      run({ arm: 'none', result: result(0.96) }),
      run({ arm: 'batch', result: result(0.958) }),
      run({ arm: 'batch', result: result(0.957) }),
    ]);
    expect(within.outcome).toBe('does not hold here');
    expect(within.reason).toContain('BN 95.75 %, no BN 95.50 %');
    expect(within.reason).toContain('within the seed-to-seed spread');
    expect(decideAccuracy([run({ arm: 'none', result: result(0.9) }), run({ arm: 'batch', result: result(0.95) })]).outcome).toBe('holds');
    expect(decideAccuracy([run({ arm: 'none', result: result(0.95) }), run({ arm: 'batch', result: result(0.9) })]).reason).toContain(
      'The model without BN is ahead',
    );
  });
});
