/** axe-core on every page, light and dark: no serious or critical violation. */
import AxeBuilder from '@axe-core/playwright';
import { crawlSite, expect, test } from './fixtures';

for (const theme of ['light', 'dark'] as const) {
  test(`every page has no serious or critical accessibility violation (${theme})`, async ({ page, request, baseURL }) => {
    test.setTimeout(420_000); // about 50 pages since the handouts and answer sheets
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    const pages = [...(await crawlSite(request, baseURL!)), 'search/?q=batch'];
    const report: string[] = [];
    for (const path of pages) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      for (const v of results.violations) {
        if (v.impact === 'serious' || v.impact === 'critical') {
          report.push(`/${path}: ${v.id} (${v.impact}) ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
        }
      }
    }
    expect(report, `axe violations in ${theme} mode`).toEqual([]);
  });
}
