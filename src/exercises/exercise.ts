/**
 * A code cell's contract: the functions the reader writes (by name), the starter code, a hint, a
 * reference solution, and `check`, which calls the reader's functions on seeded inputs and
 * compares each stage with the engine's own layer (see compare.ts).
 */
import { MissingField, type StageResult } from './compare.ts';

/** The reader's functions, found by name after their code ran. */
export type ReaderFunctions = Record<string, ((...args: never[]) => unknown) | undefined>;

export interface CheckContext {
  /** Turns an error thrown by the reader's code into a message with its line in the cell. */
  explain(error: unknown): string;
}

export interface Exercise {
  id: string;
  /** The functions the reader writes, in the order they are checked. */
  functions: readonly string[];
  starter: string;
  hint: string;
  solution: string;
  check(fns: ReaderFunctions, context: CheckContext): StageResult[];
}

/**
 * Calls one of the reader's functions; a missing function or a thrown error becomes a failed stage
 * (returned in `failure`) instead of ending the whole check.
 */
export function callReader(
  fns: ReaderFunctions,
  name: string,
  args: unknown[],
  caseName: string,
  context: CheckContext,
): { value: unknown; failure: null } | { value: null; failure: StageResult } {
  const fn = fns[name];
  const fail = (message: string) => ({
    value: null,
    failure: { case: caseName, stage: name, pass: false, relError: Infinity, firstWrong: null, message },
  });
  if (typeof fn !== 'function') return fail(`define a function named ${name}: none was found in the cell`);
  try {
    return { value: (fn as (...a: unknown[]) => unknown)(...args), failure: null };
  } catch (e) {
    return fail(`${name} threw: ${context.explain(e)}`);
  }
}

/** Reads a field of the object the reader returned, or explains what was returned instead. */
export function field(value: unknown, name: string, fn: string): unknown {
  if (value && typeof value === 'object' && name in value) return (value as Record<string, unknown>)[name];
  return new MissingField(`${fn} must return an object with a field '${name}'`);
}
