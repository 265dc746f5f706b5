import { describe, expect, it } from 'vitest';
import { createGate, createRateMeter } from './pace.ts';

describe('createGate(intervalMs)', () => {
  it('opens at once, then at most once per interval', () => {
    const gate = createGate(100);
    const opened = [0, 30, 99, 100, 150, 205, 210].filter((t) => gate.due(t));
    expect(opened).toEqual([0, 100, 205]);
  });
});

describe('createRateMeter()', () => {
  it('reports samples per second over the training time measured', () => {
    const meter = createRateMeter();
    expect(meter.rate).toBe(0);
    meter.add(10_000, 0.5);
    meter.add(10_000, 0.5);
    expect(meter.rate).toBe(20_000);
  });

  it('gives no ETA before a quarter second has been measured, then remaining work over the rate', () => {
    const meter = createRateMeter();
    meter.add(1000, 0.1);
    expect(meter.eta(50_000)).toBeNull();
    meter.add(4000, 0.15);
    expect(meter.eta(40_000)).toBeCloseTo(2, 9);
    expect(meter.eta(40_000, 3, 0.5)).toBeCloseTo(3.5, 9);
  });
});
