/** Runs a cell's code and checks it against its exercise: what the worker does for "Check". */
import type { StageResult } from './compare.ts';
import type { Exercise } from './exercise.ts';
import { explainError, formatCellError, runCell } from './run-code.ts';

export interface CheckReport {
  logs: string[];
  value: string | null;
  stages: StageResult[];
  pass: boolean;
}

export function checkCell(exercise: Exercise, code: string): CheckReport {
  const out = runCell(code, exercise.functions);
  const stages = exercise.check(out.functions, { explain: (e) => formatCellError(explainError(e)) });
  return { logs: out.logs, value: out.value, stages, pass: stages.length > 0 && stages.every((s) => s.pass) };
}
