/**
 * Phones: every page at 390 px wide, each visited once for every check. No page may scroll sideways (wide tables
 * and formulas scroll inside their own box), no select cuts off its options (at 1280 px either), a lesson's title
 * comes before its on-page contents, and the header stays compact.
 */
import type { Page } from '@playwright/test';
import { crawlSite, expect, test, visitInTabs } from './fixtures';

test.use({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });

test('at 390 px no page scrolls sideways, no select cuts off its options, and a lesson shows its title before its contents under a compact header', async ({
  page,
  request,
  baseURL,
  problems,
}) => {
  // A limit, not a wait: 90 pages took 2.4 min one after another at a load average of 13.
  test.setTimeout(300_000);
  const pages = await crawlSite(request, baseURL!);
  expect(pages.length).toBeGreaterThan(10);
  const wide: string[] = [];
  const cut: string[] = [];
  const layout: string[] = [];
  let lessons = 0;
  // One visit per page for every check: a crawl of its own for the selects cost 90 s of the suite, and visiting the
  // lessons again for their titles 50 s.
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
    if (/^lessons\/[^/]+\/$/.test(path)) {
      lessons++;
      layout.push(...(await lessonTop(tab)).map((problem) => `/${path}: ${problem}`));
    }
  });
  expect(wide.sort()).toEqual([]);
  expect(cut.sort()).toEqual([]);
  expect(lessons).toBeGreaterThan(5);
  expect(layout.sort()).toEqual([]);
});

/** What is wrong with the top of a lesson on a phone: its title must come before its on-page contents (the side contents hidden), under a header at most 110 px high. */
function lessonTop(tab: Page): Promise<string[]> {
  return tab.evaluate(() => {
    const box = (selector: string) => {
      const el = document.querySelector<HTMLElement>(selector);
      return el && el.getClientRects().length > 0 ? el.getBoundingClientRect() : null;
    };
    const problems: string[] = [];
    const h1 = box('h1');
    const toc = box('.lesson-toc-inline');
    const header = box('.site-header');
    if (box('.lesson-toc')) problems.push('the side contents show');
    if (!h1) problems.push('no title');
    if (!toc) problems.push('no on-page contents');
    if (h1 && toc && h1.y >= toc.y) problems.push(`the title (y ${h1.y}) is not above the contents (y ${toc.y})`);
    if (!header || header.height > 110) problems.push(`header height ${header?.height ?? 'none'} px, at most 110`);
    return problems;
  });
}

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
