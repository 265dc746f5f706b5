/**
 * One printed page for a handout or answer sheet, on A4 and on Letter: while the page is laid out
 * for print (the `print` media query matches — Chromium and Firefox evaluate it when printing,
 * and Playwright's print emulation does too), the sheet, printed at a fixed width that fits both
 * papers, is measured and its type scaled down (`--print-scale`, a factor on the print font
 * size; headings are sized in em) until the page is no taller than the shorter paper's printable
 * height. Type, not CSS zoom: Chromium paginates a zoomed element by its unzoomed height.
 */

/** Printable height of the shorter paper (Letter, 27.94 cm − 2 × 1.2 cm margins) in CSS px, less a safety line. */
export const printableHeightPx = ((27.94 - 2.4) / 2.54) * 96 - 12;

/** The next scale to try for a page `height` px tall at `scale` (never above 1, rounded down). */
export function nextScale(scale: number, height: number, available = printableHeightPx): number {
  if (!(height > 0)) return scale;
  return Math.min(1, Math.floor(scale * (available / height) * 1000) / 1000);
}

export function fitToPage(sheet: HTMLElement | null): void {
  if (!sheet) return;
  const print = window.matchMedia('print');
  const page = () => document.documentElement.scrollHeight;
  const fitsAt = (scale: number) => {
    sheet.style.setProperty('--print-scale', String(scale));
    return page() <= printableHeightPx;
  };
  const fit = () => {
    sheet.style.removeProperty('--print-scale');
    if (!print.matches || page() <= printableHeightPx) return;
    // Type does not scale every length (margins, formula boxes): shrink until the sheet fits, then
    // bisect between that scale and the one too large, so the type is as large as one page allows.
    let small = nextScale(1, page());
    let large = 1;
    for (let i = 0; i < 8 && !fitsAt(small); i++) [large, small] = [small, nextScale(small, page())];
    for (let i = 0; i < 6; i++) {
      const middle = Math.floor(((small + large) / 2) * 1000) / 1000;
      if (fitsAt(middle)) small = middle;
      else large = middle;
    }
    fitsAt(small);
  };
  print.addEventListener('change', fit);
  window.addEventListener('beforeprint', fit);
  fit();
}
