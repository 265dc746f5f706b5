/**
 * The concept widgets in real Chromium: keyboard-driven sliders redraw the charts and the
 * text summary, settings round-trip through the URL (bad values fall back to defaults), the
 * embed route renders a widget alone with hidden controls. Redraw timing: widgets.perf.spec.ts.
 */
import type { Locator } from '@playwright/test';
import { expect, test } from './fixtures';

const lesson = {
  bn: 'lessons/the-bn-transform/',
  space: 'lessons/why-normalize/',
  stats: 'lessons/train-vs-eval/',
  grad: 'lessons/backprop-through-bn/',
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
      const before = {
        chart: await chartMarkup(widget, chart),
        output: await output.textContent(),
        summary: await widget.locator('[data-summary]').textContent(),
      };
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
    await expect(page).toHaveURL(/bn\.eps=(0\.00001|1e-5)(&|$)/); // the URL is written shortly after the last input
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

test('a link value the control cannot show is refused, not applied and shown rounded', async ({ page }) => {
  // Found by fuzzing URL state: each of these was applied while its control showed something else.
  await page.goto(`${lesson.space}?space.t=0.0166667&space.seed=-0`);
  const space = page.locator('nn-batches-in-space').first();
  await expect(space.locator('[data-chart="space"] svg')).toBeVisible();
  expect(await widgetState(space)).toMatchObject({ t: 0 });
  expect(await space.evaluate((el) => Object.is((el as HTMLElement & { state: { seed: number } }).state.seed, 0))).toBe(true);
  await expect(space.locator('output[data-for="t"]')).toHaveText('0 %');

  await page.goto(`${lesson.stats}?stats.steps=500.0`);
  const stats = page.locator('nn-running-stats').first();
  await expect(stats.locator('select[name="steps"]')).toHaveValue('1000');
  expect(await widgetState(stats)).toMatchObject({ steps: 1000 });

  await page.goto(`${lesson.bn}?bn.eps=0.0015&bn.shift=0.3`);
  const bn = page.locator('nn-bn-explorer').first();
  await expect(bn.locator('[data-chart="x"] svg')).toBeVisible();
  expect(await widgetState(bn)).toMatchObject({ eps: 1e-3, shift: 0 });
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

test.describe('Running statistics', () => {
  test('every slider, moved by keyboard, changes its chart, its value and the summary', async ({ page }) => {
    await page.goto(lesson.stats);
    const widget = page.locator('nn-running-stats').first();
    await expect(widget.locator('[data-chart="variance"] svg')).toBeVisible();
    for (const [name, chart] of [
      ['rho', 'mean'],
      ['n', 'variance'],
      ['at', 'mean'],
    ] as const) {
      const output = widget.locator(`output[data-for="${name}"]`);
      const before = {
        chart: await chartMarkup(widget, chart),
        output: await output.textContent(),
        summary: await widget.locator('[data-summary]').textContent(),
      };
      await widget.locator(`input[name="${name}"]`).focus();
      await page.keyboard.press('PageDown');
      await expect.poll(() => chartMarkup(widget, chart), `${name} changes the ${chart} chart`).not.toBe(before.chart);
      await expect(output).not.toHaveText(before.output ?? '');
      await expect(widget.locator('[data-summary]')).not.toHaveText(before.summary ?? '');
    }
    await expect(widget.locator('[data-chart="mean"] svg')).toHaveAttribute('role', 'img');
    await expect(widget.locator('[data-chart="mean"] svg')).toHaveAttribute('aria-label', /moving mean/);
  });

  test('early eval outputs are off, late ones are right; momentum shows its PyTorch equivalent', async ({ page }) => {
    await page.goto(lesson.stats);
    const widget = page.locator('nn-running-stats').first();
    const evalOutput = async () =>
      Number(((await widget.locator('tr[data-row="eval"] [data-cell="output"]').textContent()) ?? '').replace('−', '-'));
    await widget.locator('input[name="at"]').focus();
    await page.keyboard.press('Home');
    await expect(widget.locator('[data-cell="step"]')).toHaveText('1');
    expect(await evalOutput()).toBeGreaterThan(3);
    await page.keyboard.press('End');
    await expect(widget.locator('[data-cell="step"]')).toHaveText('1000');
    expect(Math.abs((await evalOutput()) - 1)).toBeLessThan(0.1);
    await expect(widget.locator('tr[data-row="truth"] [data-cell="output"]')).toHaveText('1.00');
    await expect(widget.locator('[data-conventions]')).toContainText('PyTorch momentum α = 1 − ρ = 0.01');
    await widget.locator('input[name="rho"]').focus();
    await page.keyboard.press('Home');
    await expect(widget.locator('output[data-for="rho"]')).toHaveText('0.500');
    await expect(widget.locator('[data-conventions]')).toContainText('α = 1 − ρ = 0.5');
  });

  test('the biased/unbiased choice and the population redraw the charts', async ({ page }) => {
    await page.goto(lesson.stats);
    const widget = page.locator('nn-running-stats').first();
    const variance = await chartMarkup(widget, 'variance');
    await widget.locator('select[name="variance"]').selectOption('unbiased');
    await expect.poll(() => chartMarkup(widget, 'variance')).not.toBe(variance);
    const mean = await chartMarkup(widget, 'mean');
    await widget.locator('select[name="population"]').selectOption('drifting');
    await expect.poll(() => chartMarkup(widget, 'mean')).not.toBe(mean);
    await widget.locator('select[name="steps"]').selectOption('100');
    await expect(widget.locator('input[name="at"]')).toHaveAttribute('max', '100');
  });

  test('settings round-trip through the URL, and bad URL values fall back to defaults', async ({ page }) => {
    await page.goto(lesson.stats);
    const widget = page.locator('nn-running-stats').first();
    await widget.locator('select[name="variance"]').selectOption('unbiased');
    await widget.locator('input[name="n"]').focus();
    await page.keyboard.press('Home');
    await expect(page).toHaveURL(/stats\.n=2(&|$)/);
    const state = await widgetState(widget);
    expect(state).toMatchObject({ variance: 'unbiased', n: 2 });
    const shared = page.url();
    await page.goto('about:blank');
    await page.goto(shared);
    const reread = page.locator('nn-running-stats').first();
    await expect(reread.locator('[data-chart="mean"] svg')).toBeVisible();
    expect(await widgetState(reread)).toEqual(state);
    await expect(reread.locator('output[data-for="n"]')).toHaveText('2');

    await page.goto(`${lesson.stats}?stats.rho=1.5&stats.n=0&stats.variance=nope&stats.at=-3`);
    const fallback = page.locator('nn-running-stats').first();
    await expect(fallback.locator('[data-chart="mean"] svg')).toBeVisible();
    expect(await widgetState(fallback)).toMatchObject({ rho: 0.99, n: 32, variance: 'biased', at: 50 });
  });

  test('the embed page hides controls it is asked to hide', async ({ page }) => {
    await page.goto('embed/running-stats/?hide=variance,actions&stats.rho=0.9');
    const widget = page.locator('nn-running-stats');
    await expect(widget.locator('[data-chart="mean"] svg')).toBeVisible();
    await expect(widget.locator('[data-control="variance"]')).toBeHidden();
    await expect(widget.locator('[data-control="actions"]')).toBeHidden();
    await expect(widget.locator('output[data-for="rho"]')).toHaveText('0.900');
  });
});

test.describe('Backpropagation through BN', () => {
  test('sliders redraw dx; the engine agrees with finite differences and dx sums to zero', async ({ page }) => {
    await page.goto(lesson.grad);
    const widget = page.locator('nn-bn-gradient').first();
    await expect(widget.locator('[data-chart="dx"] svg')).toBeVisible();
    for (const name of ['n', 'gamma', 'eps']) {
      const before = await chartMarkup(widget, 'dx');
      await widget.locator(`input[name="${name}"]`).focus();
      await page.keyboard.press('End');
      await expect.poll(() => chartMarkup(widget, 'dx'), `${name} changes dx`).not.toBe(before);
      await expect(widget.locator('[data-value="sum"]')).toHaveText('0.000');
      const check = Number(await widget.locator('[data-value="check"]').textContent());
      expect(check).toBeLessThan(1e-5);
    }
    await expect(widget.locator('[data-chart="dx"] svg')).toHaveAttribute('aria-label', /Input gradient dx/);
  });

  test('a constant upstream gradient gives dx = 0; one sample’s gradient reaches all', async ({ page }) => {
    await page.goto(lesson.grad);
    const widget = page.locator('nn-bn-gradient').first();
    await widget.locator('select[name="upstream"]').selectOption('constant');
    await expect(widget.locator('[data-summary]')).toContainText('dx is zero');
    await expect(widget.locator('[data-value="dbeta"]')).toHaveText('6.000');
    await widget.locator('select[name="upstream"]').selectOption('one');
    await expect(widget.locator('[data-summary]')).toContainText('yet all 6 inputs get one');
    await expect(page).toHaveURL(/grad\.upstream=one(&|$)/);
    await page.reload();
    await expect(page.locator('nn-bn-gradient').first().locator('select[name="upstream"]')).toHaveValue('one');
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
