/**
 * Code cells, timed (the `perf` project runs this alone, after the others): main-thread long tasks
 * (> 50 ms, PerformanceObserver 'longtask') while a cell's endless loop runs in its worker until
 * the page stops it, and while the editor loads and mounts; the editor's download size. Reported,
 * not asserted.
 */
import { gzipSync } from 'node:zlib';
import { expect, test } from './fixtures.ts';
import { report, watchLongTasks } from './training-page.ts';

const longTasks = (page: import('@playwright/test').Page) =>
  page.evaluate(() => (window as unknown as { longTasks: { duration: number }[] }).longTasks.map((t) => Math.round(t.duration)));

test('code cells: main-thread long tasks during an endless loop and while the editor loads; the editor size', async ({ page }) => {
  await page.addInitScript(() => {
    // Init scripts run in every frame, the code-cell sandbox's too, where storage is refused.
    if (window.origin !== 'null') localStorage.setItem('normlab.code-cell.bn-forward', 'let i = 0;\nwhile (true) { i++; }\n');
  });
  await page.goto('lessons/the-bn-transform/');
  await page.waitForLoadState('networkidle');
  const c = page.locator('nn-code-cell[data-exercise="bn-forward"]');
  await expect(c).toHaveAttribute('data-ready', '');

  await watchLongTasks(page);
  const response = page.waitForResponse((r) => /\/_astro\/editor\.[^/]+\.js$/.test(r.url()));
  await c.scrollIntoViewIfNeeded();
  const body = await (await response).body();
  await expect(c.locator('.cm-editor')).toBeVisible();
  await page.waitForTimeout(300);
  const editorTasks = await longTasks(page);
  report(
    'code-cell',
    `editor chunk: ${(body.length / 1024).toFixed(0)} KB, ${(gzipSync(body, { level: 9 }).length / 1024).toFixed(0)} KB gzip; main-thread tasks over 50 ms while it loaded and mounted: ${editorTasks.length ? `${editorTasks.join(', ')} ms` : 'none'}`,
  );

  await watchLongTasks(page);
  const started = Date.now();
  await c.getByRole('button', { name: 'Run' }).click();
  await expect(c.locator('.code-cell-error')).toContainText('stopped after 5 s', { timeout: 15_000 });
  const seconds = (Date.now() - started) / 1000;
  const loopTasks = await longTasks(page);
  report(
    'code-cell',
    `endless loop stopped after ${seconds.toFixed(1)} s (limit 5 s); main-thread tasks over 50 ms meanwhile: ${loopTasks.length ? `${loopTasks.join(', ')} ms` : 'none'}`,
  );
});
