import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';

describe('CLI flags', () => {
  it('parseArgs([]) gives the classic assignment', () => {
    const { config, json } = parseArgs([]);
    expect(config).toMatchObject({ hidden: [128], norm: 'none', dropout: 0.2, optimizer: 'adam', lr: 0.001, batchSize: 32, epochs: 5, seed: 1 });
    expect(json).toBe(false);
  });

  it('parseArgs reads every flag form', () => {
    const { config, json } = parseArgs(['--norm', 'batch', '--norm-placement=after', '--hidden', '128,128,128,128', '--batch-size', '128', '--clip-norm', '1', '--train-limit', '2000', '--json']);
    expect(config).toMatchObject({ norm: 'batch', normPlacement: 'after-activation', hidden: [128, 128, 128, 128], batchSize: 128, clipNorm: 1, trainLimit: 2000 });
    expect(json).toBe(true);
  });

  it('parseArgs names the flag and what it accepts when a value is bad', () => {
    expect(() => parseArgs(['--dropout', '1.2'])).toThrow(/--dropout: must be in \[0, 1\), received 1.2 \(rate in \[0, 1\)/);
    expect(() => parseArgs(['--norm', 'layer'])).toThrow(/--norm: must be one of 'none', 'batch', received 'layer'/);
    expect(() => parseArgs(['--lr', 'fast'])).toThrow(/--lr expects a number, received 'fast'/);
    expect(() => parseArgs(['--hidden', '128,x'])).toThrow(/--hidden expects layer widths separated by commas/);
    expect(() => parseArgs(['--epochs'])).toThrow(/--epochs needs a value/);
    expect(() => parseArgs(['--colour', 'red'])).toThrow(/unknown flag '--colour'/);
  });

  it('parseArgs speaks in flags for settings the optimizer would ignore', () => {
    expect(() => parseArgs(['--weight-decay', '0.01'])).toThrow(/--weight-decay \(decoupled\) needs --optimizer 'adamw'/);
  });
});
