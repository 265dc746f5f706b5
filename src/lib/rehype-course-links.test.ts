import type { Root } from 'hast';
import { describe, expect, it } from 'vitest';
import { rehypeCourseLinks } from './rehype-course-links';

const link = (href: string) => ({
  type: 'element' as const,
  tagName: 'a',
  properties: { href },
  children: [{ type: 'text' as const, value: 'x' }],
});

describe('rehypeCourseLinks({ excluded })', () => {
  it('turns links to lessons outside the course into text and keeps every other link', () => {
    const tree: Root = {
      type: 'root',
      children: [
        {
          type: 'element',
          tagName: 'p',
          properties: {},
          children: [link('../gone/'), link('../gone/#part'), link('../kept/'), link('https://x.org/gone/')],
        },
      ],
    };
    rehypeCourseLinks({ excluded: ['gone'] })(tree);
    const p = tree.children[0] as { children: { tagName: string }[] };
    expect(p.children.map((c) => c.tagName)).toEqual(['span', 'span', 'a', 'a']);
  });
});
