/**
 * What may come out of the sandbox that runs the reader's code (sandbox.worker.ts), declared once
 * and parsed as untrusted data (besides a first `{ type: 'started' }`, which only starts the
 * time limit): by the sandbox's supervisor, which receives the reader worker's
 * messages, and again by the page. Everything is capped (lines, characters, array sizes) and the
 * reply says when something was cut. Only outputs leave the sandbox ("ran", "outputs",
 * "trained", "progress", "failed"); a verdict never does — the page has no shape for one.
 */
import type { CellError } from './run-code.ts';
import type { TrainProgress, TrainRequest, TrainSummary } from './train-own-layer.ts';
import type { DataFiles } from '@engine/worker/data-assets.ts';

/** Caps on what a cell may print or return; the runtime, the supervisor and the page all apply them. */
export const outputCaps = {
  logLines: 200,
  logChars: 20_000,
  lineChars: 2_000,
  valueChars: 10_000,
  errorChars: 2_000,
  /** Reader calls recorded during a Check, and numbers in all their outputs together. */
  calls: 500,
  numbers: 200_000,
  depth: 8,
  /** Messages one request may send before the sandbox stops it (progress is thinned first). */
  messages: 2_000,
} as const;

/**
 * One request to the sandbox. Every `code` (and a Train's `forwardCode` and `backwardCode`) is
 * the cell's JavaScript: the page strips the types before sending (to-javascript.ts), so the
 * runtime started for each request carries no compiler.
 */
export type SandboxRequest =
  | { type: 'run'; code: string }
  | { type: 'check'; exercise: string; code: string }
  | ({ type: 'train' } & TrainRequest & { files: DataFiles });

/** Plain data the checker can compare: numbers, strings, booleans, null, arrays and plain objects of those. */
export type Plain = number | string | boolean | null | undefined | Plain[] | { [key: string]: Plain };

/** One call of a reader function during a Check: what it returned (or threw), and its arguments afterwards. */
export interface RecordedCall {
  name: string;
  threw: string | null;
  value: Plain;
  /** The arguments as they were after the call (a check may test that an input was left unchanged). */
  argsAfter: Plain[];
}

export interface CheckOutputs {
  /** The exercise's functions the cell defined. */
  defined: string[];
  calls: RecordedCall[];
}

export type SandboxReply =
  | { type: 'ran'; logs: string[]; value: string | null; cut: boolean }
  | ({ type: 'outputs'; logs: string[]; value: string | null; cut: boolean } & CheckOutputs)
  | { type: 'progress'; progress: TrainProgress }
  | { type: 'trained'; summary: TrainSummary }
  /** code 'csp': a Content-Security-Policy forbids evaluating code; 'cut': the sandbox stopped a flood. */
  | { type: 'failed'; code: 'error' | 'csp' | 'cut'; error: CellError; logs: string[]; cut: boolean };

const replyTypes: readonly unknown[] = ['ran', 'outputs', 'progress', 'trained', 'failed'];

/** Whether `data` claims to be a reply at all; anything else the code posts is ignored (and counted). */
export function isReplyLike(data: unknown): boolean {
  return isRecord(data) && replyTypes.includes(data.type);
}

