/**
 * Runs a code cell inside the code-cell worker (never on the page's main thread): evaluates its
 * JavaScript — the cell's text with its TypeScript types already stripped (to-javascript.ts, done
 * outside the sandbox by the page's type-stripping worker; line numbers unchanged) — as a function
 * body, captures console output and the value of the last expression, and finds the reader's
 * functions by name.
 *
 * Why `new Function`: evaluating text is the point of a code cell. It runs only in the sandbox's
 * reader worker (sandbox.worker.ts), a fresh one per request, where the browser enforces no network
 * and no storage; nothing it returns is trusted (see sandbox-protocol.ts and check-cell.ts).
 */
import { describeValue, formatNumber } from './compare.ts';

export interface CellError {
  /** Error name and message, e.g. "TypeError: x.map is not a function". */
  message: string;
  /** 1-based line in the cell, when known. */
  line: number | null;
}

export interface CellOutput {
  /** console.log/info/warn/error lines, in order (capped). */
  logs: string[];
  /** The value of the last line when it is an expression, formatted; null otherwise. */
  value: string | null;
  /** That value itself (a Run awaits it when it is a promise). */
  raw: unknown;
  /** Whether the logs or the value were cut to the caps. */
  cut: boolean;
  /** The reader's functions, by the names asked for (undefined when not defined). */
  functions: Record<string, ((...args: never[]) => unknown) | undefined>;
}

const maxLogLines = 200;
const maxLogChars = 20_000;
const maxLineChars = 2_000;
const cutMark = ' … (output cut)';

/** Whether a formatted value was cut (a long string is shortened with a note). */
export function isCut(value: string | null): boolean {
  return value !== null && value.includes(' … (cut: ');
}

/** How many lines `new Function` puts before the body (2 in V8: "function anonymous(a\n) {"). */
const bodyLineOffset = (() => {
  try {
    new Function('a', 'throw new Error("probe")')();
  } catch (e) {
    const line = stackLine(e);
    if (line !== null) return line - 1;
  }
  return 2;
})();

/** The first line number inside evaluated code named in an error's stack (V8 and Firefox formats). */
function stackLine(e: unknown): number | null {
  const stack = e instanceof Error ? String(e.stack ?? '') : '';
  const m = /<anonymous>:(\d+):\d+/.exec(stack) ?? /> (?:Function|eval):(\d+):\d+/.exec(stack);
  return m ? Number(m[1]) : null;
}

/** An error from the reader's code as a message with the line in the cell. */
export function explainError(e: unknown): CellError {
  if (!(e instanceof Error)) return { message: `Uncaught ${describeValue(e)}`, line: null };
  const line = stackLine(e);
  return { message: `${e.name}: ${e.message}`, line: line === null ? null : line - bodyLineOffset };
}

export function formatCellError(error: CellError): string {
  return error.line === null ? error.message : `line ${error.line}: ${error.message}`;
}

const statementStart =
  /^(?:const|let|var|function|class|if|for|while|do|switch|try|return|throw|break|continue|async\s+function|import|export)\b|^[}{)\]/]|^$/;

/**
 * The body with its last line rewritten to store its value, when that line is a whole expression
 * (it compiles), else the body unchanged. Line numbers never move.
 */
function withLastValue(js: string, exportsLine: string): string {
  const lines = js.split('\n');
  let last = lines.length - 1;
  while (last >= 0 && (lines[last].trim() === '' || lines[last].trim().startsWith('//'))) last--;
  const plain = `${js}\n;${exportsLine}`;
  if (last < 0) return plain;
  const expr = lines[last].trim().replace(/;$/, '');
  if (statementStart.test(expr)) return plain;
  const rewritten = [...lines];
  rewritten[last] = `__nnValue = (${expr});`;
  const body = `${rewritten.join('\n')}\n;${exportsLine}`;
  try {
    new Function('console', `let __nnValue;${body}`);
    return body;
  } catch {
    return plain;
  }
}

/**
 * Runs a cell's JavaScript (`toJavaScript`'s output): its top-level statements execute once; the
 * named functions are returned for the checks. Throws a CellError-shaped object (via
 * `CellRunError`) on syntax or runtime errors.
 */
export function runCell(js: string, functionNames: readonly string[]): CellOutput {
  const logs: string[] = [];
  let chars = 0;
  const write =
    (prefix: string) =>
    (...args: unknown[]) => {
      if (logs.length >= maxLogLines || chars >= maxLogChars) return;
      const line = (prefix + args.map((a) => (typeof a === 'string' ? a.slice(0, maxLineChars) : formatValue(a))).join(' ')).slice(
        0,
        maxLineChars,
      );
      chars += line.length;
      logs.push(logs.length === maxLogLines - 1 || chars >= maxLogChars ? `${line.slice(0, 200)}${cutMark}` : line);
    };
  const console = { log: write(''), info: write(''), debug: write(''), warn: write('⚠ '), error: write('✖ ') };
  for (const name of functionNames) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new RangeError(`runCell: '${name}' is not a function name`);
  }
  const exportsLine = `return { value: __nnValue, functions: { ${functionNames.map((n) => `${n}: typeof ${n} === 'function' ? ${n} : undefined`).join(', ')} } };`;
  let fn: (c: typeof console) => { value: unknown; functions: CellOutput['functions'] };
  try {
    // `let __nnValue;` shares line 1 with the reader's first line, so no line number shifts.
    fn = new Function('console', `let __nnValue;${withLastValue(js, exportsLine)}`) as typeof fn;
  } catch (e) {
    throw new CellRunError({ message: `${(e as Error).name}: ${(e as Error).message}`, line: null }, logs);
  }
  try {
    const r = fn(console);
    const value = r.value === undefined ? null : formatValue(r.value);
    return { logs, value, raw: r.value, cut: logs.at(-1)?.endsWith(cutMark) === true || isCut(value), functions: r.functions };
  } catch (e) {
    throw new CellRunError(explainError(e), logs);
  }
}

export class CellRunError extends Error {
  constructor(
    readonly error: CellError,
    readonly logs: string[],
  ) {
    super(formatCellError(error));
  }
}

/** A compact, bounded rendering of a value for the output area. */
export function formatValue(v: unknown, depth = 0): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string')
    return v.length > maxLineChars
      ? `${JSON.stringify(v.slice(0, maxLineChars))} … (cut: a string of ${v.length.toLocaleString('en')} characters)`
      : JSON.stringify(v);
  if (typeof v === 'function') return `[function ${v.name || 'anonymous'}]`;
  if (v === null || typeof v !== 'object') return String(v);
  if (depth > 3) return Array.isArray(v) ? '[…]' : '{…}';
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const length = (v as ArrayLike<unknown>).length;
    const shown = Array.prototype.slice.call(v, 0, 12).map((x) => formatValue(x, depth + 1));
    return `[${shown.join(', ')}${length > 12 ? `, … ${length - 12} more` : ''}]`;
  }
  const entries: string[] = [];
  for (const k in v) {
    if (entries.length === 12) break;
    if (Object.prototype.hasOwnProperty.call(v, k))
      entries.push(`${k.slice(0, 100)}: ${formatValue((v as Record<string, unknown>)[k], depth + 1)}`);
  }
  return `{ ${entries.join(', ')} }`;
}
