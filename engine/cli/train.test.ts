import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function train(...args: string[]) {
  return spawnSync('npx', ['tsx', 'engine/cli/train.ts', ...args], { encoding: 'utf8', timeout: 120_000 });
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
    const r = train('--train-limit', '500', '--epochs', '3', '--optimizer', 'sgd', '--lr', '10', '--momentum', '0.99', '--norm', 'batch', '--dropout', '0', '--json');
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.diverged.step).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/diverged at step \d+/);
  });

  it('exits with status 2 and names the flag on a bad value', () => {
    const r = train('--dropout', '1.2');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--dropout: must be in \[0, 1\), received 1.2/);
  });
});
