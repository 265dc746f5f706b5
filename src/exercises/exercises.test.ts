import { describe, expect, it } from 'vitest';
import { checkCell } from './testing.ts';
import { exercises, exerciseById } from './index.ts';

/** Replaces one exact piece of a solution, failing loudly if the piece is not there. */
function mutate(code: string, from: string, to: string): string {
  if (!code.includes(from)) throw new Error(`mutation target not found: ${from}`);
  return code.replace(from, to);
}

function firstFailure(id: string, code: string) {
  const report = checkCell(exerciseById(id), code);
  expect(report.pass).toBe(false);
  return report.stages.find((s) => !s.pass)!;
}

describe('code-cell exercises', () => {
  for (const exercise of Object.values(exercises)) {
    it(`${exercise.id}: the reference solution passes every stage of every case`, () => {
      const report = checkCell(exercise, exercise.solution);
      const failed = report.stages.filter((s) => !s.pass);
      expect(failed).toEqual([]);
      expect(report.stages.length).toBeGreaterThan(3);
      for (const s of report.stages) expect(s.relError).toBeLessThan(1e-5);
    });
    it(`${exercise.id}: the starter code fails`, () => {
      expect(checkCell(exercise, exercise.starter).pass).toBe(false);
    });
  }

  it('bn-forward: forgetting ε is named', () => {
    const bad = mutate(exerciseById('bn-forward').solution, 'Math.sqrt(variance[h] + eps)', 'Math.sqrt(variance[h])');
    const f = firstFailure('bn-forward', bad);
    expect(f.stage).toBe('xhat');
    expect(f.message).toMatch(/ε/);
    expect(f.firstWrong).not.toBeNull();
  });

  it('bn-forward: the unbiased variance in training is named', () => {
    const bad = mutate(exerciseById('bn-forward').solution, '** 2 / N', '** 2 / (N - 1)');
    const f = firstFailure('bn-forward', bad);
    expect(f.stage).toBe('variance');
    expect(f.message).toMatch(/N − 1/);
    expect(f.message).toMatch(/first wrong element variance\[0\]: expected/);
  });

  it('ln-forward: statistics over the batch (BN’s axis) instead of over each example are named', () => {
    const bad = mutate(
      exerciseById('ln-forward').solution,
      'const mu = x.map((row) => row.reduce((s, v) => s + v, 0) / D);',
      'const mu = x[0].map((_, d) => x.reduce((s, row) => s + row[d], 0) / N);',
    );
    const f = firstFailure('ln-forward', bad);
    expect(f.stage).toBe('mu');
    expect(f.message).toMatch(/that is BN/);
  });

  it('ln-backward: a dx without the path through μ is named', () => {
    const bad = mutate(exerciseById('ln-backward').solution, ' + dmu[n] / D));', '));');
    const f = firstFailure('ln-backward', bad);
    expect(f.stage).toBe('dx');
    expect(f.message).toMatch(/path through μ/);
  });

  it('gn-forward: channels grouped round-robin instead of in consecutive blocks are named', () => {
    const bad = mutate(exerciseById('gn-forward').solution, 'const group = (c) => Math.floor(c / (C / G));', 'const group = (c) => c % G;');
    const f = firstFailure('gn-forward', bad);
    expect(f.stage).toBe('mu');
    expect(f.message).toMatch(/consecutive channels/);
  });

  it('spatial-bn: statistics per position (over the N images only) are named at μ', () => {
    const bad = mutate(
      exerciseById('spatial-bn').solution,
      'const { mu, variance, y } = denseBnForward(rows, gamma, beta, eps);',
      `const N = x.length, P = rows.length / N, C = gamma.length;
  const mu = Array.from({ length: P * C }, (_, i) => x.reduce((a, img) => a + img.flat()[Math.floor(i / C)][i % C], 0) / N);
  const { variance, y } = denseBnForward(rows, gamma, beta, eps);`,
    );
    const f = firstFailure('spatial-bn', bad);
    expect(f.stage).toBe('mu');
    expect(f.message).toMatch(/over the N images only/);
  });

  it('spatial-bn: a reshape that mixes up positions and channels fails at rows', () => {
    const bad = mutate(exerciseById('spatial-bn').solution, 'row.map((pixel) => [...pixel])', 'row.map((pixel) => [...pixel].reverse())');
    expect(firstFailure('spatial-bn', bad).stage).toBe('rows');
  });

  it('bn-backward: a dx without the mean-of-gradients term is named', () => {
    const bad = mutate(exerciseById('bn-backward').solution, ' + dmu[h] / N));', '));');
    const f = firstFailure('bn-backward', bad);
    expect(f.stage).toBe('dx');
    expect(f.message).toMatch(/mean-of-gradients/);
  });

  it('bn-backward-compact: dropping −Σdy is named', () => {
    const bad = mutate(exerciseById('bn-backward-compact').solution, ' - sumDy[h] - ', ' - ');
    expect(firstFailure('bn-backward-compact', bad).message).toMatch(/mean-of-gradients/);
  });

  it('bn-eval: the momentum in the wrong direction is named', () => {
    const bad = mutate(exerciseById('bn-eval').solution, 'm * v + (1 - m) * batchStat[h]', '(1 - m) * v + m * batchStat[h]');
    expect(firstFailure('bn-eval', bad).message).toMatch(/Keras keeps m of the old value/);
  });

  it('dropout: forgetting the 1/(1 − rate) rescaling is named', () => {
    const bad = mutate(exerciseById('dropout').solution, '1 / (1 - rate) : 0', '1 : 0');
    const f = firstFailure('dropout', bad);
    expect(f.stage).toBe('y');
    expect(f.message).toMatch(/not rescaled/);
  });

  it('dropout: scaling in eval is named', () => {
    const bad = mutate(
      exerciseById('dropout').solution,
      "if (mode === 'eval') return { y: x, mask: null };",
      "if (mode === 'eval') return { y: x.map((r) => r.map((v) => v * (1 - rate))), mask: null };",
    );
    expect(firstFailure('dropout', bad).message).toMatch(/identity/);
  });

  it('l2-adamw: the ½ convention and coupled decay are named', () => {
    const half = mutate(exerciseById('l2-adamw').solution, '2 * l2 * x', 'l2 * x');
    expect(firstFailure('l2-adamw', half).message).toMatch(/2·l2·w/);
    const coupled = mutate(
      mutate(exerciseById('l2-adamw').solution, '(1 - beta1) * g[i])', '(1 - beta1) * (g[i] + weightDecay * w[i]))'),
      '(1 - beta2) * g[i] * g[i])',
      '(1 - beta2) * (g[i] + weightDecay * w[i]) ** 2)',
    );
    const f = firstFailure('l2-adamw', mutate(coupled, 'wi - lr * weightDecay * wi - ', 'wi - '));
    expect(f.message).toMatch(/outside the moments/);
  });

  it('clipping: clipping each tensor by its own norm is named', () => {
    const bad = `function clipByGlobalNorm(grads, maxNorm) {
  let total = 0;
  const out = grads.map((g) => {
    const n = Math.sqrt(g.reduce((s, v) => s + v * v, 0));
    total += n * n;
    return n > maxNorm ? g.map((v) => v * maxNorm / n) : g;
  });
  return { grads: out, norm: Math.sqrt(total) };
}
function clipByValue(grads, limit) {
  return grads.map((g) => g.map((v) => Math.min(limit, Math.max(-limit, v))));
}`;
    const f = firstFailure('clipping', bad);
    expect(f.stage).toMatch(/^grads\[/);
    expect(f.message).toMatch(/global norm/);
  });

  it('a missing function and a throwing function become failed stages with a line', () => {
    expect(firstFailure('bn-forward', 'const x = 1;').message).toMatch(/define a function named batchNormForward/);
    const f = firstFailure('bn-forward', 'function batchNormForward(x) {\n  return x.nope.map(1);\n}');
    expect(f.message).toMatch(/batchNormForward threw: line 2: TypeError/);
  });

  it('a wrong shape is reported with both shapes', () => {
    const f = firstFailure('bn-forward', 'function batchNormForward(x, g, b, e) { return { mu: [1, 2], variance: [], xhat: [], y: [] }; }');
    expect(f.message).toMatch(/expected shape \[5\], received \[2\]/);
  });
});
