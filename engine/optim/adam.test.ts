import { describe, expect, it } from 'vitest';
import type { Param } from '../types.ts';
import { adam, adamW } from './adam.ts';

function param(name: string, value: number[], grad: number[], decay = true): Param {
  return { name, value: Float32Array.from(value), grad: Float32Array.from(grad), decay };
}

describe('adam', () => {
  it('has the expected defaults (Keras: lr 1e-3, β1 0.9, β2 0.999, ε 1e-7, keras ε placement, no L2)', () => {
    const opt = adam();
    expect(opt.kind).toBe('adam');
    expect([opt.lr, opt.beta1, opt.beta2, opt.epsilon, opt.epsilonPlacement, opt.l2]).toEqual([1e-3, 0.9, 0.999, 1e-7, 'keras', 0]);
  });

  it('moves every weight by lr·|g|/(|g| + ε/√(1−β2)) ≈ lr against its gradient on the first step, whatever its scale', () => {
    const grads = [1e-3, -5, 200];
    const w = param('w', [0, 0, 0], grads);
    adam({ lr: 0.01 }).step([w]);
    // At t = 1, m̂/√v̂ = g/|g|; with Keras placement ε is compared with the uncorrected √v = √(1−β2)·|g|.
    grads.forEach((g, i) =>
      expect(w.value[i]).toBeCloseTo((-0.01 * Math.sign(g) * Math.abs(g)) / (Math.abs(g) + 1e-7 / Math.sqrt(0.001)), 8),
    );
    expect(w.value[1]).toBeCloseTo(0.01, 6);
  });

  it("'keras' and 'pytorch' ε placement differ on tiny gradients early and agree on large ones", () => {
    const tinyK = param('w', [0], [1e-6]);
    const tinyP = param('w', [0], [1e-6]);
    adam({ lr: 1, epsilon: 1e-6, epsilonPlacement: 'keras' }).step([tinyK]);
    adam({ lr: 1, epsilon: 1e-6, epsilonPlacement: 'pytorch' }).step([tinyP]);
    // t = 1, m = 1e-7, v = 1e-15: keras −(lr·√c2/c1)·m/(√v + ε) = −(√0.001/0.1)·1e-7/(√1e-15 + 1e-6) ≈ −0.031;
    // pytorch −(lr/c1)·m/(√v/√c2 + ε) = −10·1e-7/(1e-6 + 1e-6) = −0.5.
    expect(tinyK.value[0]).toBeCloseTo((-(Math.sqrt(0.001) / 0.1) * 1e-7) / (Math.sqrt(1e-15) + 1e-6), 6);
    expect(tinyP.value[0]).toBeCloseTo(-0.5, 6);
    const bigK = param('w', [0], [300]);
    const bigP = param('w', [0], [300]);
    adam({ lr: 1, epsilonPlacement: 'keras' }).step([bigK]);
    adam({ lr: 1, epsilonPlacement: 'pytorch' }).step([bigP]);
    expect(bigK.value[0]).toBeCloseTo(bigP.value[0], 6);
  });

  it('with l2 adds 2·l2·w to the gradient of decaying params, so Adam rescales the decay to ≈ lr per step', () => {
    const kernel = param('kernel', [5], [0], true);
    const bias = param('bias', [5], [0], false);
    const opt = adam({ lr: 0.01, l2: 0.001 });
    for (let t = 0; t < 3; t++) opt.step([kernel, bias]);
    // The only gradient is 2·l2·w > 0, constant enough that m̂/√v̂ ≈ 1: three steps of −lr.
    expect(kernel.value[0]).toBeCloseTo(5 - 0.03, 4);
    expect(bias.value[0]).toBe(5);
  });

  it('updates every element exactly as the one-element formula, at any length (four-wide loop and its tail)', () => {
    // A plain per-element Adam (Keras ε placement) with float32 storage, the reference for the unrolled kernel.
    function reference(w: Float32Array, grads: Float32Array[], lr: number, l2: number, shrink: number): Float32Array {
      const value = Float32Array.from(w);
      const m = new Float32Array(w.length);
      const v = new Float32Array(w.length);
      grads.forEach((g, s) => {
        const t = s + 1;
        const stepSize = (lr * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
        for (let i = 0; i < value.length; i++) {
          const gi = g[i] + 2 * l2 * value[i];
          m[i] = 0.9 * m[i] + (1 - 0.9) * gi;
          v[i] = 0.999 * v[i] + (1 - 0.999) * gi * gi;
          value[i] = shrink * value[i] - (stepSize * m[i]) / (Math.sqrt(v[i]) + 1e-7);
        }
      });
      return value;
    }
    for (let length = 1; length <= 9; length++) {
      const start = Float32Array.from({ length }, (_, i) => Math.sin(i + 1));
      const grads = [0, 1, 2].map((s) => Float32Array.from({ length }, (_, i) => Math.cos(7 * i + s) * 10 ** ((i % 3) - 1)));
      const runs = [
        { opt: adam({ lr: 0.01 }), l2: 0, shrink: 1 },
        { opt: adam({ lr: 0.01, l2: 0.05 }), l2: 0.05, shrink: 1 },
        { opt: adamW({ lr: 0.01, weightDecay: 0.2 }), l2: 0, shrink: 1 - 0.01 * 0.2 },
      ];
      for (const { opt, l2, shrink } of runs) {
        const w = param('w', Array.from(start), new Array(length).fill(0));
        for (const g of grads) {
          w.grad.set(g);
          opt.step([w]);
        }
        expect(Array.from(w.value), `length ${length}, ${opt.kind} l2 ${l2}`).toEqual(
          Array.from(reference(start, grads, 0.01, l2, shrink)),
        );
      }
    }
  });

  it('l2 is a validated setter', () => {
    const opt = adam();
    opt.l2 = 0.5;
    expect(opt.l2).toBe(0.5);
    expect(() => (opt.l2 = 1.5)).toThrow('adam: l2 must be in [0, 1], received 1.5');
  });

  it('rejects bad options where they enter, naming the value and the range', () => {
    expect(() => adam({ beta1: 1 })).toThrow('adam: beta1 must be in [0, 1), received 1');
    expect(() => adam({ beta2: -0.1 })).toThrow('adam: beta2 must be in [0, 1), received -0.1');
    expect(() => adam({ epsilon: 0 })).toThrow('adam: epsilon must be in (0, 1], received 0');
    expect(() => adam({ epsilonPlacement: 'tf' as never })).toThrow(
      "adam: epsilonPlacement must be one of 'keras', 'pytorch', received 'tf'",
    );
    expect(() => adam({ l2: -1 })).toThrow('adam: l2 must be in [0, 1], received -1');
  });
});

describe('adamW', () => {
  it('has the expected defaults (Keras AdamW: weightDecay 0.004, otherwise as adam)', () => {
    const opt = adamW();
    expect(opt.kind).toBe('adamw');
    expect([opt.lr, opt.beta1, opt.beta2, opt.epsilon, opt.epsilonPlacement, opt.weightDecay]).toEqual([
      1e-3,
      0.9,
      0.999,
      1e-7,
      'keras',
      0.004,
    ]);
  });

  it('shrinks decaying weights by 1 − lr·weightDecay per step, outside the moments, and leaves the others', () => {
    const kernel = param('kernel', [5, -2], [0, 0], true);
    const bias = param('bias', [5], [0], false);
    const opt = adamW({ lr: 0.1, weightDecay: 0.5 });
    for (let t = 0; t < 3; t++) opt.step([kernel, bias]);
    expect(kernel.value[0]).toBeCloseTo(5 * 0.95 ** 3, 6);
    expect(kernel.value[1]).toBeCloseTo(-2 * 0.95 ** 3, 6);
    expect(bias.value[0]).toBe(5);
  });

  it('with weightDecay 0 takes exactly the steps of adam', () => {
    const a = param('w', [0.5, -0.5], [0, 0]);
    const b = param('w', [0.5, -0.5], [0, 0]);
    const optA = adam({ lr: 0.01 });
    const optB = adamW({ lr: 0.01, weightDecay: 0 });
    for (const g of [
      [0.1, -2],
      [0.3, 1],
      [-0.2, 0.5],
    ]) {
      a.grad.set(g);
      b.grad.set(g);
      optA.step([a]);
      optB.step([b]);
    }
    expect(Array.from(b.value)).toEqual(Array.from(a.value));
  });

  it('weightDecay is a validated setter', () => {
    const opt = adamW();
    opt.weightDecay = 0.1;
    expect(opt.weightDecay).toBe(0.1);
    expect(() => (opt.weightDecay = -0.1)).toThrow('adamW: weightDecay must be in [0, 1], received -0.1');
    expect(() => adamW({ weightDecay: 2 })).toThrow('adamW: weightDecay must be in [0, 1], received 2');
  });
});
