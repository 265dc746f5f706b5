// One build for any address. Without BASE_PATH, `astro build` (the integration below) builds with a
// placeholder base and then rewrites every occurrence of it in the HTML into the way from that page
// up to the site's root ('./' on the home page, '../../' on a lesson), and in the stylesheets (fonts:
// '../' from `_astro/`), so the built files work from whatever folder they are copied to, with no
// rebuild. Scripts never hold the placeholder: Vite writes the URLs in them relative to the script
// itself (`renderBuiltUrl`), and code that needs the root at run time reads it from the page
// (<meta name="normlab-root">, resolved by src/client/site-root.ts). A placeholder left in any other
// text file fails the build, naming it.
//
// 404.html is the exception: a static host serves it at the missing address, at any depth, so no
// path written into it can be right everywhere. Its URLs are written relative to the root and a
// small inline script puts a <base> before them, found from the address (the part before the last
// folder the build has at its top: `lessons/`, `embed/`…, else the parent folder).
import type { AstroIntegration } from 'astro';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The base Astro builds with when no BASE_PATH is set; never left in a built file. */
export const relativeBase = '/__normlab-root__/';

/** The way up from a built file to the site's root: 'index.html' → './', 'lessons/x/index.html' → '../../'. */
export function rootPrefix(path: string): string {
  const depth = path.split('/').length - 1;
  return depth === 0 ? './' : '../'.repeat(depth);
}

/** A page or stylesheet with every placeholder base replaced by its way up to the root. */
export function relativizeFile(text: string, path: string): string {
  return text.replaceAll(relativeBase, rootPrefix(path));
}

/** The script 404.html runs first: a <base> at the site's root, guessed from the missing address. */
export function notFoundBaseScript(sections: readonly string[]): string {
  const names = sections.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return (
    `<script>(() => { const p = location.pathname; const m = /^(.*\\/)(?:${names})(?:\\/|$)/.exec(p); ` +
    `const b = document.createElement('base'); b.href = m ? m[1] : p.replace(/[^/]*\\/?$/, ''); document.head.prepend(b); })();</script>`
  );
}

/** 404.html: URLs relative to the root, behind the <base> its first script sets. */
export function relativizeNotFound(html: string, sections: readonly string[]): string {
  const head = html.indexOf('<head>');
  if (head === -1) throw new Error('relative URLs: 404.html has no <head>; expected a full page from BaseLayout');
  const at = head + '<head>'.length;
  return (html.slice(0, at) + notFoundBaseScript(sections) + html.slice(at)).replaceAll(relativeBase, './');
}

const textFile = /\.(html|js|mjs|css|json|svg|txt|xml|webmanifest)$/;

/** Rewrites a built site in place; returns the number of pages and stylesheets rewritten. */
export async function relativizeSite(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const files = entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'));
  const sections = entries.filter((e) => e.isDirectory() && e.parentPath === dir).map((e) => e.name);
  const leftover: string[] = [];
  let rewritten = 0;
  for (const path of files.filter((f) => textFile.test(f))) {
    const text = await readFile(join(dir, path), 'utf8');
    if (!text.includes(relativeBase)) continue;
    if (path === '404.html') await writeFile(join(dir, path), relativizeNotFound(text, sections));
    else if (/\.(html|css)$/.test(path)) await writeFile(join(dir, path), relativizeFile(text, path));
    else {
      leftover.push(path);
      continue;
    }
    rewritten++;
  }
  if (leftover.length > 0) {
    throw new Error(
      `relative URLs: ${leftover.join(', ')} still hold the build's placeholder base ${relativeBase}; ` +
        'expected none outside HTML (runtime code must take the root from siteRoot(), not import.meta.env.BASE_URL)',
    );
  }
  return rewritten;
}

/**
 * The Astro integration: on `astro build` without BASE_PATH, builds with the placeholder base and
 * Vite's relative asset URLs, then rewrites the HTML. `astro dev` and `astro preview` keep '/'.
 */
export function relativeUrls(): AstroIntegration {
  return {
    name: 'normlab-relative-urls',
    hooks: {
      'astro:config:setup': ({ command, updateConfig }) => {
        if (command !== 'build') return;
        updateConfig({ base: relativeBase, vite: { experimental: { renderBuiltUrl: () => ({ relative: true }) } } });
      },
      'astro:build:done': async ({ dir, logger }) => {
        const files = await relativizeSite(fileURLToPath(dir));
        logger.info(`${files} pages and stylesheets rewritten with URLs relative to themselves: the build works from any folder`);
      },
    },
  };
}
