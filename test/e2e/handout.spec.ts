/**
 * Every lesson has a printable one-page handout (objectives, key formulas, exercises without
 * answers) and an instructor's answer sheet, both reachable from the instructors' page.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { crawlSite, expect, test } from './fixtures';

/** Every published lesson's id, read from content/lessons (file name without its number; drafts skipped). */
function lessonIds(): string[] {
  const folder = 'content/lessons';
  return readdirSync(folder)
    .filter((name) => name.endsWith('.mdx') && !/^draft:\s*true\s*$/m.test(readFileSync(`${folder}/${name}`, 'utf8')))
    .map((name) => name.replace(/^\d+-/, '').replace(/\.mdx$/, ''));
}

test('each lesson has a handout without answers and an answer sheet with them', async ({ page, request, baseURL }) => {
  test.setTimeout(120_000);
  const lessons = (await crawlSite(request, baseURL!)).filter((p) => /^lessons\/[^/]+\/$/.test(p));
  expect(lessons.length).toBeGreaterThan(5);
  await page.goto('instructors/');
  for (const lesson of lessons) {
    await expect(page.locator(`a[href$="${lesson}handout/"]`), `${lesson} handout is listed`).toHaveCount(1);
    await expect(page.locator(`a[href$="${lesson}answers/"]`), `${lesson} answer sheet is listed`).toHaveCount(1);
  }
  let withAnswers = 0;
  for (const lesson of lessons) {
    await page.goto(lesson);
    const objectives = await page.locator('.lesson-objectives li').allTextContents();
    const lessonAnswers = await page
      .locator('.lesson-body details:has(summary:text-is("Answers")), .lesson-body :is(h2#exercises, h2#check-yourself) ~ nn-exercise')
      .count();
    await page.locator('.lesson-handout a').click();
    await expect(page).toHaveURL(new RegExp(`${lesson}handout/$`));
    const handout = page.locator('[data-handout="handout"]');
    await expect(handout.locator('h1')).toHaveText(await page.title().then((t) => t.replace(/^Handout: | · NormLab$/g, '')));
    expect(await handout.locator('#objectives + ul li').allTextContents()).toEqual(objectives);
    await expect(handout.locator('#formulas')).toBeVisible();
    await expect(handout).not.toContainText('Answers');
    await page.goto(`${lesson}answers/`);
    const sheet = page.locator('[data-handout="answers"]');
    if (lessonAnswers > 0) {
      withAnswers++;
      await expect(sheet.locator('.handout-answers').locator('li, p').first()).toBeVisible();
    }
  }
  expect(withAnswers).toBeGreaterThanOrEqual(4);
});

// Every lesson, not a sample (one test per lesson, each with its own time limit): both sheets list
// every exercise of the lesson and print on one A4 and one Letter page, without the site chrome.
for (const lesson of lessonIds()) {
  test(`${lesson}: the handout and the answer sheet list every exercise and print on one A4 and one Letter page`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto(`lessons/${lesson}/`);
    const ids = await page.locator('.lesson-body nn-exercise').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.id ?? ''));
    for (const sheet of ['handout', 'answers']) {
      await page.goto(`lessons/${lesson}/${sheet}/`);
      const listed = ((await page.locator('[data-exercises]').getAttribute('data-exercises')) ?? '').split(' ').filter(Boolean);
      expect([...listed].sort(), `${lesson} ${sheet}: exercises listed`).toEqual([...ids].sort());
      if (ids.length > 0) await expect(page.locator('[data-handout]')).not.toContainText('no written exercises');
      await page.emulateMedia({ media: 'print' });
      await expect(page.locator('.site-header')).toBeHidden();
      await expect(page.locator('button[data-print]')).toBeHidden();
      for (const format of ['A4', 'Letter']) {
        const pdf = (await page.pdf({ format })).toString('latin1');
        const pages = pdf.match(/\/Type\s*\/Page[^s]/g) ?? [];
        expect(pages.length, `${lesson} ${sheet} pages on ${format}`).toBe(1);
      }
      await page.emulateMedia({ media: 'screen' });
    }
  });
}
