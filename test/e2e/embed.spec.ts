/**
 * The instructors' side of embedding: the widget catalogue shows snippets with this site's own
 * address, copy buttons, labels that match the widgets, and a preview; an embedded widget reports
 * its height so the iframe around it fits (the LMS script from the catalogue, run in a page on
 * another origin); experiments and code cells embed alone, run and check there, and fit their
 * iframes the same way; students' navigation does not lead to the catalogue.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from '@playwright/test';
import { exercises } from '../../src/exercises/index.ts';
import { expect, test } from './fixtures';

/** The experiment plans the default course's lessons name (`<Experiment plan="…" />`). */
const lessonsNaming = (pattern: RegExp) =>
  new Set(
    readdirSync('content/lessons')
      .filter((f) => f.endsWith('.mdx'))
      .flatMap((f) => [...readFileSync(`content/lessons/${f}`, 'utf8').matchAll(pattern)].map((m) => m[1])),
  );
const lessonPlans = lessonsNaming(/<Experiment plan="([^"]+)"/g);
/** The code cells the default course's lessons hold (`<CodeCell exercise="…">`). */
const lessonCells = lessonsNaming(/<CodeCell exercise="([^"]+)"/g);

test(
  'the main navigation does not send students to the widget catalogue; the footer leads instructors there',
  { tag: '@base-path' },
  async ({ page }) => {
    await page.goto('');
    await expect(page.locator('.site-header a[href$="embed/"]')).toHaveCount(0);
    await page.locator('.site-footer a', { hasText: 'For instructors' }).click();
    await expect(page.locator('h1')).toHaveText('For instructors');
    await expect(page.locator('#hosting ~ .hosting')).toContainText('BASE_PATH');
    // The hosting section's link (the configuration section links the catalogue too).
    await page.getByRole('link', { name: 'The widget catalogue', exact: true }).click();
    await expect(page.locator('h1')).toHaveText('Widgets for your course page');
  },
);

