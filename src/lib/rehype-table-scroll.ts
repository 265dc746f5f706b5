/**
 * A rehype plugin: every `<table>` in lesson content is wrapped in a box that scrolls sideways on
 * its own (`.table-scroll`), so a wide results table never makes a phone's page scroll. The box is
 * a focusable, labelled region so keyboard users can scroll it too (WAI's scrollable-region rule).
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';

type Parent = Root | Element;

export function rehypeTableScroll() {
  return (tree: Root): void => wrapTables(tree);
}

function wrapTables(parent: Parent): void {
  parent.children = parent.children.map((child) => {
    if (child.type !== 'element') return child;
    if (child.tagName === 'table') return scrollBox(child);
    wrapTables(child);
    return child;
  }) as (RootContent & ElementContent)[];
}

function scrollBox(table: Element): Element {
  return {
    type: 'element',
    tagName: 'div',
    properties: { className: ['table-scroll'], tabIndex: 0, role: 'region', ariaLabel: `Table: ${tableName(table)}` },
    children: [table],
  };
}

/** The table's caption, else its header cells, as a short name for the region. */
function tableName(table: Element): string {
  const text = (node: ElementContent): string => (node.type === 'text' ? node.value : node.type === 'element' ? node.children.map(text).join('') : '');
  const caption = table.children.find((c): c is Element => c.type === 'element' && c.tagName === 'caption');
  if (caption) return text(caption).trim();
  const headers: string[] = [];
  const collect = (node: ElementContent) => {
    if (node.type !== 'element') return;
    if (node.tagName === 'th') headers.push(text(node).trim());
    else if (node.tagName !== 'tbody') node.children.forEach(collect);
  };
  table.children.forEach(collect);
  const named = headers.filter(Boolean);
  return named.length > 0 ? named.join(', ') : 'scrolls sideways';
}
