/**
 * The example course configuration (course/examples/seminar.json), built by the global setup into
 * its own site: home, navigation, search index, handouts, embed catalogue and offline precache
 * show exactly that course — its title, term and note, its four lessons in its order (one of them
 * the starter lesson from course/starter), nothing of the lessons it leaves out, no broken link.
 */
import { readFileSync } from 'node:fs';
import { seminar } from '../sites';
import { crawlSite, expect, hrefs, test } from './fixtures';

const url = `http://127.0.0.1:${seminar.port}/`;
const config = JSON.parse(readFileSync(seminar.config, 'utf8')) as {
  title: string;
  term: string;
  note: string;
  lessons: string[];
  embedWidgets: string[];
};

test.beforeEach(({ basePath }) => {
  test.skip(basePath !== '/', 'one site, built once: checked from the root project only');
});

// This site has its own port: pages are opened outside the fixture's `page`, which treats every
// other origin as off limits.
test('the home page and the lesson navigation show the configured course, in its order', async ({ browser }) => {
  const page = await browser.newPage();
  await page.goto(url);
  await expect(page.locator('h1')).toHaveText(config.title);
  await expect(page.locator('.term')).toHaveText(config.term);
  await expect(page.locator('.course-note')).toHaveText(config.note);
  await expect(page).toHaveTitle(config.title);
  const path = await page.locator('.path-step h3 a').evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  expect(path).toEqual(config.lessons.map((id) => `/lessons/${id}/`));
  // Previous/next follow the configuration, the starter lesson included.
  await page.goto(`${url}lessons/${config.lessons[0]}/`);
  expect(await page.locator('.pager-link.next').evaluate((a: HTMLAnchorElement) => new URL(a.href).pathname)).toBe(
    `/lessons/${config.lessons[1]}/`,
  );
  await page.goto(`${url}lessons/your-first-lesson/`);
  await expect(page.locator('nn-exercise')).toHaveCount(1);
  await expect(page.locator('nn-code-cell')).toHaveCount(1);
  await expect(page.locator('.lesson-body .widget').first()).toBeVisible();
  expect(await page.locator('.pager-link.next').evaluate((a: HTMLAnchorElement) => new URL(a.href).pathname)).toBe(
    `/lessons/${config.lessons[2]}/`,
  );
});

test('every page links only inside the course; handouts, search index, catalogue and precache list its lessons only', async ({
  request,
}) => {
  test.setTimeout(120_000);
  const pages = await crawlSite(request, url);
  const lessons = pages.filter((p) => /^lessons\/[^/]+\/$/.test(p)).map((p) => p.split('/')[1]);
  expect(lessons.filter((id) => id !== 'weight-decay-dropout-clipping').sort()).toEqual([...config.lessons].sort());
  for (const p of pages) {
    const response = await request.get(`${url}${p}`);
    expect(response.status(), `${p} (linked from the site)`).toBe(200);
  }
  for (const id of config.lessons) {
    expect((await request.get(`${url}lessons/${id}/handout/`)).status()).toBe(200);
  }
  const precache = (await (await request.get(`${url}precache.json`)).json()) as
    { files: { url?: string; path?: string }[] } | Record<string, unknown>;
  const listed = JSON.stringify(precache);
  expect(listed).toContain('lessons/your-first-lesson/');
  expect(listed).not.toContain('lessons/the-bn-transform/');
  const entry = (await (await request.get(`${url}pagefind/pagefind-entry.json`)).json()) as {
    languages: Record<string, { page_count: number }>;
  };
  const indexed = Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0);
  // Only lesson pages are indexed: exactly the course's lessons.
  expect(indexed).toBe(config.lessons.length);
  const catalogue = hrefs(await (await request.get(`${url}embed/`)).text())
    .map((h) => new URL(h, `${url}embed/`).pathname)
    .filter((p) => /^\/embed\/[^/]+\/$/.test(p));
  expect([...new Set(catalogue)].sort()).toEqual([...config.embedWidgets].map((w) => `/embed/${w}/`).sort());
});

test('search finds the starter lesson', async ({ browser }) => {
  const page = await browser.newPage();
  await page.goto(`${url}search/?q=starter`);
  await expect(page.locator('.search-results a').first()).toHaveAttribute('href', /your-first-lesson/);
});
