import { describe, expect, it } from 'vitest';
import { createRandom, createSession, parseTrainConfig, type Dataset } from '@engine';
import { batchSize, hiddenUnits, maskStats, runMasks, schema, summarize } from './model';
import { defaultState } from '../params';

/** Bright random images shaped like MNIST, so most hidden ReLUs are positive and the mask shows. */
function images(count: number): Dataset {
  const r = createRandom(5);
  const features = 784;
  return {
    images: Uint8Array.from({ length: count * features }, () => Math.floor(r() * 256)),
    labels: Uint8Array.from({ length: count }, () => Math.floor(r() * 10)),
    count,
    features,
  };
}

describe('dropout-masks model', () => {
  it('has the expected defaults', () => {
    expect(defaultState(schema)).toEqual({ rate: 0.5, steps: 12, seed: 1 });
  });

  it('runMasks gives the masks a real training run with that seed draws for the first image of each batch', () => {
    const seed = 3;
    const rate = 0.4;
    const session = createSession(parseTrainConfig({ dropout: rate, seed, epochs: 1, backend: 'ts' }), { train: images(batchSize * 6) });
    const masks = runMasks({ rate, steps: 5, seed });
    const [, relu, drop] = session.model.layers;
    let compared = 0;
    for (let t = 0; t < 5; t++) {
      session.step();
      const x = relu.lastOutput()!.subarray(0, hiddenUnits);
      const y = drop.lastOutput()!.subarray(0, hiddenUnits);
      for (let h = 0; h < hiddenUnits; h++) {
        if (x[h] === 0) continue; // a silent unit looks the same kept or dropped
        expect(y[h], `step ${t + 1}, unit ${h}`).toBeCloseTo(masks[t][h] * (x[h] / (1 - rate)), 4);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(5 * hiddenUnits * 0.2);
  });

  it('runMasks keeps about (1 − rate) of the units, none at rate 0 dropped, and changes with the seed', () => {
    const masks = runMasks({ rate: 0.5, steps: 32, seed: 1 });
    const st = maskStats(masks, 0.5);
    const mean = st.kept.reduce((a, k) => a + k, 0) / st.kept.length;
    expect(Math.abs(mean - 64)).toBeLessThan(3 * (st.sd / Math.sqrt(32)));
    expect(st.expected).toBe(64);
    expect(st.sd).toBeCloseTo(Math.sqrt(32), 10);
    expect(st.scale).toBe(2);
    expect(maskStats(runMasks({ rate: 0, steps: 3, seed: 1 }), 0).kept).toEqual([128, 128, 128]);
    expect(runMasks({ rate: 0.5, steps: 1, seed: 2 })[0]).not.toEqual(masks[0]);
    expect(runMasks({ rate: 0.5, steps: 4, seed: 1 })).toEqual(masks.slice(0, 4));
  });

  it('summarize states the kept count, its expectation and the scale', () => {
    const s = { rate: 0.5, steps: 3, seed: 1 };
    const st = maskStats(runMasks(s), s.rate);
    const text = summarize(s, st);
    expect(text).toContain(`keeps ${st.kept[2]} of 128 units`);
    expect(text).toContain('expected 64.0 ± 5.7');
    expect(text).toContain('1/(1 − 0.50) = 2.00');
    expect(summarize({ rate: 0, steps: 2, seed: 1 }, maskStats(runMasks({ rate: 0, steps: 2, seed: 1 }), 0))).toContain(
      'dropout does nothing',
    );
  });
});
