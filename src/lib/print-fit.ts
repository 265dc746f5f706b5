/**
 * One printed page for a handout or answer sheet, on A4 and on Letter: while the page is laid out
 * for print (the `print` media query matches — Chromium and Firefox evaluate it when printing,
 * and Playwright's print emulation does too), the sheet, printed at a fixed width that fits both
 * papers, is measured and scaled down with CSS `zoom` (`--print-zoom`) until it fits the shorter
 * page's height. Zoom scales every length alike, so the text wraps the same and the height
 * scales exactly.
 */

/** Printable height of the shorter paper (Letter, 27.94 cm − 2 × 1.2 cm margins) in CSS px, less a safety line. */
export const printableHeightPx = ((27.94 - 2.4) / 2.54) * 96 - 12;

/** The zoom that makes a sheet `height` CSS px tall fit one page (never enlarges). */
export function printZoom(height: number, available = printableHeightPx): number {
  if (!(height > 0)) return 1;
  return Math.min(1, Math.floor((available / height) * 1000) / 1000);
}

export function fitToPage(sheet: HTMLElement | null): void {
  if (!sheet) return;
  const print = window.matchMedia('print');
  const fit = () => {
    sheet.style.removeProperty('--print-zoom');
    if (!print.matches) return;
    sheet.style.setProperty('--print-zoom', String(printZoom(sheet.getBoundingClientRect().height)));
  };
  print.addEventListener('change', fit);
  window.addEventListener('beforeprint', fit);
  fit();
}
