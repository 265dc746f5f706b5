import { describe, expect, it } from 'vitest';
import type { AnswerKey } from '../../lib/answer-key';
import { parseSubmission, submissionFormat, submissionVersion } from '../../lib/submission';
import { checkOutcome, gradebookCsv, gradeReply, gradeSubmission, keyColumns, tableHeader, tableRow, type Outcome } from './grade';

const key: AnswerKey = {
  course: { id: 'normlab', title: 'NormLab' },
  lessons: [
    {
      id: 'a',
      title: 'A',
      exercises: [
        { id: 'num', kind: 'number', answer: 2, tolerance: '0.1', unit: null, choices: null },
        {
          id: 'pick',
          kind: 'choice',
          answer: 'yes',
          tolerance: null,
          unit: null,
          choices: [
            { value: 'yes', label: 'Yes' },
            { value: 'no', label: 'No' },
          ],
        },
      ],
      cells: [{ key: 'bn-forward', exercise: 'bn-forward', functions: ['batchNormForward'] }],
    },
    { id: 'b', title: 'B', exercises: [{ id: 'rel', kind: 'number', answer: 100, tolerance: '2%', unit: null, choices: null }], cells: [] },
  ],
};
const columns = keyColumns(key);

/** A submission file's text, with extra fields a forger might add. */
function file(lessons: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    format: submissionFormat,
    version: submissionVersion,
    course: { id: 'normlab', title: 'NormLab' },
    student: 'Ada',
    createdAt: '2026-12-01T10:00:00.000Z',
    lessons,
    runs: [],
    ...extra,
  });
}

