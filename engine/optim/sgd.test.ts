import { describe, expect, it } from 'vitest';
import type { Param } from '../types.ts';
import { sgd } from './sgd.ts';

function param(name: string, value: number[], grad: number[], decay = true): Param {
  return { name, value: Float32Array.from(value), grad: Float32Array.from(grad), decay };
}

describe('sgd', () => {
  it('has the expected defaults (momentum 0, l2 0)', () => {
    const opt = sgd({ lr: 0.1 });
    expect(opt.kind).toBe('sgd');
    expect(opt.lr).toBe(0.1);
    expect(opt.momentum).toBe(0);
    expect(opt.l2).toBe(0);
    expect(opt.iterations).toBe(0);
  });

  it('without momentum moves each weight by −lr·g', () => {
    const w = param('w', [1, -2, 0.5], [0.5, -1, 0]);
    sgd({ lr: 0.1 }).step([w]);
    expect(Array.from(w.value)).toEqual([1 - 0.05, -2 + 0.1, 0.5].map(Math.fround));
  });

  it('with momentum follows v = μ·v + g, w −= lr·v over three steps', () => {
    const w = param('w', [1], [0]);
    const opt = sgd({ lr: 0.1, momentum: 0.9 });
    const grads = [1, -0.5, 2];
    let v = 0;
    let expected = 1;
    for (const g of grads) {
      w.grad[0] = g;
      opt.step([w]);
      v = 0.9 * v + g;
      expected -= 0.1 * v;
      expect(w.value[0]).toBeCloseTo(expected, 6);
    }
  });

  it('with momentum and a constant lr gives the same weights as the Keras form v = μ·v − lr·g, w += v', () => {
    const w = param('w', [0.3], [0]);
    const opt = sgd({ lr: 0.05, momentum: 0.8 });
    let kerasV = 0;
    let kerasW = 0.3;
    for (const g of [0.7, 0.1, -0.4, 0.9, 0.2]) {
      w.grad[0] = g;
      opt.step([w]);
      kerasV = 0.8 * kerasV - 0.05 * g;
      kerasW += kerasV;
      expect(w.value[0]).toBeCloseTo(kerasW, 6);
    }
  });

  it('adds the L2 gradient 2·l2·w to params with decay: true only', () => {
    const kernel = param('kernel', [2], [0], true);
    const bias = param('bias', [2], [0], false);
    sgd({ lr: 0.1, l2: 0.01 }).step([kernel, bias]);
    expect(kernel.value[0]).toBe(Math.fround(2 - 0.1 * 2 * 0.01 * 2));
    expect(bias.value[0]).toBe(2);
  });

  it('l2 and momentum are validated setters effective at the next step', () => {
    const opt = sgd({ lr: 1 });
    const w = param('w', [1], [0]);
    opt.l2 = 0.25;
    opt.step([w]);
    expect(w.value[0]).toBeCloseTo(0.5, 7);
    expect(() => (opt.l2 = -0.1)).toThrow('sgd: l2 must be in [0, 1], received -0.1');
    expect(() => (opt.momentum = -1)).toThrow('sgd: momentum must be in [0, 1), received -1');
    expect(opt.l2).toBe(0.25);
  });

  it('rejects bad options where they enter, naming the value and the range', () => {
    expect(() => sgd({ momentum: 0.9 } as never)).toThrow('sgd: lr must be a finite number in (0, 10], received undefined');
    expect(() => sgd({ lr: 0.1, momentum: 1 })).toThrow('sgd: momentum must be in [0, 1), received 1');
    expect(() => sgd({ lr: 0.1, l2: 2 })).toThrow('sgd: l2 must be in [0, 1], received 2');
  });
});
