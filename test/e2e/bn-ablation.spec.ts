/**
 * Lesson 10's "BN taken apart" in real Chromium on real MNIST: each ablation experiment trains its
 * five short runs as the page declares them (no BN, full BN, centering only, scaling only, γ and β
 * frozen; 4,000 images, 1 epoch), shows "pending" while any run goes, and then a verdict that
 * quotes the validation accuracies its queue shows and follows its rule from the numbers it quotes.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { expectNoEarlyVerdict, runExperiment, valueOf } from './experiment-run';

const lesson = 'lessons/bn-vs-none/';
const arms = ['no BN', 'full BN', 'centering only', 'scaling only', 'γ, β frozen'];

/** Runs one plan and returns its quoted accuracies (in %, by arm label) and the outcome shown. */
async function runAblation(page: Page, name: string) {
  await expect(page.locator(`nn-experiment[data-plan="${name}"] [data-queue] li`)).toHaveCount(arms.length);
  const run = await runExperiment(page, name);
  expect(run.entries.map((e) => e.state)).toEqual(arms.map(() => 'done'));
  expectNoEarlyVerdict(run.seen);
  const quoted =
    /Validation accuracy: no BN ([\d.]+) %, full BN ([\d.]+) %, centering only ([\d.]+) %, scaling only ([\d.]+) %, γ, β frozen ([\d.]+) %\./.exec(
      run.verdict,
    );
  expect(quoted, run.verdict).not.toBeNull();
  const acc = Object.fromEntries(arms.map((arm, i) => [arm, Number(quoted![i + 1])]));
  // The verdict quotes the numbers the queue shows.
  for (const arm of arms) expect(acc[arm], arm).toBeCloseTo(valueOf(run.entries, arm), 1);
  return { acc, outcome: run.outcome, verdict: run.verdict };
}

/** The plan's rule (src/experiments/bn-ablation.ts) on the quoted numbers; null when a number sits on a threshold (two-decimal rounding). */
function expectedOutcome(acc: Record<string, number>): string | null {
  const full = acc['full BN'];
  const near = (a: number, b: number) => Math.abs(a - b) < 0.006;
  if (near(full, acc['no BN'] + 5)) return null;
  if (full < acc['no BN'] + 5) return 'does not hold here';
  const parts = ['centering only', 'scaling only', 'γ, β frozen'];
  if (parts.some((p) => near(acc[p], full - 2))) return null;
  const [center, scale, frozen] = parts.map((p) => acc[p] >= full - 2);
  return frozen && !center && !scale ? 'holds' : 'does not hold here';
}

test.describe('lesson 10: BN taken apart', () => {
  test.describe.configure({ timeout: 300_000 });

  for (const name of ['bn-ablation', 'bn-ablation-relu']) {
    test(`${name}: the verdict waits for all five runs, quotes their accuracies and follows its rule from them`, async ({ page }) => {
      await page.goto(lesson);
      const { acc, outcome, verdict } = await runAblation(page, name);
      // Full BN trains the deep network in one epoch; without BN it stays near chance.
      expect(acc['full BN'], verdict).toBeGreaterThan(80);
      expect(acc['no BN'], verdict).toBeLessThan(30);
      const expected = expectedOutcome(acc);
      if (expected !== null) expect(outcome, verdict).toBe(expected);
    });
  }
});
