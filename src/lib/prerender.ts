/**
 * Charts at build time: an Astro component runs a chart function against a server-side
 * (happy-dom) document and puts the markup in its HTML, so a widget's first view has real charts
 * before its script loads, and without JavaScript at all. Draw them with `cssVarColors` so they
 * follow the page's theme; the widget's script replaces them with live charts on connect.
 */
import { Window } from 'happy-dom';

let window: Window | undefined;

export function chartMarkup(draw: (document: Document) => Element): string {
  window ??= new Window();
  return draw(window.document as unknown as Document).outerHTML;
}
