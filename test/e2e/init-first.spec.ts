/**
 * Lesson 1's initialization experiment in real Chromium on real MNIST: four short runs of a deep
 * tanh network started four ways. The verdict quotes each run's first loss and saturation from
 * its first step and the validation accuracy the queue shows, and follows its rule from them.
 */
import { expect, test } from './fixtures';
import { expectNoEarlyVerdict, runExperiment, valueOf } from './experiment-run';

test('fix the initialization first: the verdict quotes each start and decides by its rule from the numbers it quotes', async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto('lessons/why-normalize/');
  const { seen, entries, verdict, outcome } = await runExperiment(page, 'init-first');
  expect(entries.map((e) => e.state)).toEqual(['done', 'done', 'done', 'done']);
  expectNoEarlyVerdict(seen);
  const arms = ['Glorot ×3', 'Glorot', 'He normal', 'Glorot ×3 \\+ BN'];
  const [careless, glorot, he, bn] = arms.map((arm) => {
    const m = new RegExp(
      `(?:\\. |; )${arm}: first loss ([\\d.]+), ([\\d.]+) % of tanh outputs saturated \\(by layer ((?:[\\d.]+, ){3}[\\d.]+) %\\), validation ([\\d.]+) %`,
    ).exec(verdict);
    expect(m, `${arm} in: ${verdict}`).not.toBeNull();
    const [loss, saturated, , validation] = m!.slice(1).map(Number);
    // The mean over the four hidden layers is the one the rule reads.
    const layers = m![3].split(', ').map(Number);
    expect(layers.reduce((a, b) => a + b, 0) / 4).toBeCloseTo(saturated, 0);
    expect(validation).toBeCloseTo(valueOf(entries, arm.replace('\\', '')), 1);
    return { loss, saturated, validation };
  });
  expect(verdict).toContain('ln 10 = 2.30.');
  // BN renormalizes every hidden layer's input: the careless scale's saturation drops with it.
  expect(bn.saturated).toBeLessThan(careless.saturated);
  // He's gain is √2 × Glorot's: larger logits at the start, so a higher first loss.
  expect(he.loss).toBeGreaterThan(glorot.loss);
  const sound = (s: { loss: number; saturated: number }) => Math.abs(s.loss - Math.log(10)) <= 0.5 && s.saturated <= 10;
  const borderline = [careless, glorot].some(
    (s) => Math.abs(Math.abs(s.loss - Math.log(10)) - 0.5) < 0.01 || Math.abs(s.saturated - 10) < 0.1,
  );
  if (!borderline && Math.abs(bn.validation - glorot.validation - 1) > 0.01) {
    const expected =
      !sound(glorot) || sound(careless) ? 'does not hold here' : bn.validation - glorot.validation <= 1 ? 'holds' : 'holds only when';
    expect(outcome).toBe(expected);
  }
});

test('on ReLU: the verdict quotes each start’s spreads by layer and decides by its rule from the ratio it quotes', async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto('lessons/why-normalize/');
  const { seen, entries, verdict, outcome } = await runExperiment(page, 'init-first-relu');
  expect(entries.map((e) => e.state)).toEqual(['done', 'done', 'done']);
  expectNoEarlyVerdict(seen);
  const [glorot, he, bn] = ['Glorot', 'He normal', 'Glorot \\+ BN'].map((arm) => {
    const m = new RegExp(
      `(?:— |; )${arm}: spread of the ReLU outputs by layer ((?:[\\d.]+, ){3}[\\d.]+) \\(last ÷ first ([\\d.]+)\\), validation ([\\d.]+) %`,
    ).exec(verdict);
    expect(m, `${arm} in: ${verdict}`).not.toBeNull();
    const spreads = m![1].split(', ').map(Number);
    const kept = Number(m![2]);
    expect(kept).toBeCloseTo(spreads[3] / spreads[0], 1);
    expect(Number(m![3])).toBeCloseTo(valueOf(entries, arm.replace('\\', '')), 1);
    return { spreads, kept };
  });
  // BN before each ReLU gives every layer's outputs the same spread.
  expect(Math.max(...bn.spreads) / Math.min(...bn.spreads)).toBeLessThan(1.2);
  if (Math.abs(he.kept - 0.5) > 0.01 && Math.abs(glorot.kept - 0.5) > 0.01)
    expect(outcome).toBe(he.kept >= 0.5 && glorot.kept < 0.5 ? 'holds' : 'does not hold here');
});
