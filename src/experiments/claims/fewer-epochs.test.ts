import { describe, expect, test } from 'vitest';
import { decideEpochs, epochsTo } from './fewer-epochs';
import { run } from './testing';

describe('fewer-epochs: decideEpochs', () => {
  test('decideEpochs: compares the epochs to every target; sooner at low targets and later at high ones holds only up to a target', () => {
    const epochs = (...v: number[]) => v.map((validation, i) => ({ epoch: i + 1, train: validation, validation }));
    expect(epochsTo(run({ arm: 'none', epochs: epochs(0.9, 0.95, 0.96) }), 0.95)).toBe(2);
    expect(epochsTo(run({ arm: 'none', epochs: epochs(0.9) }), 0.95)).toBeNull();
    // Made-up accuracies for a mixed case (BN sooner at the low target, later at the high one), not the lesson's numbers.
    const targets = [0.965, 0.97, 0.975];
    const mixed = decideEpochs(
      [run({ arm: 'none', epochs: epochs(0.9633, 0.9735, 0.976) }), run({ arm: 'batch', epochs: epochs(0.9662, 0.9702, 0.9743, 0.9767) })],
      targets,
    );
    expect(mixed).toMatchObject({ outcome: 'holds only when', condition: 'the target is 96.5 % or lower' });
    expect(mixed.reason).toContain('97 %: epoch 2 / epoch 2; 97.5 %: epoch 3 / epoch 4');
    expect(
      decideEpochs([run({ arm: 'none', epochs: epochs(0.9, 0.95) }), run({ arm: 'batch', epochs: epochs(0.951, 0.96) })], [0.95]).outcome,
    ).toBe('holds');
    const never = decideEpochs(
      [run({ arm: 'none', epochs: epochs(0.9, 0.95) }), run({ arm: 'batch', epochs: epochs(0.94, 0.955) })],
      [0.95],
    );
    expect(never.outcome).toBe('does not hold here');
    expect(never.reason).toContain('without BN (90.00 %, 95.00 %), with BN (94.00 %, 95.50 %)');
  });
});
