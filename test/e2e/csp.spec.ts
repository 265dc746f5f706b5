/**
 * The site under the strict Content-Security-Policy the README documents (test/sites.ts
 * `strictCsp`, served by the `csp` variant of the static server): every page loads with zero
 * violations, and search, the theme toggle and training work. Violations are counted from
 * `securitypolicyviolation` events in the page and from the browser's console reports (which
 * include the workers').
 */
import type { Page } from '@playwright/test';
import { siteUrl, strictCsp, variants } from '../sites';
import { crawlSite, expect, test } from './fixtures';
import { report } from './training-page';

const cspUrl = siteUrl(variants.csp);
test.use({ baseURL: cspUrl });

test.describe('strict Content-Security-Policy', () => {
  test.skip(({ basePath }) => basePath !== '/', 'the csp server serves the root build');

  const violations: string[] = [];
  /** Counts a page's violations: its `securitypolicyviolation` events and the console's reports. */
  async function watchViolations(page: Page): Promise<void> {
    await page.addInitScript(() => {
      const list: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = list;
      document.addEventListener('securitypolicyviolation', (e) =>
        list.push(`${e.violatedDirective} ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`),
      );
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
  }
  test.beforeEach(({ page }) => watchViolations(page));

  test('is sent by the test server exactly as documented', async ({ request }) => {
    const response = await request.get(cspUrl);
    expect(response.headers()['content-security-policy']).toBe(strictCsp);
  });

  test('every page loads with zero violations', async ({ page, request }) => {
    test.setTimeout(180_000);
    violations.length = 0;
    const pages = await crawlSite(request, cspUrl);
    expect(pages.length).toBeGreaterThan(15);
    // Three tabs share the crawl: each page's wait for the network to go quiet (half a second at
    // least) is spent beside the others', not after them.
    const tabs = [page, ...(await Promise.all([0, 1].map(() => page.context().newPage())))];
    await Promise.all(tabs.slice(1).map(watchViolations));
    const inPage: string[] = [];
    const queue = [...pages];
    await Promise.all(
      tabs.map(async (tab) => {
        for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
          await tab.goto(path);
          await tab.waitForLoadState('networkidle');
          inPage.push(
            ...(await tab.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).map((v) => `${path}: ${v}`),
          );
        }
      }),
    );
    report('csp', `${pages.length} pages, ${inPage.length + violations.length} violations`);
    expect([...inPage, ...violations]).toEqual([]);
  });

  test('search, the theme toggle and training work, with zero violations', async ({ page }) => {
    test.setTimeout(120_000);
    violations.length = 0;
    await page.goto('search/?q=covariate');
    await expect(page.locator('[data-results] li a').first()).toBeVisible();

    const theme = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.locator('[data-theme-toggle]').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme === 'dark' ? 'light' : 'dark');

    await page.goto('lessons/train-it-yourself/?run.images=1000&run.epochs=1');
    const widget = page.locator('nn-training-run');
    await widget.locator('button[data-action="start"]').click();
    await expect(widget).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
    await expect(page.locator('.katex').first()).toBeVisible();
    const fonts = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].filter((f) => f.family.startsWith('KaTeX') && f.status === 'loaded').length;
    });
    expect(fonts).toBeGreaterThan(0);
    const inPage = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
    expect([...inPage, ...violations]).toEqual([]);
  });
});
