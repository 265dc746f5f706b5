import { describe, expect, it } from 'vitest';
import type { Element, Root } from 'hast';
import { rehypeTableScroll } from './rehype-table-scroll';

const el = (tagName: string, children: Root['children'] = [], properties = {}): Element => ({ type: 'element', tagName, properties, children: children as Element['children'] });
const txt = (value: string) => ({ type: 'text' as const, value });

describe('rehypeTableScroll', () => {
  it('wraps every table, however deep, in a focusable scroll region named by its headers', () => {
    const table = el('table', [el('thead', [el('tr', [el('th', [txt('batch')]), el('th', [txt('accuracy')])])]), el('tbody', [el('tr', [el('td', [txt('32')])])])]);
    const tree: Root = { type: 'root', children: [el('section', [el('p'), table])] };
    rehypeTableScroll()(tree);
    const wrapper = (tree.children[0] as Element).children[1] as Element;
    expect(wrapper.tagName).toBe('div');
    expect(wrapper.properties).toMatchObject({ className: ['table-scroll'], tabIndex: 0, role: 'region', ariaLabel: 'Table: batch, accuracy' });
    expect(wrapper.children[0]).toBe(table);
  });

  it('prefers the caption as the region name', () => {
    const tree: Root = { type: 'root', children: [el('table', [el('caption', [txt(' Results ')]), el('tr', [el('th', [txt('x')])])])] };
    rehypeTableScroll()(tree);
    expect((tree.children[0] as Element).properties.ariaLabel).toBe('Table: Results');
  });
});
