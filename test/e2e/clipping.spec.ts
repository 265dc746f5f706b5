/**
 * The gradient-clipping lesson in real Chromium on real MNIST: the clipping trace draws the global
 * norm before and after clipping with the threshold and reports the share of steps clipped (at its
 * default settings the numbers the lesson quotes from our engine), clipping by value shows what it
 * kept of the gradient's length, the training run takes a clip value, and the "does clipping
 * prevent divergence?" experiment — six short runs as the page declares it — shows its verdict only
 * once every run has ended, quoting the numbers its queue shows.
 */
import { expect, test } from './fixtures';

const lesson = 'lessons/gradient-clipping/';

test.describe('lesson 8: the clipping trace', () => {
  test.describe.configure({ timeout: 180_000 });

  test('at its default settings the trace shows the threshold, both norms, and the share of steps the lesson quotes', async ({ page }) => {
    await page.goto(lesson);
    const widget = page.locator('nn-clip-trace');
    await expect(widget.locator('[data-chart-summary="trace"]')).toContainText('No gradient norms measured yet');
    await widget.getByRole('button', { name: 'Start the run' }).click();
    await expect(widget.locator('[data-run-text]')).toContainText('finished', { timeout: 150_000 });
    // The threshold as a rule, the norm before and after clipping as two lines.
    await expect(widget.locator('[data-chart="trace"] g[aria-label="rule"] line')).toHaveCount(1);
    await expect(widget.locator('[data-chart="trace"] g[aria-label="line"] path')).toHaveCount(2);
    const frames = await widget.evaluate((el) => (el as HTMLElement & { frames: unknown[] }).frames.length);
    expect(frames).toBeGreaterThan(2);
    const summary = (await widget.locator('[data-chart-summary="trace"]').textContent()) ?? '';
    test.info().annotations.push({ type: 'trace', description: `${summary} | ${await widget.locator('[data-summary]').textContent()}` });
    // The last frame is the run's last step: the share counts every step, as the lesson's 368 of 471.
    expect(summary).toMatch(
      /^Step 471: global gradient norm [\d.e+-]+ before clipping, [\d.e+-]+ after\. Threshold 1: 78\.1 % of the 471 steps so far were clipped\.$/,
    );
    await expect(widget.locator('[data-summary]')).toHaveText('Validation accuracy after 3 epochs: 88.08 %.');
    // After clipping the norm never exceeds the threshold (float rounding aside).
    const after = [...summary.matchAll(/([\d.e+-]+) after/g)].map((m) => Number(m[1]));
    expect(after[0]).toBeLessThanOrEqual(1 + 1e-3);
  });

  test('clipping by value draws no threshold and says how much of its length the gradient kept', async ({ page }) => {
    await page.goto(`${lesson}?clip.mode=value&clip.threshold=0.01&clip.images=2000&clip.epochs=1`);
    const widget = page.locator('nn-clip-trace');
    await expect(widget.locator('select[name="mode"]')).toHaveValue('value');
    await expect(widget.locator('[data-control="threshold"] output')).toHaveText('0.01');
    await widget.getByRole('button', { name: 'Start the run' }).click();
    await expect(widget.locator('[data-run-text]')).toContainText('finished', { timeout: 150_000 });
    await expect(widget.locator('[data-chart="trace"] g[aria-label="rule"] line')).toHaveCount(0);
    await expect(widget.locator('[data-chart="trace"] g[aria-label="line"] path')).toHaveCount(2);
    const summary = (await widget.locator('[data-chart-summary="trace"]').textContent()) ?? '';
    const kept =
      /clamping every component to ±0\.01\. Median over the recorded steps: the clipped gradient kept ([\d.]+) % of its length\./.exec(
        summary,
      );
    expect(kept, summary).not.toBeNull();
    expect(Number(kept![1])).toBeGreaterThan(0);
    expect(Number(kept![1])).toBeLessThan(100);
    await expect(widget.locator('[data-summary]')).toContainText(/^Validation accuracy after 1 epoch: [\d.]+ %\.$/);
    // The Keras / PyTorch panel follows the run's clipping.
    const panel = widget.locator('nn-framework-code');
    await panel.locator('summary').click();
    await expect(panel.locator('[data-code="keras"]')).toContainText('clipvalue=0.01');
    await expect(panel.locator('[data-code="pytorch"]')).toContainText('clip_grad_value_(model.parameters(), clip_value=0.01)');
  });
});