test(
  'snippets carry this site’s own address, copy to the clipboard, and label hidden controls as the widget does',
  { tag: '@base-path' },
  async ({ page, context, baseURL }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto('embed/');
    const snippet = page.locator('code[data-snippet="bn-explorer"]');
    await expect(snippet).toContainText(`src="${baseURL}embed/bn-explorer/"`);
    await expect(page.locator('code[data-snippet="resize"]')).toContainText(`event.origin !== '${new URL(baseURL!).origin}'`);
    await page.locator('button[data-copy="bn-explorer"]').click();
    await expect(page.locator('[data-copy-status="bn-explorer"]')).toHaveText('Copied.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await snippet.textContent());
    await expect(page.locator('#training-run .embed-downloads')).toContainText(/MNIST data set \(\d+\.\d MB\)/);
    await expect(page.locator('#bn-explorer .embed-downloads')).toHaveCount(0);

    // Every label in the catalogue is the one the widget shows next to that control.
    const rows = await page.locator('.embed-entry').evaluateAll((sections) =>
      sections.flatMap((s) =>
        [...s.querySelectorAll<HTMLTableRowElement>('tr[data-hide-name]')].map((tr) => ({
          widget: s.id,
          name: tr.dataset.hideName!,
          label: tr.cells[1].textContent!.trim(),
        })),
      ),
    );
    expect(rows.length).toBeGreaterThan(30);
    for (const widget of new Set(rows.map((r) => r.widget))) {
      await page.goto(`embed/${widget}/`);
      for (const row of rows.filter((r) => r.widget === widget)) {
        const control = page.locator(`[data-control="${row.name}"]`).first();
        await expect(control, `${widget}: control ${row.name} exists`).toHaveCount(1);
        const label = control.locator(':scope legend, :scope label').first();
        if ((await label.count()) > 0 && !/^the /.test(row.label)) await expect(label, `${widget}: ${row.name}`).toHaveText(row.label);
      }
    }
  },
);

/**
 * Opens an LMS page on another origin holding the catalogue's snippet for `entry` (as pasted, with a
 * deliberately wrong fixed height of 300 px) and its resize script, runs `inside`, and closes it.
 */
async function inLms(page: Page, entry: string, inside: (frame: Locator) => Promise<void>): Promise<void> {
  await page.goto('embed/');
  const script = await page.locator('code[data-snippet="resize"]').textContent();
  const iframe = await page.locator(`code[data-snippet="${entry}"]`).textContent();
  const lms: Server = createServer((_, response) => {
    response.setHeader('content-type', 'text/html');
    response.end(`<!doctype html><title>LMS</title><p>Week 3</p>${iframe!.replace(/height="\d+"/, 'height="300"')}${script}`);
  });
  await new Promise<void>((done) => lms.listen(0, '127.0.0.1', done));
  try {
    const port = (lms.address() as AddressInfo).port;
    expect(new URL(page.url()).port).not.toBe(String(port));
    await page.route(`http://localhost:${port}/**`, (route) => route.continue());
    await page.goto(`http://localhost:${port}/`);
    await inside(page.locator('iframe'));
  } finally {
    await new Promise((done) => lms.close(done));
  }
}

/** The iframe grows from 300 px to its page's height (within 2 px), as the page reports it. */
async function expectFitted(frame: Locator, atLeast: number): Promise<void> {
  await expect.poll(async () => (await frame.boundingBox())?.height ?? 0).toBeGreaterThan(atLeast);
  const content = frame.contentFrame().locator('body');
  await expect
    .poll(async () => Math.abs((await frame.boundingBox())!.height - (await content.evaluate((b) => b.getBoundingClientRect().height))))
    .toBeLessThanOrEqual(2);
}

test('an embedded widget resizes its iframe on another origin through the catalogue’s script', { tag: '@base-path' }, async ({ page }) => {
  await inLms(page, 'running-stats', (frame) => expectFitted(frame, 600));
});

test.describe('experiments and code cells embed alone', () => {
  test(
    'the catalogue lists every experiment and code cell with its lesson and a snippet with this site’s address',
    { tag: '@base-path' },
    async ({ page, context, baseURL }) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await page.goto('embed/');
      // Every plan and code cell a lesson of the default course names (read from the MDX, so a new one is counted).
      await expect(page.locator('section[id^="experiment-"]')).toHaveCount(lessonPlans.size);
      await expect(page.locator('section[id^="code-cell-"]')).toHaveCount(lessonCells.size);

      const experiment = page.locator('#experiment-vanishing-gradients');
      await expect(experiment.locator('h3')).toHaveText('Does BN keep the gradients of a deep sigmoid network from vanishing?');
      await expect(experiment.locator('.embed-from a')).toHaveAttribute('href', /lessons\/claims-on-trial\/$/);
      await expect(page.locator('code[data-snippet="experiment-vanishing-gradients"]')).toContainText(
        `src="${baseURL}embed/experiment/vanishing-gradients/" title="Experiment: Does BN keep the gradients`,
      );

      const cell = page.locator('#code-cell-bn-forward');
      await expect(cell.locator('h3')).toHaveText('Code: the BN forward pass in training mode');
      await expect(cell.locator('.embed-from a')).toHaveText('The BN transform');
      await expect(cell.locator('.embed-from a')).toHaveAttribute('href', /lessons\/the-bn-transform\/$/);
      const snippet = page.locator('code[data-snippet="code-cell-bn-forward"]');
      await expect(snippet).toContainText(`src="${baseURL}embed/code-cell/bn-forward/"`);
      await page.locator('button[data-copy="code-cell-bn-forward"]').click();
      await expect(page.locator('[data-copy-status="code-cell-bn-forward"]')).toHaveText('Copied.');
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await snippet.textContent());

      // Each heading opens the piece alone, without the site around it.
      await cell.locator('h3 a').click();
      await expect(page.locator('nn-code-cell[data-key="bn-forward"]')).toContainText('Compute the batch statistics');
      await expect(page.locator('.site-header')).toHaveCount(0);
    },
  );

  test('an embedded experiment on another origin fits its iframe, runs and shows its verdict', { tag: '@base-path' }, async ({ page }) => {
    test.setTimeout(600_000);
    await inLms(page, 'experiment-vanishing-gradients', async (frame) => {
      await expectFitted(frame, 600);
      const widget = frame.contentFrame().locator('nn-experiment[data-plan="vanishing-gradients"]');
      await expect(widget.locator('[data-verdict]')).toHaveAttribute('data-outcome', 'pending');
      // The cheapest plan: two runs of 125 steps.
      await widget.getByRole('button', { name: 'Start the experiment' }).click();
      await expect(widget.locator('[data-verdict]')).not.toHaveAttribute('data-outcome', 'pending', { timeout: 540_000 });
      await expect(widget.locator('[data-verdict]')).toHaveAttribute('data-outcome', /^(holds|does not hold here|holds only when)$/);
      await expect(widget.locator('[data-queue] li[data-state="done"]')).toHaveCount(2);
      // The chart and verdict made the page taller: the iframe followed.
      await expectFitted(frame, 600);
    });
  });

  test(
    'an embedded code cell on another origin fits its iframe and checks code in its sandbox',
    { tag: '@base-path' },
    async ({ page }) => {
      await inLms(page, 'code-cell-bn-forward', async (frame) => {
        await expectFitted(frame, 300);
        const cell = frame.contentFrame().locator('nn-code-cell[data-key="bn-forward"]');
        await expect(cell).toHaveAttribute('data-ready', '');
        // The starter code fails its check (the check really runs), then the reference solution passes.
        await cell.getByRole('button', { name: 'Check' }).click();
        const verdict = cell.locator('[data-verdict]');
        await expect(verdict).toHaveAttribute('data-verdict', 'fail', { timeout: 45_000 });
        await cell.locator('.cm-content').click();
        await page.keyboard.press('ControlOrMeta+a');
        await page.keyboard.insertText(exercises['bn-forward'].solution);
        await cell.getByRole('button', { name: 'Check' }).click();
        await expect(verdict).toHaveAttribute('data-verdict', 'pass', { timeout: 45_000 });
        await expect(verdict).toContainText(/All \d+ stages pass/);
        await expectFitted(frame, 300);
      });
    },
  );
});

