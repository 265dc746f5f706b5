/**
 * A code cell's text as the JavaScript the sandbox runs: TypeScript types stripped by Sucrase, or
 * the first syntax error with its line. Pure parsing, never evaluation, so it runs outside the
 * sandbox — in the page's type-stripping worker (strip-types.worker.ts), kept for the page's life —
 * and the reader runtime started fresh for every request carries no compiler: Sucrase was 200 KB
 * of the runtime's 340 KB and most of each request's start-up time.
 *
 * Why Sucrase: it strips types without type-checking (about 10× less code than the TypeScript
 * compiler) and keeps every statement on its line, so an error's line number in the evaluated code
 * is its line in the cell. Its parser also reports syntax errors with a line and column, which
 * V8's `new Function` does not.
 */
import { transform } from 'sucrase';
import type { CellError } from './run-code.ts';

const blocked = /\bimport\s*\(|\bimport\s*\.\s*meta\b|^\s*(?:import|export)\b/m;

export type StrippedCode = { ok: true; code: string } | { ok: false; error: CellError };

/** Type-stripped JavaScript, or the first syntax error with its line. */
export function toJavaScript(code: string): StrippedCode {
  const bad = blocked.exec(code);
  if (bad) {
    const line = code.slice(0, bad.index + bad[0].search(/\S/)).split('\n').length;
    return { ok: false, error: { message: 'code cells cannot import modules: everything a cell needs is already in it', line } };
  }
  try {
    return { ok: true, code: transform(code, { transforms: ['typescript'], disableESTransforms: true }).code };
  } catch (e) {
    const loc = (e as { loc?: { line: number } }).loc;
    const message = (e as Error).message.replace(/\s*\(\d+:\d+\)$/, '');
    return { ok: false, error: { message: `SyntaxError: ${message}`, line: loc ? loc.line : null } };
  }
}
