/**
 * "Download my work": a student answers an exercise and edits a code cell in a lesson, types a
 * name and downloads the file; the file parses as a submission for this course and holds that
 * answer, that code and every lesson of the course. Also where the browser refuses storage
 * (localStorage and IndexedDB throw): the file then holds what is in the page's memory.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { parseSubmission } from '../../src/lib/submission';
import { expect, test } from './fixtures';

/** Published lessons (the default course has them all). */
const lessonCount = readdirSync('content/lessons').filter(
  (f) => f.endsWith('.mdx') && !/^draft:\s*true\s*$/m.test(readFileSync(`content/lessons/${f}`, 'utf8')),
).length;

async function doWorkAndDownload(page: Page) {
  await page.goto('lessons/the-bn-transform/');
  const exercise = page.locator('nn-exercise[data-id="transform-by-hand"]');
  await exercise.getByLabel('Your answer').fill('1');
  await exercise.getByRole('button', { name: 'Check' }).click();
  await expect(exercise).toHaveAttribute('data-state', 'correct');

  const cell = page.locator('nn-code-cell[data-key="bn-forward"]');
  await cell.scrollIntoViewIfNeeded();
  const editor = cell.locator('.cm-content');
  await expect(editor).toBeVisible();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type('\n// my own work');
  await expect(editor).toContainText('// my own work');

  const box = page.locator('nn-download-work');
  await box.getByLabel('Your name (optional)').fill('Ada Lovelace');
  const download = page.waitForEvent('download');
  await box.getByRole('button', { name: 'Download my work' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^normlab-Ada-Lovelace-\d{4}-\d\d-\d\d\.json$/);
  const text = readFileSync(await file.path(), 'utf8');
  await expect(box.getByRole('status')).toContainText('1 exercise answers, 1 code cells');
  return parseSubmission(text, file.suggestedFilename(), 'normlab');
}

async function expectWork(page: Page) {
  const submission = await doWorkAndDownload(page);
  expect(submission.student).toBe('Ada Lovelace');
  expect(submission.course.id).toBe('normlab');
  expect(submission.lessons.length).toBe(lessonCount);
  const lesson = submission.lessons.find((l) => l.id === 'the-bn-transform')!;
  expect(lesson.exercises.find((e) => e.id === 'transform-by-hand')).toEqual({ id: 'transform-by-hand', reply: '1', tries: 1 });
  expect(lesson.exercises.filter((e) => e.reply !== null)).toHaveLength(1);
  const cell = lesson.cells.find((c) => c.key === 'bn-forward')!;
  expect(cell.code).toContain('// my own work');
  expect(cell.code).toContain('function');
  // A lesson the student never opened is listed with every one of its exercises, unanswered.
  for (const [id, file] of [
    ['claims-on-trial', '12-claims-on-trial.mdx'],
    ['bn-costs-and-limits', '13-bn-costs-and-limits.mdx'],
  ]) {
    const listed = submission.lessons.find((l) => l.id === id);
    const written = readFileSync(`content/lessons/${file}`, 'utf8').match(/^<Exercise id="[^"]+"/gm) ?? [];
    expect(written.length, `${file} has exercises`).toBeGreaterThan(0);
    expect(listed?.exercises.map((e) => e.id)).toEqual(written.map((w) => w.slice('<Exercise id="'.length, -1)));
    expect(listed?.exercises.every((e) => e.reply === null)).toBe(true);
  }
}

test(
  'Download my work holds the answer, the code and every lesson of the course',
  { tag: '@base-path' },
  async ({ page, problems: _problems }) => {
    await expectWork(page);
  },
);

test(
  'Download my work, with storage refused, holds what is in the page’s memory',
  { tag: '@base-path' },
  async ({ page, problems: _problems }) => {
    await page.addInitScript(() => {
      const refuse = () => {
        throw new DOMException('storage refused by the test', 'SecurityError');
      };
      Object.defineProperty(window, 'localStorage', { get: refuse });
      Object.defineProperty(window, 'indexedDB', { get: refuse });
    });
    await expectWork(page);
  },
);
