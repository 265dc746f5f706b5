import { describe, expect, test } from 'vitest';
import type { ClaimRun } from '../claim';
import { expandPlan } from '../plan';
import { accRun } from '../regularization/testing';
import { convnetLr, convnetLrQuick, decideConvnetLr } from './lr-sweep';

/** Made-up runs: [rate, no BN accuracy or 'diverged', BN accuracy or 'diverged'] per rate. */
const runs = (...points: [number, number | 'diverged', number | 'diverged'][]): ClaimRun[] =>
  points.flatMap(([rate, none, batch]) =>
    (
      [
        ['none', none],
        ['batch', batch],
      ] as const
    ).map(([arm, v]) => ({
      ...accRun(arm, v === 'diverged' ? 0.1 : v, 0.5),
      key: `lr ${rate} · ${arm}`,
      position: rate,
      diverged: v === 'diverged',
    })),
  );

describe('convnet-lr: decideConvnetLr', () => {
  test('holds only when the rate is one where BN reaches 50 % and no BN does not (or diverged), naming those rates', () => {
    const v = decideConvnetLr(runs([0.01, 0.3, 0.4], [0.1, 0.9, 0.95], [1, 'diverged', 0.96], [3, 0.1, 0.93]));
    expect(v.outcome).toBe('holds only when');
    expect(v.condition).toBe('the learning rate is 1 or 3');
    expect(v.reason).toContain('Validation accuracy by learning rate: 0.01: no BN 30.00 %, BN 40.00 %; 0.1: no BN 90.00 %, BN 95.00 %;');
    expect(v.reason).toContain('1: no BN diverged, BN 96.00 %');
    expect(v.reason).toContain('Only BN trains at 1, 3 (a model trains when it reaches 50 % and does not diverge).');
    // 50 % exactly trains; a hair below does not.
    expect(decideConvnetLr(runs([1, 0.5, 0.9])).outcome).toBe('does not hold here');
    expect(decideConvnetLr(runs([1, 0.4999, 0.9])).condition).toBe('the learning rate is 1');
  });

  test('does not hold here when both or neither train at every rate, and says where only no BN trains', () => {
    const v = decideConvnetLr(runs([0.01, 0.2, 0.2], [0.1, 0.9, 0.95]));
    expect(v.outcome).toBe('does not hold here');
    expect(v.reason).toContain('At no rate does only BN train');
    expect(decideConvnetLr(runs([3, 0.9, 'diverged'])).reason).toContain('Only the model without BN trains at 3.');
    expect(decideConvnetLr([]).reason).toContain('No run finished');
  });
});

describe('convnet-lr plans', () => {
  test('each expands to 8 valid ConvNet runs: 4 SGD rates × no BN, BN; the quick one on 1,000 images', () => {
    for (const e of [convnetLr, convnetLrQuick]) {
      const entries = expandPlan(e.plan);
      expect(entries.map((x) => x.key)).toEqual([0.01, 0.1, 1, 3].flatMap((lr) => [`lr ${lr} · no BN`, `lr ${lr} · BN`]));
      for (const x of entries) expect(x.config).toMatchObject({ model: 'cnn', conv: [8, 16], optimizer: 'sgd', epochs: 1, momentum: 0 });
    }
    expect(expandPlan(convnetLrQuick.plan)[0].config.trainLimit).toBe(1000);
    expect(expandPlan(convnetLr.plan)[0].config.trainLimit).toBeNull();
  });
});