/** Thrown by parsers: the message says what was received. */
export class BadReply extends Error {
  override name = 'BadReply';
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(v: unknown, max: number): { text: string; cut: boolean } {
  const s = typeof v === 'string' ? v : '';
  return s.length > max
    ? { text: `${s.slice(0, max)} … (cut: ${(s.length - max).toLocaleString('en')} more characters)`, cut: true }
    : { text: s, cut: false };
}

/** The first lines of a log, each and all together capped; says how much was dropped. */
export function capLogs(v: unknown): { logs: string[]; cut: boolean } {
  if (!Array.isArray(v)) return { logs: [], cut: v !== undefined };
  const logs: string[] = [];
  let chars = 0;
  let cut = false;
  const n = Math.min(v.length, outputCaps.logLines);
  for (let i = 0; i < n && chars < outputCaps.logChars; i++) {
    const line = text(typeof v[i] === 'string' ? v[i] : String(typeof v[i]), Math.min(outputCaps.lineChars, outputCaps.logChars - chars));
    cut ||= line.cut;
    chars += line.text.length;
    logs.push(line.text);
  }
  if (logs.length < v.length) {
    cut = true;
    logs.push(`… (output cut: ${(v.length - logs.length).toLocaleString('en')} more lines not shown)`);
  }
  return { logs, cut };
}

function value(v: unknown): { value: string | null; cut: boolean } {
  if (v === null || v === undefined) return { value: null, cut: false };
  const t = text(v, outputCaps.valueChars);
  return { value: t.text, cut: t.cut };
}

function cellError(v: unknown): CellError {
  const e = isRecord(v) ? v : {};
  const line = typeof e.line === 'number' && Number.isInteger(e.line) && e.line > 0 ? e.line : null;
  return { message: text(e.message, outputCaps.errorChars).text || 'the code failed without a message', line };
}

/**
 * A copy of `v` holding only plain data, within the caps: functions, symbols and class instances
 * other than arrays and typed arrays become a description string, so the checker reports them as
 * a wrong type. Reading a getter here runs the reader's code — that is why this runs in the
 * sandbox, and the checker parses the result again.
 */
export function toPlain(v: unknown, budget = { numbers: outputCaps.numbers }, depth = 0): Plain {
  if (v === null || v === undefined || typeof v === 'boolean') return v as Plain;
  if (typeof v === 'number') {
    budget.numbers--;
    return v;
  }
  if (typeof v === 'string') return text(v, outputCaps.lineChars).text;
  if (typeof v !== 'object') return `[${typeof v}]`;
  if (depth >= outputCaps.depth) return '[nested too deep]';
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) v = Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) {
    if (v.length > budget.numbers)
      throw new BadReply(
        `an output of ${v.length.toLocaleString('en')} elements is over the limit of ${outputCaps.numbers.toLocaleString('en')} numbers a check receives`,
      );
    const out: Plain[] = [];
    for (let i = 0; i < v.length; i++) {
      if (budget.numbers <= 0) throw new BadReply(`the outputs hold more than ${outputCaps.numbers.toLocaleString('en')} numbers`);
      out.push(toPlain(v[i], budget, depth + 1));
    }
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null)
    return `[an object of class ${String((v as object).constructor?.name ?? '?').slice(0, 40)}]`;
  const out: Record<string, Plain> = {};
  for (const key of Object.keys(v as object).slice(0, 64)) {
    Object.defineProperty(out, key, {
      value: toPlain((v as Record<string, unknown>)[key], budget, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

function calls(v: unknown, names: readonly string[] | null): RecordedCall[] {
  if (!Array.isArray(v)) throw new BadReply(`expected a list of calls, received ${typeof v}`);
  if (v.length > outputCaps.calls) throw new BadReply(`${v.length} calls is over the limit of ${outputCaps.calls}`);
  const budget = { numbers: outputCaps.numbers };
  return v.map((c, i) => {
    if (!isRecord(c) || typeof c.name !== 'string' || (names && !names.includes(c.name)))
      throw new BadReply(`call ${i} is not a call of one of the exercise's functions`);
    const argsAfter = Array.isArray(c.argsAfter) ? c.argsAfter.slice(0, 8).map((a) => toPlain(a, budget)) : [];
    return {
      name: c.name,
      threw: c.threw === null || c.threw === undefined ? null : text(c.threw, outputCaps.errorChars).text,
      value: toPlain(c.value, budget),
      argsAfter,
    };
  });
}

function progress(v: unknown): TrainProgress {
  const p = isRecord(v) ? v : {};
  const phase = p.phase === 'data' || p.phase === 'engine' || p.phase === 'yours' ? p.phase : 'yours';
  const done = typeof p.done === 'number' && p.done >= 0 && p.done <= 1 ? p.done : 0;
  return { phase, done };
}

const finite = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : NaN);

function summary(v: unknown): TrainSummary {
  const s = isRecord(v) ? v : {};
  const arm = (a: unknown, name: 'engine' | 'yours') => {
    const r = isRecord(a) ? a : {};
    const curve = Array.isArray(r.curve)
      ? r.curve.slice(0, 200).map((p): [number, number] => (Array.isArray(p) ? [finite(p[0]), finite(p[1])] : [NaN, NaN]))
      : [];
    return { name, curve, validationAccuracy: finite(r.validationAccuracy), seconds: finite(r.seconds) };
  };
  const arms = Array.isArray(s.arms) ? s.arms : [];
  return {
    images: finite(s.images),
    steps: finite(s.steps),
    arms: [arm(arms[0], 'engine'), arm(arms[1], 'yours')],
    slowdown: finite(s.slowdown),
  };
}

/**
 * Parses one message from the sandbox. `exerciseFunctions` names the functions a Check may
 * report calls of (null: any name, for the supervisor, which does not know the exercise).
 */
export function parseSandboxReply(data: unknown, exerciseFunctions: readonly string[] | null = null): SandboxReply {
  if (!isRecord(data)) throw new BadReply(`expected a reply object, received ${data === null ? 'null' : typeof data}`);
  switch (data.type) {
    case 'ran': {
      const l = capLogs(data.logs);
      const r = value(data.value);
      return { type: 'ran', logs: l.logs, value: r.value, cut: l.cut || r.cut || data.cut === true };
    }
    case 'outputs': {
      const l = capLogs(data.logs);
      const r = value(data.value);
      const defined = Array.isArray(data.defined)
        ? data.defined
            .filter((n): n is string => typeof n === 'string' && (!exerciseFunctions || exerciseFunctions.includes(n)))
            .slice(0, 16)
        : [];
      return {
        type: 'outputs',
        logs: l.logs,
        value: r.value,
        cut: l.cut || r.cut || data.cut === true,
        defined,
        calls: calls(data.calls, exerciseFunctions),
      };
    }
    case 'progress':
      return { type: 'progress', progress: progress(data.progress) };
    case 'trained':
      return { type: 'trained', summary: summary(data.summary) };
    case 'failed': {
      const l = capLogs(data.logs);
      const code = data.code === 'csp' || data.code === 'cut' ? data.code : 'error';
      return { type: 'failed', code, error: cellError(data.error), logs: l.logs, cut: l.cut || data.cut === true };
    }
    default:
      throw new BadReply(
        `expected a reply of type ran, outputs, progress, trained or failed, received ${text(String(data.type), 40).text}`,
      );
  }
}
