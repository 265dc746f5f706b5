/**
 * Code cells (src/components/code-cell/, src/exercises/): the reference solutions pass every
 * check in the page, typical wrong answers fail with a message that names the mistake, an endless
 * loop is stopped within the time limit while the page stays responsive, errors show their line,
 * the editor loads lazily, the code survives a reload and prints as text, and "train with your
 * layer" matches the engine's BN.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { exercises } from '../../src/exercises/index.ts';
import { expect, test } from './fixtures.ts';
import { report } from './training-page.ts';

// A Run or Check starts a sandbox frame (its own process) and fresh workers: seconds on a loaded
// machine, so the waits below leave room for that.
test.describe.configure({ timeout: 120_000 });
const slow = { timeout: 45_000 };

const pages: Record<string, string> = {
  'bn-forward': 'lessons/the-bn-transform/',
  'bn-backward': 'lessons/backprop-through-bn/',
  'bn-backward-compact': 'lessons/backprop-through-bn/',
  'grad-check': 'lessons/backprop-through-bn/',
  'bn-eval': 'lessons/train-vs-eval/',
  dropout: 'lessons/dropout/',
  'l2-adamw': 'lessons/weight-decay-and-l2/',
  clipping: 'lessons/gradient-clipping/',
  'spatial-bn': 'lessons/bn-in-convnets/',
};

/** Stores code for cells before the page loads, as a reader's earlier visit would have. */
async function storeCode(page: Page, codes: Record<string, string>): Promise<void> {
  await page.addInitScript((entries) => {
    // Init scripts run in every frame, the code-cell sandbox's too, where storage is refused.
    if (window.origin === 'null') return;
    for (const [key, code] of entries) localStorage.setItem(`normlab.code-cell.${key}`, code);
  }, Object.entries(codes));
}

function cell(page: Page, exercise: string): Locator {
  return page.locator(`nn-code-cell[data-exercise="${exercise}"]`);
}

async function check(c: Locator): Promise<Locator> {
  await expect(c).toHaveAttribute('data-ready', '');
  await c.getByRole('button', { name: 'Check' }).click();
  const verdict = c.locator('[data-verdict]');
  await expect(verdict).toBeVisible(slow);
  return verdict;
}

function mutate(code: string, from: string, to: string): string {
  if (!code.includes(from)) throw new Error(`mutation target not found: ${from}`);
  return code.replace(from, to);
}

