// Static site. Without BASE_PATH the build works from any folder it is copied to (every URL relative,
// scripts/relative-urls.ts); BASE_PATH (e.g. `/course/`) builds absolute URLs for that one sub-path.
// OUT_DIR lets the browser tests build the variants side by side without overwriting each other.
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import remarkMath from 'remark-math';
import rehypeKatex from 'rehype-katex';
import { rehypeTableScroll } from './src/lib/rehype-table-scroll.ts';
import { aliases } from './aliases.config.mjs';
import { excludedLessons, loadCourse } from './src/lib/course-config.ts';
import { rehypeCourseLinks } from './src/lib/rehype-course-links.ts';
import { relativeUrls } from './scripts/relative-urls.ts';

// The course configuration (course.config.json or COURSE_CONFIG) is validated before anything is
// built, so a mistake in it stops the build with the file, the field and the value.
const course = loadCourse();

const fixedBase = process.env.BASE_PATH?.trim();

function basePath(value) {
  if (!value.startsWith('/')) {
    throw new Error(`BASE_PATH must start with "/", received "${value}"`);
  }
  return value.endsWith('/') ? value : `${value}/`;
}

export default defineConfig({
  output: 'static',
  base: fixedBase ? basePath(fixedBase) : '/',
  outDir: process.env.OUT_DIR ?? './dist',
  trailingSlash: 'always',
  build: { format: 'directory' },
  integrations: [mdx(), ...(fixedBase ? [] : [relativeUrls()])],
  markdown: {
    remarkPlugins: [remarkMath],
    // Math is rendered to HTML at build time; the page only needs KaTeX's CSS and fonts, which
    // Vite bundles from node_modules/katex (self-hosted, no CDN). Tables scroll inside their own
    // box so a wide one never widens a phone's page. Links to lessons the course configuration
    // leaves out become text.
    rehypePlugins: [rehypeKatex, rehypeTableScroll, [rehypeCourseLinks, { excluded: excludedLessons(course) }]],
  },
  devToolbar: { enabled: false },
  vite: {
    // No asset or script is inlined: KaTeX's smallest font would become a `data:` URL and small
    // scripts inline <script> tags, which a strict Content-Security-Policy (README) refuses.
    build: { assetsInlineLimit: 0 },
    resolve: { alias: aliases },
  },
});
