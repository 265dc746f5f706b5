/**
 * The claims lesson's claims 1 (internal covariate shift) and 9 (brightness and contrast) in real
 * Chromium on real MNIST, each with its plan's short configuration: the verdict stays pending while
 * any run goes (and, for claim 8, until every trained model has been tested on the changed images),
 * and the verdict that appears follows its stated rule from the numbers it quotes.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { runExperiment as runShared } from './experiment-run';

const lesson = 'lessons/claims-on-trial/';

/** Starts one experiment and waits for its verdict; no verdict may show while a run is pending or running. */
async function runExperiment(page: Page, name: string) {
  const run = await runShared(page, name);
  expect(run.seen.length).toBeGreaterThan(0);
  for (const s of run.seen) if (s.states.some((st) => st === 'pending' || st === 'running')) expect(s.outcome).toBe('pending');
  return { ...run, states: run.entries.map((e) => e.state) };
}

test.describe('BN’s promised benefits: claims 1 and 9 on trial', () => {
  test.describe.configure({ timeout: 600_000 });

  test('claim 1, covariate shift: the verdict compares the recorded drift of Dense layer 3’s input by its rule', async ({ page }) => {
    await page.goto(lesson);
    const { states, verdict, outcome } = await runExperiment(page, 'covariate-shift');
    expect(states).toEqual(['done', 'done']);
    const m =
      /without BN mean ([\d.-]+) → ([\d.-]+), standard deviation ([\d.]+) → ([\d.]+) \(steps 1 → (\d+); drift ([\d.]+)\); with BN mean ([\d.-]+) → ([\d.-]+), standard deviation ([\d.]+) → ([\d.]+) \(steps 1 → (\d+); drift ([\d.]+)\)/.exec(
        verdict,
      );
    expect(m, verdict).not.toBeNull();
    const [m0, mT, s0, sT, stepsNone, driftNone, b0, bT, bs0, bsT, stepsBn, driftBn] = m!.slice(1).map(Number);
    // The drift quoted is the larger relative move of the quoted mean and spread (to the rounding of two decimals).
    expect(Math.abs(driftNone - Math.max(Math.abs(mT - m0), Math.abs(sT - s0)) / s0)).toBeLessThan(0.1);
    expect(Math.abs(driftBn - Math.max(Math.abs(bT - b0), Math.abs(bsT - bs0)) / bs0)).toBeLessThan(0.1);
    expect(stepsNone).toBeGreaterThan(1);
    expect(stepsBn).toBeGreaterThan(1);
    // Right after the first step BN hands the ReLU standard-normal-like inputs: mean ≈ 0.40, spread ≈ 0.58.
    expect(b0).toBeCloseTo(0.4, 1);
    expect(bs0).toBeCloseTo(0.58, 1);
    if (Math.abs(driftBn - driftNone / 2) > 0.02) expect(outcome).toBe(driftBn < driftNone / 2 ? 'holds' : 'does not hold here');
  });

  test('claim 1, noise injection: three models train, and the verdict follows the share of BN’s lead the noisy model keeps', async ({
    page,
  }) => {
    await page.goto(lesson);
    const { states, verdict, outcome } = await runExperiment(page, 'noisy-bn');
    expect(states).toEqual(['done', 'done', 'done']);
    const m = /no BN ([\d.]+) %, BN ([\d.]+) %, BN followed by noise ([\d.]+) %/.exec(verdict);
    expect(m, verdict).not.toBeNull();
    const [none, bn, noisy] = m!.slice(1).map(Number);
    const queue = await page.locator('nn-experiment[data-plan="noisy-bn"] [data-queue] li [data-entry-state]').allTextContents();
    expect(queue.map((t) => Number(/^done: ([\d.]+) %/.exec(t)?.[1]))).toEqual([none, bn, noisy].map((v) => expect.closeTo(v, 0)));
    const kept = (noisy - none) / (bn - none);
    if (bn - none > 1.1 && Math.abs(kept - 0.5) > 0.02) expect(outcome).toBe(kept > 0.5 ? 'holds' : 'does not hold here');
  });

  test('claim 9, brightness and contrast: every trained model is tested on the changed images, and the verdict follows the mean accuracy lost', async ({
    page,
  }) => {
    await page.goto(lesson);
    const { states, verdict, outcome } = await runExperiment(page, 'intensity-robustness');
    expect(states).toEqual(['done', 'done']);
    const changes = ['contrast ×0.5', 'contrast ×2', 'brightness +0.2', 'brightness +0.4'];
    const changed = /Changed: without BN (.*?); with BN (.*?)\. Mean loss/.exec(verdict);
    expect(changed, verdict).not.toBeNull();
    const accuracies = (list: string) =>
      changes.map((c) =>
        Number(
          list
            .split(', ')
            .find((part) => part.startsWith(`${c} `))
            ?.slice(c.length + 1)
            .replace(' %', '') ?? NaN,
        ),
      );
    const unchanged = /Unchanged test images: ([\d.]+) % without BN, ([\d.]+) % with BN/.exec(verdict);
    expect(unchanged, verdict).not.toBeNull();
    const none = accuracies(changed![1]);
    const bn = accuracies(changed![2]);
    expect([...none, ...bn].every(Number.isFinite), verdict).toBe(true);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const dropNone = Number(unchanged![1]) - mean(none);
    const dropBn = Number(unchanged![2]) - mean(bn);
    const quoted = /Mean loss: ([\d.-]+) points without BN, ([\d.-]+) points with BN \(([\d.-]+) points if BN used each test batch/.exec(
      verdict,
    );
    expect(quoted, verdict).not.toBeNull();
    expect(Math.abs(Number(quoted![1]) - dropNone)).toBeLessThan(0.2);
    expect(Math.abs(Number(quoted![2]) - dropBn)).toBeLessThan(0.2);
    // A brightness shift hurts both models with running statistics; with each batch's own statistics BN loses far less.
    expect(none[3]).toBeLessThan(Number(unchanged![1]) - 10);
    expect(Number(quoted![3])).toBeLessThan(Number(quoted![2]));
    if (Math.abs(dropNone - dropBn - 1) > 0.2) expect(outcome).toBe(dropBn < dropNone - 1 ? 'holds' : 'does not hold here');
  });
});