test.describe('lesson 8: the training run clips by value', () => {
  test('the clip-value control reaches the run configuration, the URL and the framework code', async ({ page }) => {
    await page.goto(lesson);
    const widget = page.locator('nn-training-run[data-key="sgd"]');
    await expect(widget.locator('[data-control="clipValue"] output')).toHaveText('off');
    await widget.locator('input[name="clipValue"]').evaluate((input: HTMLInputElement) => {
      input.value = '-2';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await expect(widget.locator('[data-control="clipValue"] output')).toHaveText('0.01');
    expect(JSON.parse((await widget.getAttribute('data-train-config')) ?? '{}')).toMatchObject({
      clipValue: 0.01,
      clipNorm: null,
      optimizer: 'sgd',
      lr: 2,
    });
    await expect(page).toHaveURL(/sgd\.clipValue=0\.01/);
    const panel = widget.locator('nn-framework-code');
    await panel.locator('summary').click();
    await expect(panel.locator('[data-code="pytorch"]')).toContainText('clip_grad_value_(model.parameters(), clip_value=0.01)');
  });
});

test.describe('lesson 8: does clipping prevent divergence?', () => {
  test.describe.configure({ timeout: 600_000 });

  test('the verdict waits for all six runs and is computed from what they measured', async ({ page }) => {
    await page.goto(lesson);
    const widget = page.locator('nn-experiment[data-plan="clipping-divergence"]');
    await widget.scrollIntoViewIfNeeded();
    await expect(widget.locator('[data-queue] li')).toHaveCount(6);
    await expect(widget.locator('[data-verdict]')).toHaveAttribute('data-outcome', 'pending');
    await widget.evaluate((el) => {
      const seen: { outcome: string; states: string[] }[] = [];
      (el as HTMLElement & { seen: typeof seen }).seen = seen;
      const verdict = el.querySelector<HTMLElement>('[data-verdict]')!;
      new MutationObserver(() =>
        seen.push({
          outcome: verdict.dataset.outcome ?? '',
          states: [...el.querySelectorAll<HTMLElement>('[data-queue] li')].map((li) => li.dataset.state ?? ''),
        }),
      ).observe(verdict, {
        childList: true,
        characterData: true,
        subtree: true,
        attributes: true,
      });
    });
    await widget.getByRole('button', { name: 'Start the experiment' }).click();
    await expect(widget.locator('[data-verdict]')).not.toHaveAttribute('data-outcome', 'pending', { timeout: 540_000 });
    await expect(widget.getByRole('button', { name: 'Start the experiment' })).toBeEnabled();
    const seen = await widget.evaluate((el) => (el as HTMLElement & { seen: { outcome: string; states: string[] }[] }).seen);
    expect(seen.length).toBeGreaterThan(0);
    for (const s of seen) expect(s.outcome === 'pending').toBe(s.states.some((st) => st === 'pending' || st === 'running'));

    const entries = await widget.locator('[data-queue] li').evaluateAll((items) =>
      items.map((li) => ({
        key: li.querySelector('.entry-name')?.textContent ?? '',
        state: (li as HTMLElement).dataset.state ?? '',
        text: li.querySelector('[data-entry-state]')?.textContent ?? '',
      })),
    );
    const verdict = (await widget.locator('[data-verdict]').textContent()) ?? '';
    const outcome = (await widget.locator('[data-verdict]').getAttribute('data-outcome')) ?? '';
    test.info().annotations.push({ type: 'verdict', description: `${verdict} | ${entries.map((e) => `${e.key}: ${e.text}`).join('; ')}` });

    // Each setting's pair as the queue shows it: a run that blew up failed with 'diverged', the others ended with an accuracy.
    const shown = (key: string) => {
      const e = entries.find((x) => x.key === key);
      if (!e) throw new Error(`no queue entry '${key}' in ${JSON.stringify(entries)}`);
      if (e.state === 'failed' && e.text.startsWith('failed: diverged')) return 'diverged';
      const m = /^done: ([\d.]+) %/.exec(e.text);
      if (!m) throw new Error(`'${key}' neither diverged nor finished: ${e.text}`);
      return `${Number(m[1]).toFixed(1)} %`;
    };
    const pairs = ['SGD lr 2', 'SGD lr 10', 'Adam lr 1'].map((s) => ({ setting: s, plain: shown(s), clipped: shown(`${s}, clipped`) }));
    // The verdict quotes exactly those outcomes (one decimal; below 50 % marked near chance).
    const said = (v: string) => (v === 'diverged' ? v : `${v}${parseFloat(v) > 50 ? '' : ' (near chance)'}`);
    for (const p of pairs) expect(verdict).toContain(`${p.setting}: ${said(p.plain)} / ${said(p.clipped)}`);
    // And its rule, applied to those outcomes: blow-ups without clipping that clipping prevented or not.
    const blewUp = pairs.filter((p) => p.plain === 'diverged');
    const prevented = blewUp.filter((p) => p.clipped !== 'diverged');
    const expected =
      blewUp.length === 0 || prevented.length === 0
        ? 'does not hold here'
        : prevented.length === blewUp.length
          ? 'holds'
          : 'holds only when';
    expect(outcome).toBe(expected);
    expect(verdict).toMatch(/^Verdict: /);
  });
});
