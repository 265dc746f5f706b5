/**
 * The whole site, as built: every page loads cleanly, every internal link and asset resolves
 * (under the root and under /course/), math is rendered with self-hosted fonts, the theme toggle,
 * the 404 page, print styles and the no-JavaScript reading all work.
 */
import type { Page } from '@playwright/test';
import { crawlSite, expect, hrefs, test, visitInTabs } from './fixtures';

test(
  'every page loads with no console error, and every link and asset on it resolves',
  { tag: '@base-path' },
  async ({ page, request, baseURL, basePath, problems }) => {
    // A limit, not a wait: 55 pages, each to network idle, took over 2 min at a load average of 30.
    test.setTimeout(300_000);
    const pages = await crawlSite(request, baseURL!);
    expect(pages).toEqual(expect.arrayContaining(['', 'search/', 'embed/', 'lessons/why-normalize/', 'lessons/the-bn-transform/']));
    const checked = new Map<string, number>();
    const visit = async (tab: Page, path: string) => {
      const response = await tab.goto(path);
      expect(response?.status(), `status of ${path}`).toBe(200);
      await tab.waitForLoadState('networkidle');
      const html = await tab.content();
      const targets = await tab.evaluate(() => [
        ...[...document.querySelectorAll<HTMLLinkElement>('link[href]')].map((l) => l.href),
        ...[...document.querySelectorAll<HTMLScriptElement>('script[src]')].map((s) => s.src),
        ...[...document.querySelectorAll<HTMLImageElement>('img[src]')].map((i) => i.src),
      ]);
      for (const href of hrefs(html)) {
        const url = new URL(href, tab.url());
        if (url.protocol !== 'http:' || url.origin !== new URL(tab.url()).origin) continue;
        expect(url.pathname.startsWith(basePath), `${href} on ${path} stays under ${basePath}`).toBe(true);
        if (url.hash && url.pathname === new URL(tab.url()).pathname) {
          const id = decodeURIComponent(url.hash.slice(1));
          expect(await tab.locator(`[id="${id}"]`).count(), `anchor ${url.hash} on ${path}`).toBe(1);
        }
        url.hash = '';
        targets.push(url.toString());
      }
      for (const target of targets) {
        if (checked.has(target)) continue;
        checked.set(target, 0);
        const status = (await request.get(target, { maxRedirects: 0 })).status();
        checked.set(target, status);
        expect(status, `${target} (linked from /${path})`).toBe(200);
      }
    };
    await visitInTabs(page, problems, pages, visit);
    test
      .info()
      .annotations.push({ type: 'crawl', description: `${pages.length} pages, ${checked.size} distinct links and assets checked` });
  },
);

test('lesson math is rendered by KaTeX at build time with self-hosted fonts', async ({ page }) => {
  await page.goto('lessons/the-bn-transform/');
  const math = page.locator('.lesson-body .katex');
  expect(await math.count()).toBeGreaterThan(3);
  await expect(page.locator('.katex-error')).toHaveCount(0);
  await expect(page.locator('.lesson-body .katex-display').first()).toBeVisible();
  const fontsLoaded = await page.evaluate(async () => {
    await document.fonts.ready;
    await document.fonts.load('16px KaTeX_Main');
    return [...document.fonts].filter((f) => f.family.includes('KaTeX') && f.status === 'loaded').length;
  });
  expect(fontsLoaded).toBeGreaterThan(0);
});

test('the course home lists the learning path in order, with previous/next links along it', async ({ page }) => {
  await page.goto('');
  const titles = await page.locator('.path-step h3 a').allTextContents();
  expect(titles.length).toBeGreaterThanOrEqual(6);
  expect(titles[0]).toBe('Why normalize?');
  await page.locator('.path-step h3 a').first().click();
  await expect(page.locator('h1')).toHaveText('Why normalize?');
  await expect(page.locator('.lesson-toc a').first()).toBeVisible();
  await page.locator('.lesson-pager a[rel="next"]').click();
  await expect(page.locator('h1')).toHaveText(titles[1]);
  await page.locator('.lesson-pager a[rel="prev"]').click();
  await expect(page.locator('h1')).toHaveText(titles[0]);
});

test('a missing page answers 404 with a page whose links work', { tag: '@base-path' }, async ({ page, problems }) => {
  problems.allow(/HTTP 404: .*no-such-lesson/);
  problems.allow(/Failed to load resource: the server responded with a status of 404/);
  const response = await page.goto('lessons/no-such-lesson/deeper/');
  expect(response?.status()).toBe(404);
  await expect(page.locator('h1')).toHaveText('Page not found');
  await page.getByRole('link', { name: 'Go to the course home' }).click();
  await expect(page.locator('h1')).toHaveText('NormLab');
});

test('the theme toggle switches to dark mode, charts follow, and the choice survives a reload', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('lessons/the-bn-transform/');
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'light');
  const bars = () => page.locator('nn-bn-explorer [data-chart="x"] svg g.bars').getAttribute('fill');
  const lightFill = await bars();
  expect(lightFill).toBe('#2b63c6');
  const toggle = page.locator('.site-header [data-theme-toggle]');
  await expect(toggle).toHaveAccessibleName('Switch to dark mode');
  await toggle.click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(toggle).toHaveAccessibleName('Switch to light mode');
  await expect.poll(bars).toBe('#79a8ff');
  const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  expect(background).toBe('rgb(17, 20, 24)');
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
});

test('dark mode follows the system preference when the reader has not chosen', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
});

test('a lesson prints cleanly: no site chrome, no controls, the content and math remain', async ({ page }) => {
  await page.goto('lessons/the-bn-transform/');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.locator('.lesson-toc')).toBeHidden();
  await expect(page.locator('.lesson-pager')).toBeHidden();
  await expect(page.locator('.widget-controls').first()).toBeHidden();
  await expect(page.locator('h1')).toBeVisible();
  await expect(page.locator('.lesson-body .katex').first()).toBeVisible();
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.byteLength).toBeGreaterThan(10_000);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('a lesson still reads: prose, math, widget captions, worked formula and summary', async ({ page }) => {
    await page.goto('lessons/the-bn-transform/');
    await expect(page.locator('h1')).toHaveText('The BN transform');
    await expect(page.locator('nn-bn-explorer figcaption')).toContainText('BN transform explorer');
    await expect(page.locator('nn-bn-explorer [data-formula] .katex')).toBeVisible();
    await expect(page.locator('nn-bn-explorer [data-summary]')).toContainText('μ =');
    await expect(page.locator('nn-bn-explorer .widget-noscript')).toBeVisible();
  });
});