describe('grading', () => {
  it('keyColumns lists every checked exercise, then every cell, lesson by lesson', () => {
    expect(columns.map((c) => `${c.lesson}/${c.kind}/${c.id}`)).toEqual([
      'a/exercise/num',
      'a/exercise/pick',
      'a/cell/bn-forward',
      'b/exercise/rel',
    ]);
  });

  it('gradeReply compares as nn-exercise does: tolerance absolute or relative, choices by value, blank is unanswered', () => {
    const [num, pick, , rel] = columns.map((c) => (c.kind === 'exercise' ? c.answer : null));
    expect(gradeReply(num!, '2.05')).toEqual({ verdict: 'pass' });
    expect(gradeReply(num!, '2.2')).toEqual({ verdict: 'fail', detail: 'replied "2.2"' });
    expect(gradeReply(num!, 'two')).toEqual({ verdict: 'fail', detail: 'replied "two"' });
    expect(gradeReply(num!, '  ')).toEqual({ verdict: 'unanswered' });
    expect(gradeReply(num!, null)).toEqual({ verdict: 'unanswered' });
    expect(gradeReply(rel!, '101.5')).toEqual({ verdict: 'pass' });
    expect(gradeReply(rel!, '97')).toEqual({ verdict: 'fail', detail: 'replied "97"' });
    expect(gradeReply(pick!, 'yes')).toEqual({ verdict: 'pass' });
    expect(gradeReply(pick!, 'no')).toEqual({ verdict: 'fail', detail: 'replied "no"' });
  });

  it('gradeSubmission never reads a verdict written in the file, and takes the exercise a cell runs from the key', () => {
    const forged = file([
      {
        id: 'a',
        title: 'A',
        pass: true,
        exercises: [
          { id: 'num', reply: '7', tries: 1, verdict: 'pass', solved: true, correct: true },
          { id: 'pick', reply: null, tries: 0, verdict: 'pass', solved: true },
        ],
        cells: [{ key: 'bn-forward', exercise: 'dropout', code: 'wrong()', verdict: 'pass', pass: true }],
      },
    ]);
    const { outcomes, jobs } = gradeSubmission(columns, parseSubmission(forged, 'forged.json', 'normlab'));
    expect(outcomes).toEqual([
      { verdict: 'fail', detail: 'replied "7"' },
      { verdict: 'unanswered' },
      { verdict: 'pending' },
      { verdict: 'unanswered' },
    ]);
    expect(jobs).toEqual([{ column: 2, exercise: 'bn-forward', functions: ['batchNormForward'], code: 'wrong()' }]);
  });

  it('gradeSubmission leaves a cell with the starter code (null) or blank code unanswered', () => {
    const text = file([{ id: 'a', title: 'A', exercises: [], cells: [{ key: 'bn-forward', exercise: 'bn-forward', code: ' \n' }] }]);
    const { outcomes, jobs } = gradeSubmission(columns, parseSubmission(text, 'f.json', 'normlab'));
    expect(outcomes[2]).toEqual({ verdict: 'unanswered' });
    expect(jobs).toEqual([]);
  });

  it('checkOutcome passes only a report whose every stage passed, and names the first failing stage', () => {
    const stage = (name: string, pass: boolean) => ({ case: 'batch of 2', stage: name, pass, relError: 0, firstWrong: null, message: '' });
    const report = (stages: ReturnType<typeof stage>[], pass: boolean) => ({
      stages: true as const,
      report: { logs: [], value: null, stages, pass },
      cut: false,
    });
    expect(checkOutcome(report([stage('mu', true)], true))).toEqual({ verdict: 'pass' });
    expect(checkOutcome(report([stage('mu', true), stage('xhat', false), stage('y', false)], false))).toEqual({
      verdict: 'fail',
      detail: 'first failing stage: xhat (batch of 2)',
    });
    expect(checkOutcome(report([], false))).toEqual({ verdict: 'fail', detail: 'no stage was checked' });
    expect(
      checkOutcome({ type: 'failed', code: 'error', error: { message: 'SyntaxError: <img src=x>', line: 3 }, logs: [], cut: false }),
    ).toEqual({ verdict: 'fail', detail: 'error: line 3: SyntaxError: <img src=x>' });
    expect(checkOutcome({ type: 'timeout', message: 'stopped after 5 s' })).toEqual({ verdict: 'fail', detail: 'stopped after 5 s' });
  });

  it('tableHeader and tableRow give each lesson its passes and the row its total', () => {
    const outcomes: Outcome[] = [
      { verdict: 'pass' },
      { verdict: 'fail', detail: 'replied "no"' },
      { verdict: 'pass' },
      { verdict: 'pass' },
    ];
    expect(tableHeader(columns)).toEqual([
      'Student',
      'File',
      'a/num',
      'a/pick',
      'a/code:bn-forward',
      'a/passed of 3',
      'b/rel',
      'b/passed of 1',
      'passed of 4',
    ]);
    expect(tableRow(columns, 'Ada', 'ada.json', outcomes).map((c) => c.text)).toEqual([
      'Ada',
      'ada.json',
      'pass',
      'fail: replied "no"',
      'pass',
      '2',
      'pass',
      '1',
      '3',
    ]);
  });

  it('tableRow marks each exercise and cell with its verdict, names and totals with none', () => {
    const outcomes: Outcome[] = [
      { verdict: 'pass' },
      { verdict: 'unanswered' },
      { verdict: 'pending' },
      { verdict: 'fail', detail: 'replied "1"' },
    ];
    expect(tableRow(columns, 'Ada', 'ada.json', outcomes).map((c) => c.verdict)).toEqual([
      null,
      null,
      'pass',
      'unanswered',
      'pending',
      null,
      'fail',
      null,
      null,
    ]);
  });

  it('gradebookCsv quotes fields and keeps a spreadsheet from running a student’s text as a formula', () => {
    expect(
      gradebookCsv(
        ['Student', 'total'],
        [
          ['=HYPERLINK("x")', '3'],
          ['a, "b"\nc', '-1'],
          ['<img src=x onerror=alert(1)>', '0'],
        ].map((r) => r.map((text) => ({ text, verdict: null }))),
      ),
    ).toBe('Student,total\r\n"\'=HYPERLINK(""x"")",3\r\n"a, ""b""\nc",\'-1\r\n<img src=x onerror=alert(1)>,0\r\n');
  });
});
