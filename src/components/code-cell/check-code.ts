/**
 * One Check of a reader's code, the only way the site judges code (the code cell's Check and
 * Train, the grading page): the sandbox (sandbox-client.ts) runs the code in fresh workers with
 * the network removed and the time limit, and records the outputs of the exercise's calls; a
 * checker worker (checker-client.ts: fresh, or kept by a grading lane), which never runs the code,
 * computes the verdict from them.
 */
import type { CheckReport } from '../../exercises/check-cell';
import type { SandboxReply } from '../../exercises/sandbox-protocol';
import { askChecker, type CheckerLane } from './checker-client';
import type { SandboxFrame } from './sandbox-client';

/** Run and Check stop after this long; an endless loop is the usual cause. */
export const cellTimeLimitMs = 5000;

export type CheckResult = { stages: true; report: CheckReport; cut: boolean } | Extract<SandboxReply, { type: 'failed' }>;

/**
 * Returns the report, or the sandbox's failure (a syntax error, a policy); throws CellTimeout when
 * the code outlives the limit (or `signal` aborts), and other errors when a worker fails.
 */
export async function checkCode(
  sandbox: SandboxFrame,
  exercise: string,
  code: string,
  functions: readonly string[],
  signal?: AbortSignal,
  checker?: CheckerLane,
): Promise<CheckResult> {
  const r = await sandbox.run({ type: 'check', exercise, code }, cellTimeLimitMs, { functions, signal });
  if (r.type === 'failed') return r;
  if (r.type !== 'outputs') throw new Error(`the sandbox answered a Check with ${r.type}`);
  const judge = { type: 'judge', exercise, outputs: { defined: r.defined, calls: r.calls } } as const;
  // A lane's kept checker (the grading page), else a fresh one: either way it sees the outputs only.
  const v = await (checker ? checker.ask(judge, cellTimeLimitMs, { signal }) : askChecker(judge, cellTimeLimitMs, { signal }));
  if (v.type !== 'judged') throw new Error(`the checker could not judge the outputs: ${v.type === 'failed' ? v.message : v.type}`);
  const report: CheckReport = { logs: r.logs, value: r.value, stages: v.stages, pass: v.pass };
  return { stages: true, report, cut: r.cut };
}
