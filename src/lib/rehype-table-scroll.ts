/**
 * A rehype plugin: every `<table>` in lesson content is wrapped in a box that scrolls sideways on
 * its own (`.table-scroll`), so a wide results table never makes a phone's page scroll. The box is
 * a focusable region so keyboard users can scroll it too (WAI's scrollable-region rule), named by
 * the table's caption or headers and the section it sits in (two regions never share a name). An
 * empty header cell (the corner of a comparison table) becomes a plain cell: it heads nothing.
 */
import type { Element, ElementContent, Root, RootContent } from 'hast';

type Parent = Root | Element;

export function rehypeTableScroll() {
  return (tree: Root): void => {
    const state = { section: '', names: new Map<string, number>() };
    wrapTables(tree, state);
  };
}

interface WalkState {
  /** The text of the last h2/h3 passed, in document order. */
  section: string;
  /** How often each region name has been given so far. */
  names: Map<string, number>;
}

const text = (node: ElementContent | RootContent): string =>
  node.type === 'text' ? node.value : node.type === 'element' ? node.children.map(text).join('') : '';

function wrapTables(parent: Parent, state: WalkState): void {
  parent.children = parent.children.map((child) => {
    if (child.type !== 'element') return child;
    if (child.tagName === 'h2' || child.tagName === 'h3') state.section = text(child).trim();
    if (child.tagName === 'table') return scrollBox(child, state);
    wrapTables(child, state);
    return child;
  }) as (RootContent & ElementContent)[];
}

function scrollBox(table: Element, state: WalkState): Element {
  demoteEmptyHeaders(table);
  let name = `Table: ${tableName(table)}${state.section ? `, in “${state.section}”` : ''}`;
  const seen = state.names.get(name) ?? 0;
  state.names.set(name, seen + 1);
  if (seen > 0) name += ` (${seen + 1})`;
  return {
    type: 'element',
    tagName: 'div',
    properties: { className: ['table-scroll'], tabIndex: 0, role: 'region', ariaLabel: name },
    children: [table],
  };
}

function demoteEmptyHeaders(node: Element): void {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    if (child.tagName === 'th' && text(child).trim() === '') child.tagName = 'td';
    else demoteEmptyHeaders(child);
  }
}

/** The table's caption, else its header cells, as a short name for the region. */
function tableName(table: Element): string {
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
