/**
 * Every lesson has a printable one-page handout (objectives, key formulas, exercises without
 * answers) and an instructor's answer sheet, both reachable from the instructors' page.
 */
import { crawlSite, expect, test } from './fixtures';

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
    const lessonAnswers = await page.locator('.lesson-body details:has(summary:text-is("Answers")), .lesson-body :is(h2#exercises, h2#check-yourself) ~ nn-exercise').count();
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

test('a handout prints on one page, without the site chrome', async ({ page }) => {
  test.setTimeout(120_000);
  for (const lesson of ['why-normalize', 'the-bn-transform', 'backprop-through-bn', 'train-vs-eval', 'batch-size', 'train-it-yourself', 'bn-vs-none', 'batch-size-sweep']) {
    await page.goto(`lessons/${lesson}/handout/`);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.site-header')).toBeHidden();
    await expect(page.locator('button[data-print]')).toBeHidden();
    const pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
    const pages = pdf.match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages.length, `${lesson} handout pages`).toBe(1);
    await page.emulateMedia({ media: 'screen' });
  }
});
