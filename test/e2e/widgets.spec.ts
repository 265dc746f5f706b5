/**
 * The two concept widgets in real Chromium: keyboard-driven sliders redraw the charts and the
 * text summary, settings round-trip through the URL (bad values fall back to defaults), the
 * embed route renders a widget alone with hidden controls. Redraw timing: widgets.perf.spec.ts.
 */
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';

const lesson = {
  bn: 'lessons/the-bn-transform/',
  space: 'lessons/why-normalize/',
};

async function chartMarkup(widget: Locator, name: string): Promise<string> {
  return widget.locator(`[data-chart="${name}"]`).innerHTML();
}

async function widgetState(widget: Locator): Promise<Record<string, unknown>> {
  return widget.evaluate((el) => ({ ...(el as HTMLElement & { state: Record<string, unknown> }).state }));
}

test.describe('BN transform explorer', () => {
  test('every slider, moved by keyboard, changes its chart, its value and the summary', async ({ page }) => {
    await page.goto(lesson.bn);
    const widget = page.locator('nn-bn-explorer').first();
    await expect(widget.locator('[data-chart="y"] svg')).toBeVisible();
    const sliders: [string, string][] = [
      ['gamma', 'y'],
      ['beta', 'y'],
      ['eps', 'xhat'],
      ['n', 'x'],
      ['shift', 'x'],
    ];
    for (const [name, chart] of sliders) {
      const input = widget.locator(`input[name="${name}"]`);
      const output = widget.locator(`output[data-for="${name}"]`);
      const before = { chart: await chartMarkup(widget, chart), output: await output.textContent(), summary: await widget.locator('[data-summary]').textContent() };
      await input.focus();
      await page.keyboard.press('End');
      await expect.poll(() => chartMarkup(widget, chart), `${name} changes the ${chart} chart`).not.toBe(before.chart);
      await expect(output).not.toHaveText(before.output ?? '');
      if (name !== 'eps') await expect(widget.locator('[data-summary]')).not.toHaveText(before.summary ?? '');
      await page.keyboard.press('ArrowLeft');
    }
    const chart = widget.locator('[data-chart="y"] svg');
    await expect(chart).toHaveAttribute('role', 'img');
    await expect(chart).toHaveAttribute('aria-label', /output y/);
  });

  test('the distribution select redraws the input histogram', async ({ page }) => {
    await page.goto(lesson.bn);
    const widget = page.locator('nn-bn-explorer').first();
    const before = await chartMarkup(widget, 'x');
    await widget.locator('select[name="dist"]').selectOption('bimodal');
    await expect.poll(() => chartMarkup(widget, 'x')).not.toBe(before);
  });

  test('moving one sample moves every output, including samples that did not move', async ({ page }) => {
    await page.goto(lesson.bn);
    const widget = page.locator('nn-bn-explorer').first();
    const y2 = async () => /y₂ = (−?[\d.]+)/.exec((await widget.locator('[data-summary]').textContent()) ?? '')?.[1];
    const x2 = async () => /x₂ = (−?[\d.]+)/.exec((await widget.locator('[data-summary]').textContent()) ?? '')?.[1];
    const before = { x2: await x2(), y2: await y2() };
    await widget.locator('input[name="shift"]').focus();
    await page.keyboard.press('PageUp');
    await page.keyboard.press('PageUp');
    await expect.poll(y2).not.toBe(before.y2);
    expect(await x2()).toBe(before.x2);
  });

  test('γ = √(σ² + ε) and β = μ recover the input', async ({ page }) => {
    await page.goto(lesson.bn);
    const widget = page.locator('nn-bn-explorer').first();
    await expect(widget).not.toHaveAttribute('data-recovered');
    await widget.getByRole('button', { name: /Undo the normalization/ }).click();
    await expect(widget).toHaveAttribute('data-recovered', '');
    await expect(widget.locator('[data-summary]')).toContainText('y equals x');
    expect(await chartMarkup(widget, 'y')).toContain('Identical to the input x');
  });

  test('settings round-trip through the URL, and bad URL values fall back to defaults', async ({ page }) => {
    await page.goto(lesson.bn);
    const widget = page.locator('nn-bn-explorer').first();
    await widget.locator('select[name="dist"]').selectOption('shifted');
    await widget.locator('input[name="gamma"]').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await widget.locator('input[name="eps"]').focus();
    await page.keyboard.press('Home');
    await expect(page).toHaveURL(/bn\.gamma=1\.1(&|$)/);
    const state = await widgetState(widget);
    expect(state).toMatchObject({ dist: 'shifted', gamma: 1.1, eps: 1e-5 });
    const shared = page.url();
    await page.goto('about:blank');
    await page.goto(shared);
    const reread = page.locator('nn-bn-explorer').first();
    await expect(reread.locator('[data-chart="x"] svg')).toBeVisible();
    expect(await widgetState(reread)).toEqual(state);
    await expect(reread.locator('output[data-for="gamma"]')).toHaveText('1.10');
    await expect(reread.locator('select[name="dist"]')).toHaveValue('shifted');

    await page.goto(`${lesson.bn}?bn.gamma=banana&bn.n=-4&bn.dist=nope&bn.eps=1e9&bn.seed=1.5&bn.beta=`);
    const fallback = page.locator('nn-bn-explorer').first();
    await expect(fallback.locator('[data-chart="y"] svg')).toBeVisible();
    expect(await widgetState(fallback)).toMatchObject({ gamma: 1, n: 32, dist: 'skewed', eps: 1e-3, seed: 1, beta: 0 });
  });

  test('"Copy link to this view" copies a URL that reproduces the view', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(lesson.bn);
    const widget = page.locator('nn-bn-explorer').first();
    await widget.locator('input[name="beta"]').focus();
    await page.keyboard.press('PageUp');
    const beta = await widget.locator('output[data-for="beta"]').textContent();
    await widget.getByRole('button', { name: 'Copy link to this view' }).click();
    await expect(widget.locator('[data-share-status]')).toHaveText('Link copied.');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toContain('bn.beta=');
    await page.goto(link);
    await expect(page.locator('nn-bn-explorer').first().locator('output[data-for="beta"]')).toHaveText(beta ?? '');
  });
});

