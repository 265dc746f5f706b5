/**
 * The instructors' side of embedding: the widget catalogue shows snippets with this site's own
 * address, copy buttons, labels that match the widgets, and a preview; an embedded widget reports
 * its height so the iframe around it fits (the LMS script from the catalogue, run in a page on
 * another origin); students' navigation does not lead to the catalogue.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures';

test('the main navigation does not send students to the widget catalogue; the footer leads instructors there', async ({ page }) => {
  await page.goto('');
  await expect(page.locator('.site-header a[href$="embed/"]')).toHaveCount(0);
  await page.locator('.site-footer a', { hasText: 'For instructors' }).click();
  await expect(page.locator('h1')).toHaveText('For instructors');
  await expect(page.locator('#hosting ~ .hosting')).toContainText('BASE_PATH');
  // The hosting section's link (the configuration section links the catalogue too).
  await page.getByRole('link', { name: 'The widget catalogue', exact: true }).click();
  await expect(page.locator('h1')).toHaveText('Widgets for your course page');
});

test('snippets carry this site’s own address, copy to the clipboard, and label hidden controls as the widget does', async ({
  page,
  context,
  baseURL,
}) => {
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
});

test('an embedded widget resizes its iframe on another origin through the catalogue’s script', async ({ page, baseURL }) => {
  await page.goto('embed/');
  const script = await page.locator('code[data-snippet="resize"]').textContent();
  const iframe = await page.locator('code[data-snippet="running-stats"]').textContent();
  // An LMS page: another origin, the snippet as pasted, with a deliberately wrong fixed height.
  const lms: Server = createServer((_, response) => {
    response.setHeader('content-type', 'text/html');
    response.end(`<!doctype html><title>LMS</title><p>Week 3</p>${iframe!.replace(/height="\d+"/, 'height="300"')}${script}`);
  });
  await new Promise<void>((done) => lms.listen(0, '127.0.0.1', done));
  try {
    const port = (lms.address() as AddressInfo).port;
    await page.route(`http://localhost:${port}/**`, (route) => route.continue());
    await page.goto(`http://localhost:${port}/`);
    const frame = page.locator('iframe');
    await expect.poll(async () => (await frame.boundingBox())?.height ?? 0).toBeGreaterThan(600);
    const inner = page.frameLocator('iframe');
    const contentHeight = await inner.locator('body').evaluate((body) => body.getBoundingClientRect().height);
    expect(Math.abs((await frame.boundingBox())!.height - contentHeight)).toBeLessThanOrEqual(2);
    expect(new URL(baseURL!).port).not.toBe(String(port));
  } finally {
    await new Promise((done) => lms.close(done));
  }
});

test('a preview opens the widget in an iframe that fits it', async ({ page }) => {
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
