/**
 * A rehype plugin for a course configured without some lessons (course.config.json's `lessons`):
 * a lesson's relative link to a lesson this build leaves out (`../batch-size/`, `../dropout/#masks`)
 * becomes plain text marked "not in this course", so the built site has no broken link.
 */
import type { Element, Root, RootContent } from 'hast';

const lessonLink = /^\.\.\/([a-z0-9-]+)\/(#.*)?$/;

export function rehypeCourseLinks(options: { excluded: readonly string[] }) {
  const excluded = new Set(options.excluded);
  const visit = (node: Root | Element): void => {
    node.children = node.children.map((child): RootContent => {
      if (child.type !== 'element') return child;
      const href = child.tagName === 'a' ? child.properties.href : undefined;
      const id = typeof href === 'string' ? lessonLink.exec(href)?.[1] : undefined;
      if (id !== undefined && excluded.has(id)) {
        return {
          type: 'element',
          tagName: 'span',
          properties: { className: ['outside-course'], title: 'This lesson is not part of this course' },
          children: child.children,
        };
      }
      visit(child);
      return child;
    }) as typeof node.children;
  };
  return (tree: Root): void => visit(tree);
}
