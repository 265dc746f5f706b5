import { describe, expect, test } from 'vitest';
import { gradientCase, gradientTable, makeBatch, summarize } from './model';
import { columns, tableRows } from './table';

const normOf = (c: ReturnType<typeof gradientCase>, tensor: string) => {
  const row = c.rows.find((r) => r.tensor === tensor);
  if (!row) throw new Error(`no tensor '${tensor}' in ${c.rows.map((r) => r.tensor).join(', ')}`);
  return row.norm;
};

describe('identical mini-batches through the engine', () => {
  test('makeBatch(n, identical, seed) repeats the first image and label when asked, and draws distinct ones otherwise', () => {
    const same = makeBatch(4, true, 3);
    expect(same.x.subarray(3 * 784, 4 * 784)).toEqual(same.x.subarray(0, 784));
    expect(new Set(same.labels).size).toBe(1);
    const varied = makeBatch(4, false, 3);
    expect(varied.x.subarray(784, 2 * 784)).not.toEqual(varied.x.subarray(0, 784));
    expect(varied.x.subarray(0, 784)).toEqual(same.x.subarray(0, 784));
  });

  test('with BN and one example repeated, every tensor below the top BN and every γ gets exactly zero gradient; the top β and the output layer do not', () => {
    const c = gradientCase({ activation: 'sigmoid', norm: 'batch', identical: true, n: 32, seed: 1 });
    for (const t of [
      'dense kernel',
      'dense bias',
      'batch_normalization gamma',
      'batch_normalization beta',
      'dense_1 kernel',
      'dense_1 bias',
      'batch_normalization_1 gamma',
    ])
      expect(normOf(c, t), t).toBe(0);
    for (const t of ['batch_normalization_1 beta', 'dense_2 kernel', 'dense_2 bias']) expect(normOf(c, t), t).toBeGreaterThan(1e-4);
  });

  test('the same network learns from a batch of different examples, and without BN from the repeated one too', () => {
    const varied = gradientCase({ activation: 'sigmoid', norm: 'batch', identical: false, n: 32, seed: 1 });
    for (const t of ['dense kernel', 'batch_normalization gamma', 'dense_1 kernel']) expect(normOf(varied, t), t).toBeGreaterThan(1e-6);
    // BN subtracts the batch mean, so the Dense bias before it gets (up to rounding) no gradient even here.
    expect(normOf(varied, 'dense bias')).toBeLessThan(1e-5 * normOf(varied, 'dense kernel'));
    const none = gradientCase({ activation: 'sigmoid', norm: 'none', identical: true, n: 32, seed: 1 });
    for (const r of none.rows) expect(r.norm, r.tensor).toBeGreaterThan(0);
  });

  test('with ReLU, β = 0 at initialization puts the top BN’s output at the kink: only the output bias learns', () => {
    const c = gradientCase({ activation: 'relu', norm: 'batch', identical: true, n: 32, seed: 1 });
    expect(c.rows.filter((r) => r.norm > 0).map((r) => r.tensor)).toEqual(['dense_2 bias']);
  });

  test('summarize(cases) names the zero tensors from the table it is given', () => {
    const text = summarize(gradientTable('sigmoid', 1, 8));
    expect(text).toContain('7 of 10 tensors get exactly zero gradient (dense kernel, dense bias, batch_normalization gamma');
    expect(text).toContain('only batch_normalization_1 beta, dense_2 kernel, dense_2 bias still get one');
    expect(text).toContain('Without BN, every tensor gets a gradient');
  });

  test('tableRows(cases) lists the BN model’s tensors, with "—" where the model without BN has none', () => {
    const rows = tableRows(gradientTable('sigmoid', 1, 8));
    expect(rows).toHaveLength(10);
    const gamma = rows.find((r) => r.tensor === 'batch_normalization gamma')!;
    expect(gamma.cells.slice(0, 2)).toEqual(['—', '—']);
    expect(gamma.cells[3]).toBe('0');
    expect(rows[0].cells).toHaveLength(columns.length);
    expect(() => tableRows([])).toThrow(/needs 4 cases, received 0/);
  });

  test('bad settings are refused with the value received', () => {
    expect(() => gradientCase({ activation: 'tanh', norm: 'batch', identical: true, n: 32, seed: 1 })).toThrow(/activation/);
    expect(() => gradientCase({ activation: 'relu', norm: 'batch', identical: true, n: 1, seed: 1 })).toThrow(/n/);
  });

  test("with the assignment's Dropout(0.2) above BN the copies differ above the first BN, but the first Dense kernel still gets exactly zero", () => {
    // Sigmoid: at the start β = 0 and a ReLU would send every copy to 0, where masks change nothing.
    const c = gradientCase({ activation: 'sigmoid', norm: 'batch', identical: true, n: 32, seed: 1, dropout: 0.2 });
    // Each copy gets its own mask, so the second layer learns and the first BN's dx = γ/√ε·(dy − mean dy) is not zero…
    expect(normOf(c, 'dense_1 kernel')).toBeGreaterThan(1e-6);
    // …but it sums to zero over the batch, and the first layer's inputs are the identical copies:
    // zero but for float32 rounding (3.8e-7, against 0.77 from 32 different examples).
    const varied = gradientCase({ activation: 'sigmoid', norm: 'batch', identical: false, n: 32, seed: 1, dropout: 0.2 });
    expect(normOf(c, 'dense kernel')).toBeLessThan(1e-5 * normOf(varied, 'dense kernel'));
    expect(() => gradientCase({ activation: 'relu', norm: 'batch', identical: true, n: 32, seed: 1, dropout: 0.5 })).toThrow(
      'identical batch: dropout must be one of 0, 0.2, received 0.5',
    );
  });
});
