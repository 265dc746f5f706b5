/** Site search (Pagefind) on the static build, offline and under the base path. */
import { expect, test } from './fixtures';

test('search finds a lesson by a word from its body and links to it', { tag: '@base-path' }, async ({ page, basePath }) => {
  await page.goto('');
  // "covariate" appears in the body of "Why normalize?", not only in its title.
  await page.getByRole('searchbox', { name: 'Search the lessons' }).fill('covariate');
  await page.getByRole('searchbox', { name: 'Search the lessons' }).press('Enter');
  await expect(page).toHaveURL(/search\/\?q=covariate/);
  const first = page.locator('[data-results] li a').first();
  await expect(first).toBeVisible();
  await expect(page.locator('[data-status]')).toContainText('found for “covariate”');
  await expect(page.locator('[data-results] mark').first()).toHaveText(/covariate/i);
  const href = await first.getAttribute('href');
  expect(href?.startsWith(`${basePath}lessons/`), `result link ${href} is under ${basePath}`).toBe(true);
  const titles = await page.locator('[data-results] li > a').allTextContents();
  expect(titles).toContain('Why normalize?');
  await page.locator('[data-results] li > a', { hasText: 'Why normalize?' }).click();
  await expect(page.locator('h1')).toHaveText('Why normalize?');
});

test('a word no lesson contains gives a clear empty result', async ({ page }) => {
  await page.goto('search/?q=qwertyuiop');
  await expect(page.locator('[data-status]')).toContainText('No lesson mentions');
  await expect(page.locator('[data-results] li')).toHaveCount(0);
});

test('a nonsense word finds nothing, even though lessons mention x̂ (no one-letter prefix matches)', async ({ page }) => {
  await page.goto('search/?q=xyzzy');
  await expect(page.locator('[data-status]')).toContainText('No lesson mentions “xyzzy”');
  await expect(page.locator('[data-results] li')).toHaveCount(0);
});

test(
  'a result links to the matching section, its excerpt keeps its spaces and leaves out page chrome and tables',
  { tag: '@base-path' },
  async ({ page, basePath }) => {
    await page.goto('search/?q=dropout');
    const results = page.locator('[data-results] li');
    await expect(results.first()).toBeVisible();
    // Every lesson that mentions the word is listed, not the first ten: the count shown is the
    // index's own count for the query.
    const indexed = await page.evaluate(async (root) => {
      const pagefind = (await import(`${root}pagefind/pagefind.js`)) as { search(q: string): Promise<{ results: unknown[] }> };
      return (await pagefind.search('dropout')).results.length;
    }, basePath);
    expect(indexed).toBeGreaterThan(10);
    await expect(results).toHaveCount(indexed);
    await expect(page.locator('[data-status]')).toContainText(`${indexed} lessons found for “dropout”`);
    // Results from the lessons about other things name the section that mentions dropout, and link
    // to its heading.
    const lesson = results.filter({ hasText: 'Batch size and BN' });
    const link = lesson.locator('a');
    const href = await link.getAttribute('href');
    expect(href).toMatch(new RegExp(`^${basePath}lessons/batch-size/#[a-z0-9-]+$`));
    const section = (await lesson.locator('.section').textContent()) ?? '';
    expect(section).toMatch(/^ › \S/);
    for (const text of await page.locator('[data-results] .excerpt').allTextContents()) {
      expect(text).not.toMatch(/dropout[a-z]/i);
      expect(text).not.toMatch(/about \d+ min/);
      expect(text).not.toContain('(None, 128)');
    }
    await expect(page.locator('[data-results] .excerpt').first()).toContainText(/dropout /i);
    await link.click();
    const anchor = href!.slice(href!.indexOf('#'));
    await expect(page).toHaveURL(new RegExp(`${anchor}$`));
    await expect(page.locator(`h2${anchor}, h3${anchor}`)).toHaveText(section.replace(/^ › /, ''));
  },
);
