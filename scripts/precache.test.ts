import { describe, expect, it } from 'vitest';
import { precacheUrl } from './precache';

describe('precacheUrl(path)', () => {
  it('lists pages as their folder URL and keeps scripts, styles, WOFF2 fonts and the search index', () => {
    expect(precacheUrl('index.html')).toBe('');
    expect(precacheUrl('lessons/why-normalize/index.html')).toBe('lessons/why-normalize/');
    expect(precacheUrl('404.html')).toBe('404.html');
    expect(precacheUrl('_astro/KaTeX_Main-Regular.B22Nviop.woff2')).toBe('_astro/KaTeX_Main-Regular.B22Nviop.woff2');
    expect(precacheUrl('pagefind/pagefind.js')).toBe('pagefind/pagefind.js');
    expect(precacheUrl('pagefind/fragment/en_1a2b.pf_fragment')).toBe('pagefind/fragment/en_1a2b.pf_fragment');
    expect(precacheUrl('theme.js')).toBe('theme.js');
    expect(precacheUrl('data/mnist.json')).toBe('data/mnist.json');
  });

  it('leaves the data set, font fallbacks, unused Pagefind UI and itself to the network', () => {
    for (const path of ['data/train-images.idx.gz', '_astro/KaTeX_Main-Regular.ypZvNtVU.ttf', '_astro/KaTeX_Main-Regular.Dr94JaBh.woff', 'pagefind/pagefind-ui.js', 'pagefind/pagefind-highlight.js', 'content-assets.mjs', 'precache.json', 'sw.js']) {
      expect(precacheUrl(path), path).toBeNull();
    }
  });
});
