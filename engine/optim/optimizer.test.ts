import { describe, expect, it } from 'vitest';
import type { Param } from '../types.ts';
import { adam, adamW } from './adam.ts';
import { createOptimizer, type UpdateRule } from './optimizer.ts';
import { sgd } from './sgd.ts';

function param(name: string, value: number[], grad: number[], decay = true): Param {
  return { name, value: Float32Array.from(value), grad: Float32Array.from(grad), decay };
}

/** A rule that records what the core hands it. */
function recordingRule() {
  const calls: { t: number; lr: number }[] = [];
  const seen: { name: string; state: readonly Float32Array[] }[] = [];
  const rule: UpdateRule = {
    slots: 2,
    begin: (t, lr) => void calls.push({ t, lr }),
    apply: (p, state) => void seen.push({ name: p.name, state: state.map((b) => b.view) }),
  };
  return { rule, calls, seen };
}

describe('createOptimizer', () => {
  it('step() numbers steps from 1, passes the current lr once per step, and counts iterations', () => {
    const { rule, calls } = recordingRule();
    const opt = createOptimizer('sgd', 'sgd', 0.5, rule, {});
    const params = [param('a', [1], [1]), param('b', [2, 3], [1, 1])];
    expect(opt.iterations).toBe(0);
    opt.step(params);
    opt.lr = 0.25;
    opt.step(params);
    expect(calls).toEqual([
      { t: 1, lr: 0.5 },
      { t: 2, lr: 0.25 },
    ]);
    expect(opt.iterations).toBe(2);
  });

  it('step() gives each param its own zeroed state buffers, found again on later steps', () => {
    const { rule, seen } = recordingRule();
    const opt = createOptimizer('adam', 'adam', 0.1, rule, {});
    const a = param('a', [1], [1]);
    const b = param('b', [2, 3], [1, 1]);
    opt.step([a, b]);
    opt.step([a, b]);
    expect(seen.map((s) => [s.name, s.state.map((x) => x.length)])).toEqual([
      ['a', [1, 1]],
      ['b', [2, 2]],
      ['a', [1, 1]],
      ['b', [2, 2]],
    ]);
    expect(seen[0].state.every((x) => x.every((v) => v === 0))).toBe(true);
    expect(seen[2].state[0]).toBe(seen[0].state[0]);
    expect(seen[2].state[1]).toBe(seen[0].state[1]);
    expect(seen[1].state[0]).not.toBe(seen[0].state[0]);
  });

  it('step() rejects a param whose grad length differs from its value length', () => {
    const opt = sgd({ lr: 0.1 });
    expect(() => opt.step([param('kernel', [1, 2], [1])])).toThrow(
      "sgd.step: param 'kernel' has 2 values but a grad of 1; expected equal lengths",
    );
  });

  it('copies the settings accessors so a rule setter stays validated', () => {
    const opt = sgd({ lr: 0.1 });
    opt.momentum = 0.5;
    expect(opt.momentum).toBe(0.5);
    expect(() => (opt.momentum = 1)).toThrow('sgd: momentum must be in [0, 1), received 1');
  });

  it('rejects a learning rate outside (0, 10] where it enters, naming the value', () => {
    expect(() => adam({ lr: -1 })).toThrow('adam: lr must be in (0, 10], received -1');
    expect(() => adamW({ lr: 0 })).toThrow('adamW: lr must be in (0, 10], received 0');
    expect(() => sgd({ lr: 11 })).toThrow('sgd: lr must be in (0, 10], received 11');
    expect(() => sgd({ lr: Number.NaN })).toThrow('sgd: lr must be a finite number in (0, 10], received NaN');
    const opt = adam();
    expect(() => (opt.lr = 20)).toThrow('adam: lr must be in (0, 10], received 20');
    expect(opt.lr).toBe(1e-3);
  });

  it('a learning-rate change takes effect at the next step', () => {
    const opt = sgd({ lr: 0.5 });
    const w = param('w', [1], [1]);
    opt.step([w]);
    expect(w.value[0]).toBeCloseTo(0.5, 7);
    opt.lr = 0.25;
    opt.step([w]);
    expect(w.value[0]).toBeCloseTo(0.25, 7);
  });

  it('step() leaves the gradients as they were (zeroGrad is the caller’s job)', () => {
    const w = param('w', [1, 2], [0.5, -0.25]);
    for (const opt of [sgd({ lr: 0.1, momentum: 0.9 }), adam(), adamW()]) {
      opt.step([w]);
      expect(Array.from(w.grad)).toEqual([0.5, -0.25]);
    }
  });
});
