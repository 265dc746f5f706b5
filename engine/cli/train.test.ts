import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function train(...args: string[]) {
  return spawnSync('npx', ['tsx', 'engine/cli/train.ts', ...args], { encoding: 'utf8', timeout: 230_000 });
}

describe('npm run train', () => {
  it('trains on a real MNIST subset and reports JSON metrics well above chance', () => {
    const r = train('--train-limit', '3000', '--epochs', '2', '--norm', 'batch', '--json');
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.epochs).toHaveLength(2);
    expect(doc.epochs[1]).toHaveProperty('val_accuracy');
    expect(doc.epochs[1].val_accuracy).toBeGreaterThan(0.85);
    expect(doc.test.accuracy).toBeGreaterThan(0.85);
    expect(doc.samplesPerSecond).toBeGreaterThan(0);
    expect(doc.diverged).toBeNull();
    expect(doc.summary.nonTrainable).toBe(256);
  });

  it('reports divergence with a huge learning rate', () => {
    const r = train(
      '--train-limit',
      '500',
      '--epochs',
      '3',
      '--optimizer',
      'sgd',
      '--lr',
      '10',
      '--momentum',
      '0.99',
      '--norm',
      'batch',
      '--dropout',
      '0',
      '--json',
    );
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.diverged.step).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/diverged at step \d+/);
  });

  it('--ensemble reports the scaled network against sampled masks, and --inference-stats the variance shift of a BN layer after dropout', () => {
    // BN momentum 0.9, so the 32 steps leave 0.9³² ≈ 3 % of the initial moving variance.
    const run = (placement: string, ...extra: string[]) =>
      train(
        '--train-limit',
        '1000',
        '--epochs',
        '1',
        '--norm',
        'batch',
        '--bn-momentum',
        '0.9',
        '--dropout',
        '0.5',
        '--dropout-placement',
        placement,
        '--inference-stats',
        '--json',
        ...extra,
      );
    const before = run('before-norm', '--ensemble', '1,5');
    expect(before.status, before.stderr).toBe(0);
    const doc = JSON.parse(before.stdout);
    expect(doc.ensemble.scaledAccuracy).toBe(doc.test.accuracy);
    expect(doc.ensemble.ensembles.map((e: { samples: number }) => e.samples)).toEqual([1, 5]);
    expect(doc.ensemble.ensembles[1].agreement).toBeGreaterThan(doc.ensemble.ensembles[0].agreement);
    expect(before.stderr).toMatch(/test accuracy averaging 5 sampled masks: [\d.]+ %, same class as the scaled network on [\d.]+ %/);
    const ratio = (stderr: string) =>
      Number(/batch_normalization: moving variance \/ variance of its input with dropout off, mean over units ([\d.]+)/.exec(stderr)?.[1]);
    // Dropout 0.5 right before BN doubles the second moment of BN's input in training (more with a non-zero mean); after BN it leaves BN's input alone.
    expect(ratio(before.stderr)).toBeGreaterThan(1.8);
    const after = run('after-norm');
    expect(after.status, after.stderr).toBe(0);
    expect(Math.abs(ratio(after.stderr) - 1)).toBeLessThan(0.3);
  });

  it('exits with status 2 and names the flag on a bad value', () => {
    const r = train('--dropout', '1.2');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--dropout: must be in \[0, 1\), received 1.2/);
  });

  it(
    'exits with status 2 before training on a bad --ensemble or a test the model cannot take (was: trained, then a RangeError or nothing)',
    { timeout: 180_000 },
    () => {
      // Two spawns here (each starts tsx); args.test.ts checks every bad value without one.
      for (const [args, message] of [
        [
          ['--ensemble', '1,1'],
          "--ensemble expects 1 to 8 strictly ascending numbers of masks from 1 to 10000 separated by commas, such as 1,10,100, received '1,1'",
        ],
        [
          ['--inference-stats', '--ensemble', '1,10', '--dropout', '0', '--norm', 'batch'],
          '--ensemble samples dropout masks and needs --dropout above 0, received --dropout 0',
        ],
      ] as const) {
        const r = train('--train-limit', '500', '--epochs', '1', ...args);
        expect(r.status, args.join(' ')).toBe(2);
        expect(r.stderr).toContain(message);
        expect(r.stdout, 'nothing trained').not.toContain('Training on');
      }
    },
  );
});