test.describe('code cells', () => {
  for (const [id, path] of Object.entries(pages)) {
    test(`${id}: the reference solution passes every check in the page`, async ({ page }) => {
      await storeCode(page, { [id]: exercises[id].solution });
      await page.goto(path);
      const verdict = await check(cell(page, id));
      await expect(verdict).toHaveAttribute('data-verdict', 'pass');
      await expect(verdict).toContainText(/All \d+ stages pass/);
    });
  }

  const wrong: { name: string; id: string; code: () => string; stage: RegExp; message: RegExp }[] = [
    {
      name: 'forgetting ε',
      id: 'bn-forward',
      code: () => mutate(exercises['bn-forward'].solution, 'Math.sqrt(variance[h] + eps)', 'Math.sqrt(variance[h])'),
      stage: /xhat/,
      message: /ε/,
    },
    {
      name: 'the unbiased variance in training',
      id: 'bn-forward',
      code: () => mutate(exercises['bn-forward'].solution, '** 2 / N', '** 2 / (N - 1)'),
      stage: /variance/,
      message: /N − 1/,
    },
    {
      name: 'dx without the mean-of-gradients term',
      id: 'bn-backward',
      code: () => mutate(exercises['bn-backward'].solution, ' + dmu[h] / N));', '));'),
      stage: /dx/,
      message: /mean-of-gradients/,
    },
    {
      name: 'the compact dx without −Σdy',
      id: 'bn-backward-compact',
      code: () => mutate(exercises['bn-backward-compact'].solution, ' - sumDy[h] - ', ' - '),
      stage: /dx/,
      message: /mean-of-gradients/,
    },
    {
      name: 'dropout without rescaling',
      id: 'dropout',
      code: () => mutate(exercises.dropout.solution, '1 / (1 - rate) : 0', '1 : 0'),
      stage: /y/,
      message: /not rescaled/,
    },
    {
      name: 'clipping per tensor instead of globally',
      id: 'clipping',
      code: () =>
        mutate(
          exercises.clipping.solution,
          'let sum = 0;\n  for (const g of grads) for (const v of g) sum += v * v;\n  const norm = Math.sqrt(sum);\n  const scale = norm > maxNorm ? maxNorm / norm : 1;\n  return { grads: grads.map((g) => g.map((v) => v * scale)), norm };',
          'let sum = 0;\n  for (const g of grads) for (const v of g) sum += v * v;\n  const norm = Math.sqrt(sum);\n  return { grads: grads.map((g) => { const own = Math.hypot(...g); return g.map((v) => own > maxNorm ? v * maxNorm / own : v); }), norm };',
        ),
      stage: /grads\[/,
      message: /global norm/,
    },
  ];
  for (const w of wrong) {
    test(`${w.id}: ${w.name} fails with a message that names it`, async ({ page }) => {
      await storeCode(page, { [w.id]: w.code() });
      await page.goto(pages[w.id]);
      const verdict = await check(cell(page, w.id));
      await expect(verdict).toHaveAttribute('data-verdict', 'fail');
      const text = (await verdict.textContent()) ?? '';
      expect(text).toMatch(w.stage);
      expect(text).toMatch(w.message);
      expect(text).toMatch(/first wrong element .*: expected .*, got /);
      await expect(cell(page, w.id).locator('table.code-cell-stages tr.fail').first()).toBeVisible();
    });
  }

  test(
    'an endless loop is stopped within the time limit, the page stays responsive, and a fresh worker runs the next code',
    { tag: '@base-path' },
    async ({ page }) => {
      await storeCode(page, { 'bn-forward': 'let i = 0;\nwhile (true) { i++; }\n' });
      await page.goto(pages['bn-forward']);
      const c = cell(page, 'bn-forward');
      await expect(c).toHaveAttribute('data-ready', '');
      await c.getByRole('button', { name: 'Run' }).click();
      // While the worker spins, the page still takes input: an endless loop on the main thread would
      // never let the theme toggle act (a condition, not a time: the perf spec reports the timings).
      const html = page.locator('html');
      const before = await html.getAttribute('data-theme');
      await page.locator('.site-header [data-theme-toggle]').click();
      await expect(html).not.toHaveAttribute('data-theme', before ?? '');
      await expect(c.locator('.code-cell-error')).toContainText(/Stopped\. stopped after 5 s/, slow);
      // The reader fixes the code: the next Run goes to a fresh worker.
      await c.getByRole('button', { name: 'Reset to starter' }).click();
      await c.getByRole('button', { name: 'Run' }).click();
      await expect(c.locator('.code-cell-value')).toContainText('→ [[0, 0], [0, 0]]', slow);
    },
  );

  test('a syntax error and a runtime error show their line in the cell; console output and the last value appear', async ({
    page,
    problems,
  }) => {
    problems.allow(/Content Security Policy|Refused to connect/);
    await storeCode(page, {
      'bn-forward': 'const a = 1;\nconst b = ;\n',
      'bn-backward': 'console.log("hello", [1, 2]);\nfunction f() {\n  return missing + 1;\n}\nf()\n',
      'bn-backward-compact': 'console.log("sum", 1 + 2);\nconst xs: number[] = [1, 2, 3];\nxs.map((v) => v * 2)\n',
      'grad-check': 'console.log("origin", self.origin, typeof caches);\nfetch("http://127.0.0.1:9/x")\n',
    });
    await page.goto(pages['bn-forward']);
    let c = cell(page, 'bn-forward');
    await expect(c).toHaveAttribute('data-ready', '');
    await c.getByRole('button', { name: 'Run' }).click();
    await expect(c.locator('.code-cell-error')).toContainText('Line 2: SyntaxError', slow);

    await page.goto(pages['bn-backward']);
    c = cell(page, 'bn-backward');
    await expect(c).toHaveAttribute('data-ready', '');
    await c.getByRole('button', { name: 'Run' }).click();
    await expect(c.locator('.code-cell-logs')).toHaveText('hello [1, 2]', slow);
    await expect(c.locator('.code-cell-error')).toContainText('Line 3: ReferenceError: missing is not defined', slow);

    c = cell(page, 'bn-backward-compact');
    await c.getByRole('button', { name: 'Run' }).click();
    await expect(c.locator('.code-cell-logs')).toHaveText('sum 3', slow);
    await expect(c.locator('.code-cell-value')).toHaveText('→ [2, 4, 6]', slow);

    c = cell(page, 'grad-check');
    await c.getByRole('button', { name: 'Run' }).click();
    // The sandbox's opaque origin has no Cache Storage, and its policy refuses every connection.
    await expect(c.locator('.code-cell-logs')).toHaveText('origin null undefined', slow);
    await expect(c.locator('.code-cell-error')).toContainText(
      'the promise on the last line was rejected: TypeError: Failed to fetch',
      slow,
    );
  });

  test('the editor loads only on pages with a cell, when a cell comes into view', { tag: '@base-path' }, async ({ page }) => {
    const editorRequests: string[] = [];
    page.on('request', (r) => {
      if (/\/_astro\/editor\.[^/]+\.js$/.test(r.url())) editorRequests.push(r.url());
    });
    await page.goto('lessons/why-normalize/');
    await page.waitForLoadState('networkidle');
    expect(editorRequests, 'a page without a code cell loads no editor').toEqual([]);
    await page.goto(pages['bn-forward']);
    await page.waitForLoadState('networkidle');
    expect(editorRequests, 'the cell is far below the fold: no editor yet').toEqual([]);
    await expect(cell(page, 'bn-forward').locator('pre[data-code]')).toContainText('function batchNormForward(x, gamma, beta, eps)');
    const response = page.waitForResponse((r) => /\/_astro\/editor\.[^/]+\.js$/.test(r.url()));
    await cell(page, 'bn-forward').scrollIntoViewIfNeeded();
    await response;
    await expect(cell(page, 'bn-forward').locator('.cm-editor')).toBeVisible();
  });

  test('an edit is kept across a reload, Reset brings the starter back, and the solution is offered only after a Check', async ({
    page,
  }) => {
    await page.goto(pages['bn-eval']);
    const c = cell(page, 'bn-eval');
    await c.scrollIntoViewIfNeeded();
    const editor = c.locator('.cm-content');
    await expect(editor).toBeVisible();
    await expect(c.getByRole('button', { name: 'Show the solution' })).toBeDisabled();
    await editor.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type('\n// my note');
    await page.reload();
    await c.scrollIntoViewIfNeeded();
    await expect(c.locator('.cm-content')).toContainText('// my note');
    await c.getByRole('button', { name: 'Check' }).click();
    await expect(c.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'fail', slow);
    await c.getByRole('button', { name: 'Show the solution' }).click();
    await expect(c.locator('[data-solution]')).toContainText('return 1 - m;');
    await c.getByRole('button', { name: 'Reset to starter' }).click();
    await expect(c.locator('.cm-content')).not.toContainText('// my note');
    await page.reload();
    await c.scrollIntoViewIfNeeded();
    await expect(c.locator('.cm-content')).not.toContainText('// my note');
  });

  test('keyboard: Tab reaches the code, the editor loads on focus, Ctrl+Enter runs', async ({ page }) => {
    await page.goto(pages['bn-forward']);
    const c = cell(page, 'bn-forward');
    await c.locator('pre[data-code]').focus();
    await expect(c.locator('.cm-content')).toBeFocused();
    await page.keyboard.press('ControlOrMeta+Enter');
    await expect(c.locator('.code-cell-value')).toContainText('→ [[0, 0], [0, 0]]', slow);
  });

  test('the code prints as text and reads without JavaScript', async ({ page, browser, baseURL }) => {
    await page.goto(pages['bn-forward']);
    const c = cell(page, 'bn-forward');
    await c.scrollIntoViewIfNeeded();
    await expect(c.locator('.cm-editor')).toBeVisible();
    await page.emulateMedia({ media: 'print' });
    await expect(c.locator('.cm-editor')).toBeHidden();
    await expect(c.locator('pre.code-cell-print')).toBeVisible();
    await expect(c.locator('pre.code-cell-print')).toContainText('function batchNormForward');
    await expect(c.getByRole('button', { name: 'Run' })).toBeHidden();

    const context = await browser.newContext({ javaScriptEnabled: false });
    const noJs = await context.newPage();
    await noJs.goto(new URL(pages['bn-forward'], baseURL).href);
    await expect(cell(noJs, 'bn-forward').locator('pre[data-code]')).toContainText('const mu = new Array(H).fill(0);');
    await expect(cell(noJs, 'bn-forward').getByRole('button', { name: 'Run' })).toBeDisabled();
    await context.close();
  });
});

for (const theme of ['light', 'dark'] as const) {
  test(`a cell with its editor, a failed check and the solution open has no serious accessibility violation (${theme})`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: theme, reducedMotion: 'reduce' });
    await storeCode(page, { 'bn-forward': mutate(exercises['bn-forward'].solution, '** 2 / N', '** 2 / (N - 1)') });
    await page.goto(pages['bn-forward']);
    const c = cell(page, 'bn-forward');
    await c.scrollIntoViewIfNeeded();
    await expect(c.locator('.cm-editor')).toBeVisible();
    await check(c);
    await c.getByRole('button', { name: 'Show a hint' }).click();
    await c.getByRole('button', { name: 'Show the solution' }).click();
    const results = await new AxeBuilder({ page })
      .include('nn-code-cell')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .analyze();
    const serious = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id}: ${v.help} — ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(' | ')}`,
      );
    expect(serious).toEqual([]);
    await c.screenshot({ path: test.info().outputPath(`code-cell-${theme}.png`) });
  });
}

test.describe('train with your own layer', () => {
  test.setTimeout(300_000);

  test('a wrong layer is caught by the checks before any training', async ({ page }) => {
    await storeCode(page, {
      'bn-forward': exercises['bn-forward'].solution,
      'bn-backward': mutate(exercises['bn-backward'].solution, ' + dmu[h] / N));', '));'),
    });
    await page.goto(pages['bn-backward']);
    const c = cell(page, 'bn-backward');
    await expect(c).toHaveAttribute('data-ready', '');
    await c.getByRole('button', { name: 'Train with my layer' }).click();
    await expect(c.locator('[data-train-result]')).toContainText(
      /batchNormBackward \(“Backpropagation through BN”\) does not pass its checks yet.*mean-of-gradients/,
      slow,
    );
  });

  test('Stop ends a training run at once', { tag: '@base-path' }, async ({ page }) => {
    await storeCode(page, { 'bn-forward': exercises['bn-forward'].solution, 'bn-backward': exercises['bn-backward'].solution });
    await page.goto(pages['bn-backward']);
    const c = cell(page, 'bn-backward');
    await expect(c).toHaveAttribute('data-ready', '');
    await c.getByRole('button', { name: 'Train with my layer' }).click();
    await expect(c.locator('[data-train-result]')).toContainText(/Loading the MNIST data|Training with/, slow);
    await c.getByRole('button', { name: 'Stop training' }).click();
    await expect(c.locator('[data-train-result]')).toContainText('training stopped: you pressed Stop');
    await expect(c.getByRole('button', { name: 'Stop training' })).toBeHidden();
  });

  test("the reader's correct BN reaches the engine's validation accuracy within 0.5 points", async ({ page }) => {
    await storeCode(page, { 'bn-forward': exercises['bn-forward'].solution, 'bn-backward': exercises['bn-backward'].solution });
    await page.goto(pages['bn-backward']);
    const c = cell(page, 'bn-backward');
    await expect(c).toHaveAttribute('data-ready', '');
    await c.getByRole('button', { name: 'Train with my layer' }).click();
    const summary = c.locator('[data-train-summary]');
    await expect(summary).toBeVisible({ timeout: 280_000 });
    const accuracy = async (arm: string) =>
      Number(((await c.locator(`tr[data-arm="${arm}"] td`).nth(1).textContent()) ?? '').replace(' %', ''));
    const engine = await accuracy('engine');
    const yours = await accuracy('yours');
    const times = await c.locator('tr[data-arm] td:nth-child(3)').allTextContents();
    const losses = await c.locator('tr[data-arm] td:nth-child(4)').allTextContents();
    report(
      'code-cell',
      `train with your layer (1 epoch, 10,000 images, seed 1): validation accuracy engine ${engine} %, yours ${yours} %; time ${times.join(' vs ')}; last training loss ${losses.join(' vs ')}; ${await summary.textContent()}`,
    );
    expect(engine).toBeGreaterThan(85);
    expect(Math.abs(engine - yours)).toBeLessThanOrEqual(0.5);
    await expect(c.locator('[data-train-chart] svg, [data-train-chart] img').first()).toBeVisible();
  });
});

test.describe('the same in Keras / PyTorch', () => {
  test("the training run's panel follows its settings and copies", async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto('lessons/gradient-clipping/');
    const widget = page.locator('nn-training-run[data-key="sgd"]');
    const panel = widget.locator('nn-framework-code');
    await panel.locator('summary').click();
    const torch = panel.locator('[data-code="pytorch"]');
    const keras = panel.locator('[data-code="keras"]');
    await expect(torch).toContainText('torch.optim.SGD(');
    await expect(torch).toContainText('lr=2.0');
    await expect(torch).not.toContainText('clip_grad_norm_');
    await expect(keras).toContainText('keras.optimizers.SGD(learning_rate=2.0');
    // Move the clipping slider to 1 (10⁰) and choose BN: both code blocks follow.
    await widget.locator('input[name="clip"]').evaluate((input: HTMLInputElement) => {
      input.value = '0';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await widget.locator('select[name="norm"]').selectOption('batch');
    await expect(torch).toContainText('clip_grad_norm_(model.parameters(), max_norm=1.0)');
    await expect(torch).toContainText('nn.BatchNorm1d(128, momentum=0.01, eps=0.001)');
    await expect(keras).toContainText('global_clipnorm=1.0');
    await expect(keras).toContainText('layers.BatchNormalization(momentum=0.99, epsilon=0.001)');
    await panel.getByRole('button', { name: 'Copy PyTorch code' }).click();
    await expect(panel.locator('[data-copy-status="pytorch"]')).toHaveText(/Copied|Selected/);
  });

  test("the experiment widgets' panels show the run they would start and follow their settings", async ({ page }) => {
    const open = async (widget: Locator) => {
      const panel = widget.locator('nn-framework-code');
      await panel.locator('summary').click();
      return { keras: panel.locator('[data-code="keras"]'), note: panel.locator('[data-framework-note]') };
    };
    await page.goto('lessons/bn-vs-none/');
    const compare = page.locator('nn-bn-vs-none');
    const c = await open(compare);
    await expect(c.note).toContainText('The no-BN run is the same code without the BatchNormalization layers');
    await expect(c.keras).toContainText('layers.BatchNormalization(momentum=0.99');
    await compare.locator('select[name="lr"]').selectOption('0.01');
    await compare.locator('select[name="bnMomentum"]').selectOption('0.9');
    await expect(c.keras).toContainText('keras.optimizers.Adam(learning_rate=0.01');
    await expect(c.keras).toContainText('layers.BatchNormalization(momentum=0.9,');

    const diag = page.locator('nn-layer-diagnostics');
    const d = await open(diag);
    await expect(d.note).toBeHidden();
    await diag.locator('select[name="optimizer"]').selectOption('sgd');
    await diag.locator('select[name="lr"]').selectOption('0.1');
    await expect(d.keras).toContainText('keras.optimizers.SGD(learning_rate=0.1');

    await page.goto('lessons/batch-size-sweep/');
    const sweep = page.locator('nn-batch-sweep');
    const s = await open(sweep);
    await expect(s.note).toContainText('(batch 16 · no BN)');
    await expect(s.note).toContainText('batch size over 16, 32, 64, 128, 256, each without and with BN');
    await expect(s.keras).toContainText('batch_size=16,');
    await expect(s.keras).not.toContainText('BatchNormalization');
    await sweep.getByRole('checkbox', { name: '16' }).uncheck();
    await sweep.locator('select[name="norms"]').selectOption('batch');
    await expect(s.note).toContainText('(batch 32 · BN)');
    await expect(s.note).toContainText('batch size over 32, 64, 128, 256;');
    await expect(s.keras).toContainText('batch_size=32,');
    await expect(s.keras).toContainText('layers.BatchNormalization(');
  });
});
