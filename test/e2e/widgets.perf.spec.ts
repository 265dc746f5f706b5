/**
 * Redraw time of the concept widgets: from an input event (the slider moved one step, as a key
 * press does) to the charts, formula and summary replaced. Runs in the `perf` project, alone and
 * last, so the numbers are not shared with other tests; reported, not asserted (the target is
 * 16 ms per update; the load average says how busy the machine was).
 */
import { loadavg } from 'node:os';
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';

const lesson = {
  bn: 'lessons/the-bn-transform/',
  space: 'lessons/why-normalize/',
  stats: 'lessons/train-vs-eval/',
  grad: 'lessons/backprop-through-bn/',
};

/** Time from a keyboard-driven input event to the chart being replaced, measured in the page. */
async function measureRedraws(widget: Locator, slider: string, key: string, count: number): Promise<number[]> {
  return widget.evaluate(
    async (el, { slider, key, count }) => {
      const input = el.querySelector<HTMLInputElement>(`input[name="${slider}"]`)!;
      const times: number[] = [];
      for (let i = 0; i < count; i++) {
        const before = performance.now();
        // Same path as a key press: the browser moves the thumb, then fires `input`.
        if (key === 'ArrowRight') input.stepUp();
        else input.stepDown();
        input.dispatchEvent(new Event('input', { bubbles: true }));
        times.push(performance.now() - before);
        await new Promise((r) => requestAnimationFrame(() => r(null)));
      }
      return times;
    },
    { slider, key, count },
  );
}

/** Median, p90 and max, with the machine's load average (the numbers mean little on a busy machine). */
function summarizeTimes(times: number[]): string {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);
  const load = loadavg()[0].toFixed(1);
  return `n=${times.length} median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${sorted[sorted.length - 1].toFixed(2)} ms (load average ${load})`;
}

async function setSlider(widget: Locator, name: string, value: string): Promise<void> {
  await widget.locator(`input[name="${name}"]`).evaluate((el: HTMLInputElement, v) => {
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

test.describe('redraw time', () => {
  test('BN explorer: γ, ε and x₁ sliders at batch sizes 32 and 256', async ({ page }) => {
    await page.goto(lesson.bn);
    const widget = page.locator('nn-bn-explorer').first();
    await expect(widget.locator('[data-chart="y"] svg')).toBeVisible();
    const report: string[] = [];
    for (const slider of ['gamma', 'eps', 'shift']) {
      const times = await measureRedraws(widget, slider, 'ArrowRight', 20);
      report.push(`bn-explorer ${slider} (m=32, default): ${summarizeTimes(times)}`);
    }
    await setSlider(widget, 'n', '256');
    for (const slider of ['gamma', 'eps', 'shift']) {
      const times = await measureRedraws(widget, slider, 'ArrowRight', 20);
      report.push(`bn-explorer ${slider} (m=256): ${summarizeTimes(times)}`);
    }
    for (const line of report) test.info().annotations.push({ type: 'redraw', description: line });
    console.log(report.join('\n'));
  });

  test('mini-batches in space: the normalization slider with 4×32 and 6×128 points', async ({ page }) => {
    await page.goto(lesson.space);
    const widget = page.locator('nn-batches-in-space').first();
    await expect(widget.locator('[data-chart="space"] svg')).toBeVisible();
    const defaults = await measureRedraws(widget, 't', 'ArrowRight', 20);
    const first = `batches-in-space t (4×32 points, default): ${summarizeTimes(defaults)}`;
    test.info().annotations.push({ type: 'redraw', description: first });
    console.log(first);
    await setSlider(widget, 't', '0');
    await setSlider(widget, 'size', '128');
    await setSlider(widget, 'batches', '6');
    const times = await measureRedraws(widget, 't', 'ArrowRight', 20);
    const line = `batches-in-space t (6×128 points): ${summarizeTimes(times)}`;
    test.info().annotations.push({ type: 'redraw', description: line });
    console.log(line);
  });

  test('running statistics: the step slider (charts only) and ρ (a new batch stream) at 1,000 and 3,000 steps', async ({ page }) => {
    await page.goto(lesson.stats);
    const widget = page.locator('nn-running-stats').first();
    await expect(widget.locator('[data-chart="mean"] svg')).toBeVisible();
    const report: string[] = [];
    for (const slider of ['at', 'rho'])
      report.push(
        `running-stats ${slider} (1,000 steps, m=32, default): ${summarizeTimes(await measureRedraws(widget, slider, 'ArrowRight', 20))}`,
      );
    await widget.locator('select[name="steps"]').selectOption('3000');
    await setSlider(widget, 'n', '256');
    for (const slider of ['at', 'rho'])
      report.push(`running-stats ${slider} (3,000 steps, m=256): ${summarizeTimes(await measureRedraws(widget, slider, 'ArrowLeft', 20))}`);
    for (const line of report) test.info().annotations.push({ type: 'redraw', description: line });
    console.log(report.join('\n'));
  });

  test('BN gradient: the batch-size slider (engine forward and backward plus 2m reference forwards)', async ({ page }) => {
    await page.goto(lesson.grad);
    const widget = page.locator('nn-bn-gradient').first();
    await expect(widget.locator('[data-chart="dx"] svg')).toBeVisible();
    await setSlider(widget, 'n', '2');
    const line = `bn-gradient n (2 to 16): ${summarizeTimes(await measureRedraws(widget, 'n', 'ArrowRight', 14))}`;
    test.info().annotations.push({ type: 'redraw', description: line });
    console.log(line);
  });
});
