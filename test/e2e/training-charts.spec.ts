/**
 * The Training-run widget as a reader looks at it: charts as wide as their box with an intentional
 * empty state and hover values, the download on its own bar with its compressed size, a diverged
 * run's explosion drawn, saved runs overlaid for comparison, deletion with undo, live changes on
 * one step sharing one mark, and no sideways scroll on a phone once the epoch table is shown.
 */
import { expect, test } from './fixtures';
import { open, record } from './training-page';

test.describe('Training run charts and history', () => {
  test('before a run the charts fill their boxes and say so; hovering a finished run shows values', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const widget = await open(page, '?run.images=1000&run.epochs=1&run.norm=none');
    const loss = widget.locator('[data-chart="loss"]');
    await expect(loss.locator('svg')).toContainText('No run yet: press Start');
    const box = await loss.boundingBox();
    const svg = await loss.locator('svg').boundingBox();
    expect(svg!.width).toBeGreaterThan(box!.width - 10);
    expect(svg!.width).toBeGreaterThan(300);

    await widget.locator('button[data-action="start"]').click();
    await expect(widget.locator('[data-download]')).toBeVisible();
    await expect(widget.locator('[data-status]')).toContainText(
      /Downloading the MNIST data: \d+\.\d of 11\.\d MB \(\d+ %\)|Training|Starting/,
    );
    await expect(widget).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
    await expect(widget.locator('[data-download]')).toBeHidden();
    await expect(widget.locator('[data-progress]')).toHaveJSProperty('value', 1);

    // Hover until the tip shows (a last redraw after the end may replace the chart once).
    // A short run has few points: hover the validation dot (the tip shows within 40 px of a point).
    await expect(async () => {
      await loss.scrollIntoViewIfNeeded();
      const dot = await loss.locator('g[aria-label="dot"] circle').first().boundingBox();
      await page.mouse.move(dot!.x - 30, dot!.y + 20);
      await page.mouse.move(dot!.x + dot!.width / 2, dot!.y + dot!.height / 2, { steps: 5 });
      await expect(loss.locator('g[aria-label="tip"] text').first()).toContainText(/epoch|loss|training/, { timeout: 1000 });
    }).toPass({ timeout: 15_000 });

    // The keyboard reaches the same values: focus the chart, End moves to the last point.
    await page.mouse.move(0, 0);
    const svgEl = loss.locator('svg[data-tips]');
    await svgEl.focus();
    await page.keyboard.press('End');
    await expect(loss.locator('g[aria-label="tip"] text').first()).toContainText(/epoch|loss|training|validation/);
    await page.keyboard.press('Escape');
    await expect(loss.locator('g[aria-label="tip"] text')).toHaveCount(0);
  });

  test('a diverged run draws the explosion with the loss that stopped it', async ({ page }) => {
    const widget = await open(page, '?run.lr=10&run.images=2000');
    await widget.locator('button[data-action="start"]').click();
    await expect(widget).toHaveAttribute('data-state', 'diverged', { timeout: 30_000 });
    await expect(widget.locator('[data-chart="loss"] g.explosion').first()).toBeAttached();
    await expect(widget.locator('[data-chart="loss"] svg')).toContainText(/loss (NaN|∞|\d\.\de\+\d+)/);
  });

  test('a saved run is overlaid next to another, and a deleted run comes back with Undo', { tag: '@base-path' }, async ({ page }) => {
    test.setTimeout(120_000);
    const widget = await open(page, '?run.images=1000&run.epochs=1&run.norm=none');
    await widget.locator('button[data-action="start"]').click();
    await expect(widget).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
    await widget.locator('select[name="norm"]').selectOption('batch');
    await widget.locator('button[data-action="start"]').click();
    await expect(widget).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });

    const items = widget.locator('[data-history] li');
    await expect(items).toHaveCount(2);
    const older = items.filter({ hasText: 'no BN' });
    const overlay = older.locator('button[data-history-action="overlay"]');
    await overlay.click();
    await expect(overlay).toHaveAttribute('aria-pressed', 'true');
    await expect(widget.locator('[data-chart="loss"] g.overlay').first()).toBeAttached();
    await expect(widget.locator('[data-chart-summary="loss"]')).toContainText('Compared with: no BN');
    expect((await record(widget))!.config.norm).toBe('batch'); // the run on screen is still the BN one

    await older.locator('button[data-history-action="delete"]').click();
    await expect(items).toHaveCount(1);
    await expect(widget.locator('[data-undo]')).toContainText('Deleted “no BN');
    await expect(widget.locator('[data-chart="loss"] g.overlay')).toHaveCount(0);
    await widget.locator('button[data-action="undo-delete"]').click();
    await expect(items).toHaveCount(2);
    await expect(widget.locator('[data-undo]')).toBeHidden();
  });

  test('on a phone the finished run, its epoch table and the history do not scroll the page sideways', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    const widget = await open(page, '?run.images=1000&run.epochs=1&run.norm=none');
    await widget.locator('button[data-action="start"]').click();
    await expect(widget).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
    await expect(widget.locator('[data-epochs]')).toBeVisible();
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.scrollingElement!.scrollWidth,
      clientWidth: document.scrollingElement!.clientWidth,
    }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
  });
});
