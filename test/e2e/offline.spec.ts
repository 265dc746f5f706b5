/**
 * Offline after a first visit (public/sw.js, precache list from scripts/precache.ts), at the root
 * and under /course/: with the browser context offline, a lesson reloads, trains (the manifest
 * from the service worker's cache, the data from the worker's Cache Storage) and search finds
 * lessons; a lesson never opened before opens too. A redeploy (a new precache version) replaces
 * the stored copy.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** The name of the cache the service worker counts complete: it holds precache.json, written last. */
async function precached(page: Page, baseURL: string): Promise<string> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  let name = '';
  await expect
    .poll(
      async () => {
        name = await page.evaluate(async (marker) => {
          for (const key of await caches.keys())
            if (key.startsWith('normlab-site-') && (await caches.match(marker, { cacheName: key }))) return key;
          return '';
        }, new URL('precache.json', baseURL).href);
        return name;
      },
      { timeout: 30_000 },
    )
    .not.toBe('');
  return name;
}

test(
  'after a first visit the course reloads, trains and searches offline',
  { tag: '@base-path' },
  async ({ page, context, problems, baseURL }) => {
    test.setTimeout(180_000);
    problems.allow(/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::ERR_FAILED/);
    await page.goto('lessons/train-it-yourself/?run.images=1000&run.epochs=1');
    const widget = page.locator('nn-training-run');
    await widget.locator('button[data-action="start"]').click();
    await expect(widget).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
    await precached(page, baseURL as string);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    await context.setOffline(true);
    await page.reload();
    await expect(page.locator('h1')).toContainText('Train it yourself');
    await page.locator('nn-training-run button[data-action="start"]').click();
    await expect(page.locator('nn-training-run')).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });

    await page.goto('search/?q=covariate');
    await expect(page.locator('[data-results] li a').first()).toBeVisible();
    await page.locator('[data-results] li > a', { hasText: 'Why normalize?' }).click();
    await expect(page.locator('h1')).toHaveText('Why normalize?');
    await expect(page.locator('.katex').first()).toBeVisible();
    await context.setOffline(false);
  },
);

test(
  'a redeploy (new precache version) is stored completely, then the old copy is deleted',
  { tag: '@base-path' },
  async ({ page, context, baseURL }) => {
    await page.goto('');
    const first = await precached(page, baseURL as string);
    const original = await (await page.request.get('precache.json')).json();
    await context.route('**/precache.json', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ...original, version: 'redeployed0000000' }) }),
    );
    await page.reload();
    await expect.poll(() => page.evaluate(() => caches.keys()), { timeout: 30_000 }).toContain('normlab-site-redeployed0000000');
    await expect.poll(() => page.evaluate(() => caches.keys())).not.toContain(first);
  },
);
