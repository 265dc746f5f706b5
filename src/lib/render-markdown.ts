/**
 * Markdown fragments of a lesson (its exercises and answers) rendered at build time with the same
 * math pipeline as the lessons (remark-math + KaTeX), for pages built from lesson content such as
 * the handouts. Uses Astro's own Markdown processor (`@astrojs/markdown-remark`, which Astro
 * depends on at an exact version).
 */
import { createMarkdownProcessor, type MarkdownProcessor } from '@astrojs/markdown-remark';
import katex from 'katex';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';
import { excludedLessons } from './course-config';
import { course } from './course';
import { rehypeCourseLinks } from './rehype-course-links';

let processor: Promise<MarkdownProcessor> | undefined;

export async function renderMarkdown(markdown: string): Promise<string> {
  processor ??= createMarkdownProcessor({
    remarkPlugins: [remarkMath],
    rehypePlugins: [rehypeKatex, [rehypeCourseLinks, { excluded: excludedLessons(course) }]],
    syntaxHighlight: false,
  });
  return (await (await processor).render(markdown)).code;
}

/** One display formula as KaTeX HTML; a TeX error fails the build with the formula in the message. */
export function renderFormula(tex: string): string {
  return katex.renderToString(tex, { displayMode: true, throwOnError: true });
}
