/**
 * A Check in two realms. In the sandbox, `recordCheck` runs the reader's code and drives the
 * exercise's calls of the reader's functions (forward, then backward with the reader's own cache
 * object, a random generator or a loss function passed in…), recording each call's output and its
 * arguments afterwards as plain data; whatever the exercise concludes there is thrown away. In the
 * checker worker, which never runs reader code, `judgeCheck` runs the same exercise with functions
 * that answer each call with the recorded output, in order: every comparison with the engine — the
 * verdict — is computed there, on structured-cloned numbers only.
 */
import type { StageResult } from './compare.ts';
import type { Exercise, ReaderFunctions } from './exercise.ts';
import { explainError, formatCellError, runCell } from './run-code.ts';
import { outputCaps, toPlain, type CheckOutputs, type Plain, type RecordedCall } from './sandbox-protocol.ts';

export interface CheckReport {
  logs: string[];
  value: string | null;
  stages: StageResult[];
  pass: boolean;
}

const explain = (e: unknown) => formatCellError(explainError(e));

/** Reader realm: runs the code (type-stripped JavaScript), then the exercise's calls, recording their outputs. */
export function recordCheck(exercise: Exercise, js: string): { logs: string[]; value: string | null; cut: boolean } & CheckOutputs {
  const out = runCell(js, exercise.functions);
  const calls: RecordedCall[] = [];
  const budget = { numbers: outputCaps.numbers };
  const record =
    (name: string, fn: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      const after = () => args.map((a) => (typeof a === 'object' && a !== null ? toPlain(a, budget) : null));
      try {
        const value = fn(...args);
        if (calls.length < outputCaps.calls) calls.push({ name, threw: null, value: toPlain(value, budget), argsAfter: after() });
        return value;
      } catch (e) {
        if (calls.length < outputCaps.calls) calls.push({ name, threw: explain(e), value: null, argsAfter: after() });
        throw e;
      }
    };
  const defined = exercise.functions.filter((n) => typeof out.functions[n] === 'function');
  const fns: ReaderFunctions = Object.fromEntries(defined.map((n) => [n, record(n, out.functions[n] as (...args: unknown[]) => unknown)]));
  try {
    exercise.check(fns, { explain });
  } catch {
    // The reader's code can break the check here (a getter that throws, a poisoned built-in); the
    // checker then finds the calls that were not recorded and fails them.
  }
  return { logs: out.logs, value: out.value, cut: out.cut, defined, calls };
}

class RecordedThrow extends Error {}

/** Writes the recorded state of an argument back into the checker's own copy (nested arrays and objects). */
function restoreInto(target: unknown, after: Plain): void {
  if (typeof target !== 'object' || target === null || typeof after !== 'object' || after === null) return;
  if (Array.isArray(target) !== Array.isArray(after)) return;
  const t = target as Record<string, unknown>;
  for (const key of Object.keys(after)) {
    if (!Object.prototype.hasOwnProperty.call(t, key)) continue;
    const a = (after as Record<string, Plain>)[key];
    if (typeof t[key] === 'object' && t[key] !== null) restoreInto(t[key], a);
    else if (typeof t[key] === 'number' && typeof a === 'number') t[key] = a;
  }
}

/** Checker realm: the verdict, from the recorded outputs only. */
export function judgeCheck(exercise: Exercise, outputs: CheckOutputs): { stages: StageResult[]; pass: boolean } {
  const queues = new Map<string, RecordedCall[]>(exercise.functions.map((n) => [n, outputs.calls.filter((c) => c.name === n)]));
  const replay =
    (name: string) =>
    (...args: unknown[]) => {
      const call = queues.get(name)?.shift();
      if (!call) throw new RecordedThrow('no output was received for this call (the code stopped the check before it)');
      call.argsAfter.forEach((a, i) => restoreInto(args[i], a));
      if (call.threw !== null) throw new RecordedThrow(call.threw);
      return call.value;
    };
  const fns: ReaderFunctions = Object.fromEntries(exercise.functions.filter((n) => outputs.defined.includes(n)).map((n) => [n, replay(n)]));
  const stages = exercise.check(fns, { explain: (e) => (e instanceof RecordedThrow ? e.message : explain(e)) });
  return { stages, pass: stages.length > 0 && stages.every((s) => s.pass) };
}
