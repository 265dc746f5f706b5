/**
 * The concept widgets' charts are drawn at build time (in theme colours, via CSS custom
 * properties), so a reader without JavaScript gets the starting picture, and with JavaScript the
 * live charts replace them rather than pile up beside them.
 */
import { expect, test } from './fixtures';

const widgets = [
  { lesson: 'lessons/the-bn-transform/', tag: 'nn-bn-explorer', charts: ['x', 'xhat', 'y'] },
  { lesson: 'lessons/why-normalize/', tag: 'nn-batches-in-space', charts: ['space'] },
  { lesson: 'lessons/train-vs-eval/', tag: 'nn-running-stats', charts: ['mean', 'variance'] },
  { lesson: 'lessons/backprop-through-bn/', tag: 'nn-bn-gradient', charts: ['dy', 'dx'] },
  { lesson: 'lessons/dropout/', tag: 'nn-dropout-masks', charts: ['masks'] },
];

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  for (const { lesson, tag, charts } of widgets) {
    test(`${tag} shows its starting charts, coloured by the theme`, async ({ page }) => {
      await page.goto(lesson);
      const widget = page.locator(tag).first();
      await expect(widget.locator('noscript')).toHaveCount(1);
      for (const name of charts) {
        const svg = widget.locator(`[data-chart="${name}"] > svg`);
        await expect(svg, `${tag} chart ${name}`).toHaveCount(1);
        await expect(svg).toBeVisible();
        await expect(svg).toHaveAttribute('role', 'img');
        await expect(svg).toHaveAttribute('aria-label', /\S/);
        // Marks are coloured from the page's custom properties, which the browser resolves.
        const colours = await svg.evaluate((el) => {
          const mark = el.querySelector('[fill^="var(--color-"], [stroke^="var(--color-"]');
          return mark
            ? { attribute: mark.getAttribute('fill') ?? mark.getAttribute('stroke'), computed: getComputedStyle(mark).fill }
            : null;
        });
        expect(colours, `${tag} chart ${name} uses theme colours`).not.toBeNull();
        expect(colours!.computed).toMatch(/^rgb/);
      }
    });
  }

  test('dark mode recolours the pre-rendered charts with no script', async ({ page }) => {
    const fillOfBars = () =>
      page
        .locator('nn-bn-explorer [data-chart="x"] g.bars rect')
        .first()
        .evaluate((el) => getComputedStyle(el).fill);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(widgets[0].lesson);
    const light = await fillOfBars();
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(fillOfBars).not.toBe(light);
  });
});

test.describe('with JavaScript', () => {
  for (const { lesson, tag, charts } of widgets) {
    test(`${tag} replaces the pre-rendered charts with live ones`, async ({ page }) => {
      await page.goto(lesson);
      const widget = page.locator(tag).first();
      await expect(widget.locator('fieldset.widget-controls')).toBeEnabled();
      for (const name of charts) {
        const svg = widget.locator(`[data-chart="${name}"] > svg`);
        await expect(svg, `${tag} chart ${name}`).toHaveCount(1);
        // Live charts carry the resolved colours the script read, not var() references.
        await expect(widget.locator(`[data-chart="${name}"] [fill^="var("], [data-chart="${name}"] [stroke^="var("]`)).toHaveCount(0);
      }
    });
  }
});