test('a preview opens the widget in an iframe that fits it', { tag: '@base-path' }, async ({ page }) => {
  await page.goto('embed/');
  await page.locator('#bn-explorer .embed-preview summary').click();
  const frame = page.locator('#bn-explorer iframe');
  await expect(frame).toHaveAttribute('src', /embed\/bn-explorer\/$/);
  await expect(page.frameLocator('#bn-explorer iframe').locator('nn-bn-explorer h1')).toBeVisible();
  // The page's height settles as its charts fit the frame; the iframe follows it, whatever it is.
  const content = page.frameLocator('#bn-explorer iframe').locator('body');
  await expect
    .poll(async () => Math.abs((await frame.boundingBox())!.height - (await content.evaluate((b) => b.getBoundingClientRect().height))))
    .toBeLessThanOrEqual(2);
});

test('an embed that hides a control hides every preset that would change it', async ({ page }) => {
  await page.goto('embed/bn-vs-none/?hide=lr');
  const widget = page.locator('nn-bn-vs-none');
  await expect(widget.locator('button[data-action="preset-quick"]')).toBeEnabled();
  await expect(widget.locator('button[data-action="preset-quick"]')).toBeVisible();
  // Every model preset sets the learning rate: none is offered, nor their empty row.
  await expect(widget.locator('[data-control="architecture-presets"]')).toBeHidden();

  await page.goto('embed/training-run/?hide=epochs');
  const run = page.locator('nn-training-run');
  await expect(run.locator('button[data-action="start"]')).toBeEnabled();
  await expect(run.locator('button[data-preset]')).toHaveCount(2);
  for (const preset of await run.locator('button[data-preset]').all()) await expect(preset).toBeHidden();
  await expect(run.locator('[data-control="presets"]')).toBeHidden();
});
