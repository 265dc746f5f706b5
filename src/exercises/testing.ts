/**
 * Both realms of a code cell in one, for the unit tests (the site always splits them: types are
 * stripped in the page's type-stripping worker, the code runs in the sandbox, the verdict is
 * computed in the checker).
 */
import { judgeCheck, recordCheck, type CheckReport } from './check-cell.ts';
import type { Exercise } from './exercise.ts';
import { runCell, CellRunError, type CellOutput } from './run-code.ts';
import { toJavaScript } from './to-javascript.ts';

/** The cell's JavaScript; a syntax error throws as it would in the sandbox. */
export function javaScriptOf(code: string): string {
  const js = toJavaScript(code);
  if (!js.ok) throw new CellRunError(js.error, []);
  return js.code;
}

/** A cell's TypeScript, stripped and run. */
export function runTypeScript(code: string, functionNames: readonly string[]): CellOutput {
  return runCell(javaScriptOf(code), functionNames);
}

/** A whole Check: stripped, recorded, judged. */
export function checkCell(exercise: Exercise, code: string): CheckReport {
  const recorded = recordCheck(exercise, javaScriptOf(code));
  return {
    logs: recorded.logs,
    value: recorded.value,
    ...judgeCheck(exercise, structuredClone({ defined: recorded.defined, calls: recorded.calls })),
  };
}
