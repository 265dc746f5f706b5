/**
 * axe-core on every page, light and dark: no serious or critical violation. The pages are split
 * into shards so the work spreads over the test workers and no single test runs for minutes.
 * Each page is loaded once: axe checks it in light mode with every rule, then the system setting
 * switches it to dark (the page follows it live and its charts redraw, as for a reader) and axe
 * checks again the rules whose outcome depends on colours, with the same copy of axe. Loading every page a second time for the dark check
 * doubled the spec's time on a loaded machine for no extra coverage: the structure axe reads does
 * not change with the theme. The handouts and answer sheets, which share one plain template, print
 * in light colours, are checked in dark mode for one lesson only.
 */
import type { Page } from '@playwright/test';
import axe from 'axe-core';
import { crawlSite, expect, test } from './fixtures';

// Ten shards of about 6 pages: each page costs one load and two axe passes, and at a load average
// of 15 one light-mode pass over 8 pages already took up to 2.3 minutes.
const shards = 10;
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];
/** The axe rules whose result can change when only colours change. */
const colourRules = ['color-contrast', 'link-in-text-block'];

const sheet = /^lessons\/[^/]+\/(handout|answers)\/$/;

async function violations(page: Page, path: string, theme: 'light' | 'dark'): Promise<string[]> {
  const runOnly = theme === 'light' ? { type: 'tag' as const, values: tags } : { type: 'rule' as const, values: colourRules };
  const results = await page.evaluate((only) => (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: only }), runOnly);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `/${path} (${theme}): ${v.id} (${v.impact}) ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')}`,
    );
}

for (let shard = 0; shard < shards; shard++) {
  test(`every page has no serious or critical accessibility violation, light and dark (part ${shard + 1} of ${shards})`, async ({
    page,
    request,
    baseURL,
  }) => {
    test.setTimeout(240_000);
    await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
    const all = [...(await crawlSite(request, baseURL!)), 'search/?q=batch'];
    const firstSheetLesson = all.find((p) => sheet.test(p))?.split('/')[1];
    const pages = all.filter((_, i) => i % shards === shard);
    expect(pages.length).toBeGreaterThan(0);
    const report: string[] = [];
    let dark = 0;
    for (const path of pages) {
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      const html = page.locator('html');
      await expect(html).toHaveAttribute('data-theme', 'light');
      // axe is injected once per page and runs twice (@axe-core/playwright injects it again for
      // every analysis: at a load average of 20 that alone took 3-10 s per page). The pages have
      // no frames of their own; the code cells' sandbox frames are made only when a cell runs.
      await page.evaluate(axe.source);
      report.push(...(await violations(page, path, 'light')));
      if (sheet.test(path) && path.split('/')[1] !== firstSheetLesson) continue;
      // Every page follows the system setting live while the reader has chosen nothing
      // (public/theme.js), and its charts redraw on the change, as for a reader who switches.
      await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
      await expect(html).toHaveAttribute('data-theme', 'dark');
      // The charts redraw in the next frame or two; let them settle before axe reads colours.
      await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      report.push(...(await violations(page, path, 'dark')));
      await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
      dark++;
    }
    test.info().annotations.push({ type: 'a11y', description: `${pages.length} pages checked in light mode, ${dark} in dark mode` });
    expect(report, 'axe violations').toEqual([]);
  });
}
