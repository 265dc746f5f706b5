/**
 * axe-core on every page, light and dark: no serious or critical violation. The pages are split
 * into shards so the work spreads over the test workers and no single test runs for minutes. In
 * dark mode the handouts and answer sheets, which share one plain template and print in light
 * colours, are checked for one lesson only; every other page is checked in both themes.
 */
import AxeBuilder from '@axe-core/playwright';
import { crawlSite, expect, test } from './fixtures';

// Eight shards: with the third edition and the progress page there are about 60 pages, and three shards ran
// past three minutes each on a loaded machine.
const shards = 8;

function inTheme(pages: string[], theme: 'light' | 'dark'): string[] {
  if (theme === 'light') return pages;
  const sheet = /^lessons\/[^/]+\/(handout|answers)\/$/;
  const first = pages.find((p) => sheet.test(p))?.split('/')[1];
  return pages.filter((p) => !sheet.test(p) || p.split('/')[1] === first);
}

for (const theme of ['light', 'dark'] as const) {
  for (let shard = 0; shard < shards; shard++) {
    test(`every page has no serious or critical accessibility violation (${theme}, part ${shard + 1} of ${shards})`, async ({
      page,
      request,
      baseURL,
    }) => {
      test.setTimeout(180_000);
      await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
      const all = inTheme([...(await crawlSite(request, baseURL!)), 'search/?q=batch'], theme);
      const pages = all.filter((_, i) => i % shards === shard);
      expect(pages.length).toBeGreaterThan(0);
      const report: string[] = [];
      for (const path of pages) {
        await page.goto(path);
        await page.waitForLoadState('networkidle');
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
        for (const v of results.violations) {
          if (v.impact === 'serious' || v.impact === 'critical') {
            report.push(
              `/${path}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes
                .map((n) => n.target.join(' '))
                .slice(0, 3)
                .join(' | ')}`,
            );
          }
        }
      }
      test.info().annotations.push({ type: 'a11y', description: `${pages.length} pages checked in ${theme} mode` });
      expect(report, `axe violations in ${theme} mode`).toEqual([]);
    });
  }
}
