import { describe, expect, it } from 'vitest';
import type { Element, Root } from 'hast';
import { rehypeTableScroll } from './rehype-table-scroll';

const el = (tagName: string, children: Root['children'] = [], properties = {}): Element => ({
  type: 'element',
  tagName,
  properties,
  children: children as Element['children'],
});
const txt = (value: string) => ({ type: 'text' as const, value });
const comparison = () =>
  el('table', [
    el('thead', [el('tr', [el('th'), el('th', [txt('without BN')]), el('th', [txt('with BN')])])]),
    el('tbody', [el('tr', [el('td', [txt('97.5')])])]),
  ]);

describe('rehypeTableScroll', () => {
  it('wraps every table, however deep, in a focusable scroll region named by its headers and section', () => {
    const table = comparison();
    const tree: Root = { type: 'root', children: [el('h2', [txt('What we measured')]), el('section', [el('p'), table])] };
    rehypeTableScroll()(tree);
    const wrapper = (tree.children[1] as Element).children[1] as Element;
    expect(wrapper.tagName).toBe('div');
    expect(wrapper.properties).toMatchObject({
      className: ['table-scroll'],
      tabIndex: 0,
      role: 'region',
      ariaLabel: 'Table: without BN, with BN, in “What we measured”',
    });
    expect(wrapper.children[0]).toBe(table);
  });

  it('turns an empty corner header into a plain cell and never gives two regions one name', () => {
    const tree: Root = { type: 'root', children: [el('h2', [txt('Results')]), comparison(), comparison()] };
    rehypeTableScroll()(tree);
    const [first, second] = [tree.children[1], tree.children[2]] as Element[];
    expect(first.properties.ariaLabel).toBe('Table: without BN, with BN, in “Results”');
    expect(second.properties.ariaLabel).toBe('Table: without BN, with BN, in “Results” (2)');
    const corner = (((first.children[0] as Element).children[0] as Element).children[0] as Element).children[0] as Element;
    expect(corner.tagName).toBe('td');
  });

  it('prefers the caption as the region name', () => {
    const tree: Root = { type: 'root', children: [el('table', [el('caption', [txt(' Results ')]), el('tr', [el('th', [txt('x')])])])] };
    rehypeTableScroll()(tree);
    expect((tree.children[0] as Element).properties.ariaLabel).toBe('Table: Results');
  });
});
