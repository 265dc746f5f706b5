import { describe, expect, test } from 'vitest';
import type { ClaimRun } from '../claim';
import { expandPlan } from '../plan';
import { accRun } from '../regularization/testing';
import { convnetSeedsFull, convnetSeedsQuick, decideConvnetSeeds } from './seeds';

/** Made-up runs: [no BN, BN] validation accuracy (or 'diverged') for seeds 1, 2, 3 … in order. */
const runs = (...pairs: [number | 'diverged', number][]): ClaimRun[] =>
  pairs.flatMap(([none, batch], i) =>
    (
      [
        ['none', none],
        ['batch', batch],
      ] as const
    ).map(([arm, v]) => ({ ...accRun(arm, v === 'diverged' ? 0.1 : v, 0.9), seed: i + 1, diverged: v === 'diverged' })),
  );

describe('convnet-seeds: decideConvnetSeeds', () => {
  test('holds when BN is ahead on every seed, giving the pairs, the mean gain and the seed spread', () => {
    const v = decideConvnetSeeds(runs([0.97, 0.975], [0.972, 0.98], [0.968, 0.977]));
    expect(v.outcome).toBe('holds');
    expect(v.reason).toContain('seed 1 no BN 97.00 %, BN 97.50 %; seed 2 no BN 97.20 %, BN 98.00 %; seed 3 no BN 96.80 %, BN 97.70 %.');
    expect(v.reason).toContain("Mean gain +0.73 points; one model's seeds span up to 0.50 points.");
    expect(v.reason).toContain('BN is ahead on every seed.');
  });

  test('does not hold here when BN is level or behind on a seed, naming it, or a run diverged', () => {
    const level = decideConvnetSeeds(runs([0.97, 0.975], [0.98, 0.98], [0.968, 0.96]));
    expect(level.outcome).toBe('does not hold here');
    expect(level.reason).toContain('BN is not ahead on seeds 2, 3.');
    expect(level.reason).toContain('Mean gain −0.10 points');
    expect(decideConvnetSeeds(runs([0.97, 0.975], ['diverged', 0.98])).reason).toContain('A run of seed 2 diverged or is missing');
  });
});

describe('convnet-seeds plans', () => {
  test('each expands to seeds 1–3 × no BN, BN on the default ConvNet (Adam 1e-3, batch 32, 1 epoch); the quick one on 1,000 images', () => {
    for (const e of [convnetSeedsFull, convnetSeedsQuick]) {
      const entries = expandPlan(e.plan);
      expect(entries.map((x) => x.key)).toEqual([1, 2, 3].flatMap((s) => [`no BN · seed ${s}`, `BN · seed ${s}`]));
      for (const x of entries) expect(x.config).toMatchObject({ model: 'cnn', optimizer: 'adam', lr: 0.001, batchSize: 32, epochs: 1 });
    }
    expect(expandPlan(convnetSeedsQuick.plan)[0].config.trainLimit).toBe(1000);
  });
});
