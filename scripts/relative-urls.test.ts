import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notFoundBaseScript, relativeBase, relativizeFile, relativizeSite, rootPrefix } from './relative-urls';

const page = (head: string, body = '') => `<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`;

describe('rootPrefix(path)', () => {
  it.each([
    ['index.html', './'],
    ['404.html', './'],
    ['search/index.html', '../'],
    ['_astro/answers.css', '../'],
    ['lessons/dropout/index.html', '../../'],
    ['lessons/dropout/handout/index.html', '../../../'],
  ])('%s → %s', (path, prefix) => {
    expect(rootPrefix(path)).toBe(prefix);
  });
});

describe('relativizeFile(text, path)', () => {
  // Every URL an Astro page carries: links, forms, scripts, styles, srcset, the root meta, inline CSS and module scripts.
  const built = page(
    `<meta name="normlab-root" content="${relativeBase}"><link rel="stylesheet" href="${relativeBase}_astro/a.css"><script src="${relativeBase}theme.js"></script>` +
      `<style>@font-face{src:url(${relativeBase}_astro/f.woff2)}</style>`,
    `<a href="${relativeBase}lessons/x/#part">x</a><form action="${relativeBase}search/"></form><img srcset="${relativeBase}a.png 1x, ${relativeBase}b.png 2x">` +
      `<script type="module">import("${relativeBase}_astro/m.js")</script><div data-course='{"path":"${relativeBase}lessons/y/"}'></div>`,
  );
  const targets = [
    '',
    '_astro/a.css',
    'theme.js',
    '_astro/f.woff2',
    'lessons/x/#part',
    'search/',
    'a.png',
    'b.png',
    '_astro/m.js',
    'lessons/y/',
  ];
  const urls = (html: string) => [...html.matchAll(/(?:\.\.\/|\.\/)+[\w/.#-]*/g)].map((m) => m[0]);

  it.each([
    ['index.html', ''],
    ['lessons/dropout/index.html', 'lessons/dropout/'],
    ['lessons/dropout/handout/index.html', 'lessons/dropout/handout/'],
  ])('makes every URL of %s relative, resolving to the same file from any folder', (path, at) => {
    const html = relativizeFile(built, path);
    expect(html).not.toContain(relativeBase);
    for (const host of ['http://h/', 'http://h/a/', 'https://h/deep/b/c/']) {
      expect(urls(html).map((u) => new URL(u, host + at).href)).toEqual(targets.map((t) => host + t));
    }
  });

  it("makes a stylesheet's font URLs relative to the stylesheet", () => {
    const css = relativizeFile(`@font-face{src:url(${relativeBase}_astro/KaTeX_Main.woff2)}`, '_astro/answers.css');
    expect(css).toBe('@font-face{src:url(../_astro/KaTeX_Main.woff2)}');
  });
});

describe('notFoundBaseScript(sections)', () => {
  /** The <base> the script sets when the 404 page is served at `pathname`. */
  function baseAt(pathname: string): string {
    const code = /<script>(.*)<\/script>/.exec(notFoundBaseScript(['_astro', 'embed', 'lessons', 'search']))![1];
    const base = { href: '' };
    const document = { createElement: () => base, head: { prepend: () => undefined } };
    new Function('location', 'document', code)({ pathname }, document);
    return base.href;
  }

  it.each([
    ['/lessons/no-such-lesson/deeper/', '/'],
    ['/a/lessons/no-such-lesson/deeper/', '/a/'],
    ['/deep/b/c/embed/nothing/', '/deep/b/c/'],
    ['/courses/lessons/normlab/lessons/typo/', '/courses/lessons/normlab/'],
    ['/a/typo/', '/a/'],
    ['/a/typo', '/a/'],
  ])('served at %s puts the root at %s', (pathname, expected) => {
    expect(baseAt(pathname)).toBe(expected);
  });
});

describe('relativizeSite(dir)', () => {
  async function site(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'relative-urls-'));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    return dir;
  }

  it('rewrites pages and stylesheets, gives 404.html its base script first, and leaves other files alone', async () => {
    const script = 'new URL("a.js", import.meta.url)';
    const dir = await site({
      'index.html': page(`<link href="${relativeBase}_astro/a.css">`),
      'lessons/x/index.html': page('', `<a href="${relativeBase}">home</a>`),
      '404.html': page(`<meta charset="utf-8"><link href="${relativeBase}_astro/a.css">`),
      '_astro/a.css': `b{background:url(${relativeBase}_astro/i.svg)}`,
      '_astro/m.js': script,
    });
    expect(await relativizeSite(dir)).toBe(4);
    expect(await readFile(join(dir, 'index.html'), 'utf8')).toContain('<link href="./_astro/a.css">');
    expect(await readFile(join(dir, 'lessons/x/index.html'), 'utf8')).toContain('<a href="../../">home</a>');
    expect(await readFile(join(dir, '_astro/a.css'), 'utf8')).toBe('b{background:url(../_astro/i.svg)}');
    expect(await readFile(join(dir, '_astro/m.js'), 'utf8')).toBe(script);
    const notFound = await readFile(join(dir, '404.html'), 'utf8');
    expect(notFound).toMatch(
      /^<!DOCTYPE html><html><head><script>\(\(\) => \{.*lessons.*<\/script><meta charset="utf-8"><link href="\.\/_astro\/a\.css">/,
    );
  });

  it('fails the build naming a script that still holds the placeholder base', async () => {
    const dir = await site({ 'index.html': page(''), '_astro/bad.js': `fetch("${relativeBase}data/mnist.json")` });
    await expect(relativizeSite(dir)).rejects.toThrow(
      `relative URLs: _astro/bad.js still hold the build's placeholder base ${relativeBase}`,
    );
  });
});
