/**
 * Grading a class's submission files, without the DOM: the columns of the answer key (every
 * checked exercise and code cell of every lesson), each student's exercise replies re-checked with
 * nn-exercise's own comparison (answer-check.ts), the code-cell Checks still to run (each through
 * check-code.ts, the code cell's path), and the table's text, which the page shows and the CSV
 * repeats. Nothing a file says about verdicts is read: the schema keeps only replies and code.
 */
import type { AnswerKey, KeyCell } from '../../lib/answer-key';
import type { ExerciseAnswer } from '../../lib/lesson-work';
import type { Submission } from '../../lib/submission';
import type { CheckResult } from '../code-cell/check-code';
import { checkChoice, checkNumber, parseTolerance } from '../exercise/answer-check';

export type Column =
  { lesson: string; kind: 'exercise'; id: string; answer: ExerciseAnswer } | { lesson: string; kind: 'cell'; id: string; cell: KeyCell };

export type Outcome = { verdict: 'pass' } | { verdict: 'fail'; detail: string } | { verdict: 'unanswered' } | { verdict: 'pending' };

/** A code cell's Check still to run: the code from the file, the exercise from the answer key. */
export interface CheckJob {
  column: number;
  exercise: string;
  functions: readonly string[];
  code: string;
}

/** How a Check ended: its result, the time limit, or another error (a worker that failed). */
export type CheckEnd = CheckResult | { type: 'timeout'; message: string } | { type: 'not-checked'; message: string };

export function keyColumns(key: AnswerKey): Column[] {
  return key.lessons.flatMap((l) => [
    ...l.exercises.map((answer): Column => ({ lesson: l.id, kind: 'exercise', id: answer.id, answer })),
    ...l.cells.map((cell): Column => ({ lesson: l.id, kind: 'cell', id: cell.key, cell })),
  ]);
}

const echo = (text: string, max = 40) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** A reply checked as nn-exercise checks it; a blank reply is unanswered. */
export function gradeReply(answer: ExerciseAnswer, reply: string | null): Outcome {
  if (reply === null || reply.trim() === '' || answer.answer === null) return { verdict: 'unanswered' };
  const verdict =
    answer.kind === 'choice'
      ? checkChoice(reply, String(answer.answer))
      : checkNumber(reply, { answer: Number(answer.answer), tolerance: parseTolerance(answer.tolerance ?? undefined) });
  return verdict.kind === 'correct' ? { verdict: 'pass' } : { verdict: 'fail', detail: `replied "${echo(reply.trim())}"` };
}

/** Every column's outcome from the replies, the cells with code left pending, and their Checks to run. */
export function gradeSubmission(columns: readonly Column[], submission: Submission): { outcomes: Outcome[]; jobs: CheckJob[] } {
  const lessons = new Map(submission.lessons.map((l) => [l.id, l]));
  const jobs: CheckJob[] = [];
  const outcomes = columns.map((c, i): Outcome => {
    const lesson = lessons.get(c.lesson);
    if (c.kind === 'exercise') return gradeReply(c.answer, lesson?.exercises.find((e) => e.id === c.id)?.reply ?? null);
    const code = lesson?.cells.find((cell) => cell.key === c.id)?.code ?? null;
    if (code === null || code.trim() === '') return { verdict: 'unanswered' };
    jobs.push({ column: i, exercise: c.cell.exercise, functions: c.cell.functions, code });
    return { verdict: 'pending' };
  });
  return { outcomes, jobs };
}

/** A Check's outcome: pass only when the checker passed every stage; else the first failing stage or the error. */
export function checkOutcome(end: CheckEnd): Outcome {
  if (!('stages' in end)) {
    if (end.type === 'timeout') return { verdict: 'fail', detail: end.message };
    if (end.type === 'not-checked') return { verdict: 'fail', detail: `not checked: ${echo(end.message, 160)}` };
    const where = end.error.line === null ? '' : `line ${end.error.line}: `;
    return { verdict: 'fail', detail: `error: ${where}${echo(end.error.message, 160)}` };
  }
  if (end.report.pass) return { verdict: 'pass' };
  const first = end.report.stages.find((s) => !s.pass);
  return { verdict: 'fail', detail: first ? `first failing stage: ${first.stage} (${first.case})` : 'no stage was checked' };
}

export function outcomeText(o: Outcome): string {
  return o.verdict === 'fail' ? `fail: ${o.detail}` : o.verdict === 'pending' ? 'checking…' : o.verdict;
}

/** The lessons in column order with how many of their columns there are. */
function lessonSpans(columns: readonly Column[]): { lesson: string; count: number }[] {
  const spans: { lesson: string; count: number }[] = [];
  for (const c of columns) {
    if (spans.at(-1)?.lesson === c.lesson) spans.at(-1)!.count++;
    else spans.push({ lesson: c.lesson, count: 1 });
  }
  return spans;
}

/**
 * The table's header: student, file, then per lesson its exercises and cells and the lesson's
 * passes, then all passes. The same text heads the CSV's columns.
 */
export function tableHeader(columns: readonly Column[]): string[] {
  const header = ['Student', 'File'];
  let i = 0;
  for (const { lesson, count } of lessonSpans(columns)) {
    for (const c of columns.slice(i, i + count)) header.push(c.kind === 'exercise' ? `${lesson}/${c.id}` : `${lesson}/code:${c.id}`);
    header.push(`${lesson}/passed of ${count}`);
    i += count;
  }
  header.push(`passed of ${columns.length}`);
  return header;
}

/** A cell of a student's row: its text, and the verdict it shows (none for names and totals). */
export interface RowCell {
  text: string;
  verdict: Outcome['verdict'] | null;
}

/** One student's row, in tableHeader's order. */
export function tableRow(columns: readonly Column[], student: string, file: string, outcomes: readonly Outcome[]): RowCell[] {
  const total = (n: number): RowCell => ({ text: String(n), verdict: null });
  const row: RowCell[] = [
    { text: student, verdict: null },
    { text: file, verdict: null },
  ];
  let i = 0;
  let all = 0;
  for (const { count } of lessonSpans(columns)) {
    const lesson = outcomes.slice(i, i + count);
    row.push(...lesson.map((o) => ({ text: outcomeText(o), verdict: o.verdict })));
    const passed = lesson.filter((o) => o.verdict === 'pass').length;
    row.push(total(passed));
    all += passed;
    i += count;
  }
  row.push(total(all));
  return row;
}

/**
 * The table as CSV (RFC 4180) for an LMS gradebook. A field a spreadsheet would run as a formula
 * (starting with =, +, -, @, a tab or a carriage return: a student's name is the student's text)
 * gets a leading apostrophe.
 */
export function gradebookCsv(header: readonly string[], rows: readonly (readonly RowCell[])[]): string {
  const field = (text: string) => {
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  return `${[header, ...rows.map((r) => r.map((c) => c.text))].map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}