test.describe('Mini-batches in space', () => {
  test('the normalization slider brings every batch to the origin with unit spread', async ({ page }) => {
    await page.goto(lesson.space);
    const widget = page.locator('nn-batches-in-space').first();
    await expect(widget.locator('[data-chart="space"] svg')).toBeVisible();
    const before = await chartMarkup(widget, 'space');
    await widget.locator('input[name="t"]').focus();
    await page.keyboard.press('End');
    await expect.poll(() => chartMarkup(widget, 'space')).not.toBe(before);
    await expect(widget.locator('output[data-for="t"]')).toHaveText('100 %');
    await expect(widget.locator('[data-summary]')).toContainText('batch means lie 0.00 units from the origin');
    await expect(widget.locator('[data-summary]')).toContainText('standard deviations per axis are 1.00');
    for (const name of ['batches', 'size']) {
      const previous = await chartMarkup(widget, 'space');
      await widget.locator(`input[name="${name}"]`).focus();
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => chartMarkup(widget, 'space'), `${name} redraws`).not.toBe(previous);
    }
  });

  test('the button normalizes each batch and back, and its settings round-trip through the URL', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.goto(lesson.space);
    const widget = page.locator('nn-batches-in-space').first();
    await widget.getByRole('button', { name: 'Normalize each batch' }).click();
    await expect(widget.locator('[data-summary]')).toContainText('Every batch now has mean (0, 0)');
    await expect(page).toHaveURL(/space\.t=1(&|$)/);
    await page.reload();
    await expect(widget.locator('output[data-for="t"]')).toHaveText('100 %');
    await widget.getByRole('button', { name: 'Show the raw batches' }).click();
    await expect(widget.locator('output[data-for="t"]')).toHaveText('0 %');
  });
});

test.describe('embed route', () => {
  test('renders one widget without site chrome, honours hide flags and URL settings', async ({ page }) => {
    await page.goto('embed/bn-explorer/?hide=gamma,actions&bn.beta=2.5&theme=dark');
    await expect(page.locator('.site-header')).toHaveCount(0);
    await expect(page.locator('.site-footer')).toHaveCount(0);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    const widget = page.locator('nn-bn-explorer');
    await expect(widget).toHaveCount(1);
    await expect(widget.locator('[data-chart="y"] svg')).toBeVisible();
    await expect(widget.locator('[data-control="gamma"]')).toBeHidden();
    await expect(widget.locator('[data-control="actions"]')).toBeHidden();
    await expect(widget.locator('[data-control="beta"]')).toBeVisible();
    await expect(widget.locator('output[data-for="beta"]')).toHaveText('2.50');
    const before = await chartMarkup(widget, 'y');
    await widget.locator('input[name="beta"]').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => chartMarkup(widget, 'y')).not.toBe(before);
  });

  test('every registered widget has an embed page listed on the widget index', async ({ page }) => {
    await page.goto('embed/');
    const links = page.locator('.embed-entry h2 a');
    expect(await links.count()).toBeGreaterThanOrEqual(2);
    for (const href of await links.evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href))) {
      await page.goto(href);
      await expect(page.locator('.widget').first()).toBeVisible();
      await expect(page.locator('.site-header')).toHaveCount(0);
    }
  });
});
