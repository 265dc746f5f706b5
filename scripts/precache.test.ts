import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { precacheUrl, writePrecache } from './precache';

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
    for (const path of [
      'data/train-images.idx.gz',
      '_astro/KaTeX_Main-Regular.ypZvNtVU.ttf',
      '_astro/KaTeX_Main-Regular.Dr94JaBh.woff',
      'pagefind/pagefind-ui.js',
      'pagefind/pagefind-highlight.js',
      'content-assets.mjs',
      'precache.json',
      'sw.js',
    ]) {
      expect(precacheUrl(path), path).toBeNull();
    }
  });
});

describe('writePrecache(site)', () => {
  async function site(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'precache-'));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    return dir;
  }
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const built = {
    'index.html': '<h1>Home</h1>',
    'lessons/a/index.html': '<h1>A</h1>',
    '_astro/app.B1.js': 'run()',
    'data/train-images.idx.gz': 'images',
    'sw.js': 'worker',
  };

  it('lists every precached file with the SHA-256 of its bytes, sorted by path, and writes precache.json', async () => {
    const dir = await site(built);
    const precache = await writePrecache(dir);
    expect(precache.files).toEqual([
      { url: '_astro/app.B1.js', sha256: sha256('run()') },
      { url: '', sha256: sha256('<h1>Home</h1>') },
      { url: 'lessons/a/', sha256: sha256('<h1>A</h1>') },
    ]);
    expect(precache.version).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.parse(await readFile(join(dir, 'precache.json'), 'utf8'))).toEqual(precache);
    await rm(dir, { recursive: true });
  });

  it('changes the version when one listed byte changes, and only then', async () => {
    const versions = [];
    for (const files of [
      built,
      built,
      { ...built, 'data/train-images.idx.gz': 'other images' },
      { ...built, '_astro/app.B1.js': 'run();' },
    ]) {
      const dir = await site(files);
      versions.push((await writePrecache(dir)).version);
      await rm(dir, { recursive: true });
    }
    expect(versions[1]).toBe(versions[0]);
    expect(versions[2]).toBe(versions[0]);
    expect(versions[3]).not.toBe(versions[0]);
  });
});
