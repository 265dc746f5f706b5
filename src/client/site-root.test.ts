import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { dataManifestUrl, siteRoot, siteUrl } from './site-root';

function page(url: string, root: string | null): Document {
  const window = new Window({ url });
  if (root !== null) window.document.head.innerHTML = `<meta name="normlab-root" content="${root}">`;
  return window.document as unknown as Document;
}

describe('siteRoot(document)', () => {
  it.each([
    ['http://h/a/lessons/x/', '../../', 'http://h/a/'],
    ['http://h/deep/b/c/', './', 'http://h/deep/b/c/'],
    ['http://h/deep/b/c/embed/bn-explorer/?hide=x', '../../', 'http://h/deep/b/c/'],
    ['https://h/course/lessons/x/', '/course/', 'https://h/course/'],
  ])('on %s with %j is %s', (url, root, expected) => {
    expect(siteRoot(page(url, root)).href).toBe(expected);
  });

  it('refuses a page without the meta, naming the page', () => {
    expect(() => siteRoot(page('http://h/x/', null))).toThrow(/http:\/\/h\/x\/ has no <meta name="normlab-root">/);
  });
});

describe('siteUrl(path) and dataManifestUrl()', () => {
  it('build absolute URLs under the root, whatever the folder the site is hosted in', () => {
    const lesson = page('http://h:1/deep/b/c/lessons/x/?run.lr=1', '../../');
    expect(siteUrl('code-cell-sandbox.html', lesson)).toBe('http://h:1/deep/b/c/code-cell-sandbox.html');
    expect(siteUrl('/pagefind/pagefind.js', lesson)).toBe('http://h:1/deep/b/c/pagefind/pagefind.js');
    expect(dataManifestUrl(lesson)).toBe('http://h:1/deep/b/c/data/mnist.json');
  });
});
