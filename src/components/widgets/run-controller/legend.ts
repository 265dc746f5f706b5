/**
 * A legend list for charts whose series are known only at run time (parameters, BN units):
 * one swatch and label per series, in the chart's colour order, as plain HTML so it reads
 * without the chart and follows the theme like the rest of the text.
 */
export function fillLegend(list: HTMLElement, items: readonly { label: string; color: string }[]): void {
  list.replaceChildren(
    ...items.map(({ label, color }) => {
      const li = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = color;
      swatch.setAttribute('aria-hidden', 'true');
      li.append(swatch, ` ${label}`);
      return li;
    }),
  );
}
