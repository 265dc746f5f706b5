/**
 * Phones: every page at 390 px wide. No page may scroll sideways (wide tables and formulas scroll
 * inside their own box), no select cuts off its options (at 1280 px either), a lesson's title comes before its on-page contents, and the header stays
 * compact.
 */
import type { Page } from '@playwright/test';
import { crawlSite, expect, test, visitInTabs } from './fixtures';

test.use({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });

test('no page scrolls sideways at 390 px, and no select there cuts off its options', async ({ page, request, baseURL, problems }) => {
  // A limit, not a wait: 90 pages took 2.4 min one after another at a load average of 13.
  test.setTimeout(300_000);
  const pages = await crawlSite(request, baseURL!);
  expect(pages.length).toBeGreaterThan(10);
  const wide: string[] = [];
  const cut: string[] = [];
  // One visit per page for both checks: a crawl of its own for the selects cost 90 s of the suite.
  await visitInTabs(page, problems, pages, async (tab, path) => {
    await tab.goto(path);
    await tab.waitForLoadState('networkidle');
    const size = await tab.evaluate(() => {
      const root = document.scrollingElement!;
      const offenders = [...document.querySelectorAll<HTMLElement>('body *')]
        .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
        .filter((el) => !el.closest('[data-scrolls]') && getComputedStyle(el).position !== 'fixed')
        .slice(0, 3)
        .map((el) => `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''}`);
      return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, offenders };
    });
    if (size.scrollWidth > size.clientWidth) wide.push(`/${path}: ${size.scrollWidth} px wide (${size.offenders.join(', ')})`);
    if (hasSelects(path)) cut.push(...(await cutOptions(tab)).map((c) => `/${path} ${c}`));
  });
  expect(wide.sort()).toEqual([]);
  expect(cut.sort()).toEqual([]);
});

test('a lesson shows its title before the on-page contents, under a compact header', async ({ page, request, baseURL }) => {
  const lessons = (await crawlSite(request, baseURL!)).filter((p) => /^lessons\/[^/]+\/$/.test(p));
  expect(lessons.length).toBeGreaterThan(5);
  for (const path of lessons) {
    await page.goto(path);
    const h1 = await page.locator('h1').first().boundingBox();
    await expect(page.locator('.lesson-toc'), `/${path}: the side contents are hidden`).toBeHidden();
    const toc = await page.locator('.lesson-toc-inline').boundingBox();
    expect(h1, `/${path} has a title`).not.toBeNull();
    expect(toc, `/${path} has on-page contents`).not.toBeNull();
    expect(h1!.y, `/${path}: the title is above the contents`).toBeLessThan(toc!.y);
    const header = await page.locator('.site-header').boundingBox();
    expect(header!.height, `/${path}: header height`).toBeLessThanOrEqual(110);
  }
});

/** The pages with the course's selects: lessons and embeds. */
const hasSelects = (path: string) => path.startsWith('lessons/') || path.startsWith('embed/');

/** Every option of a visible select whose text is wider than the select leaves room for. */
function cutOptions(tab: Page): Promise<string[]> {
  return tab.evaluate(() => {
    const context = document.createElement('canvas').getContext('2d')!;
    return [...document.querySelectorAll('select')]
      .filter((select) => select.offsetParent !== null)
      .flatMap((select) => {
        const style = getComputedStyle(select);
        context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        // Room for text: the box minus its padding and the arrow (about 24 px).
        const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 24;
        return [...select.options].filter((o) => context.measureText(o.text).width > room).map((o) => `${select.name}: “${o.text}”`);
      });
  });
}

test('no select cuts off its options at 1280 px', async ({ page, request, baseURL, problems }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const pages = (await crawlSite(request, baseURL!)).filter(hasSelects);
  const cut: string[] = [];
  await visitInTabs(page, problems, pages, async (tab, path) => {
    await tab.goto(path);
    cut.push(...(await cutOptions(tab)).map((c) => `/${path} ${c}`));
  });
  expect(cut.sort()).toEqual([]);
});
