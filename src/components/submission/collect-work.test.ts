import { describe, expect, it } from 'vitest';
import { defaultTrainConfig } from '@engine/train/config';
import { createRunRecord } from '../../client/run-record';
import { maxSubmissionBytes, parseSubmission, submissionFileName } from '../../lib/submission';
import { collectWork, type CourseManifest } from './collect-work';

const course: CourseManifest = {
  id: 'normlab',
  title: 'NormLab',
  lessons: [
    {
      id: 'the-bn-transform',
      title: 'The BN transform',
      path: '/lessons/the-bn-transform/',
      exercises: ['transform-by-hand', 'how-bn-works'],
      cells: [{ key: 'bn-forward', exercise: 'bn-forward' }],
    },
    { id: 'dropout', title: 'Dropout', path: '/lessons/dropout/', exercises: ['rate'], cells: [] },
  ],
};

function sample() {
  const run = createRunRecord({
    id: 'r1',
    widget: 'training-run',
    config: { ...defaultTrainConfig, hidden: [...defaultTrainConfig.hidden] },
    now: 1000,
  });
  return collectWork({
    course,
    progress: {
      '/lessons/the-bn-transform/': { 'transform-by-hand': { tries: 2, solved: true, reply: '1' } as never },
      '/lessons/dropout/': undefined,
    },
    code: (key) => (key === 'bn-forward' ? 'function batchNormForward() {}' : null),
    runs: [run],
    student: '  Ada Lovelace ',
    now: new Date('2027-03-01T10:00:00Z'),
  });
}

describe('collectWork', () => {
  it('keeps every exercise of every lesson, its last reply and tries, each cell’s code and a run digest', () => {
    const s = sample();
    expect(s).toMatchObject({
      format: 'normlab-submission',
      version: 1,
      course: { id: 'normlab', title: 'NormLab' },
      student: 'Ada Lovelace',
      createdAt: '2027-03-01T10:00:00.000Z',
    });
    expect(s.lessons[0].exercises).toEqual([
      { id: 'transform-by-hand', reply: '1', tries: 2 },
      { id: 'how-bn-works', reply: null, tries: 0 },
    ]);
    expect(s.lessons[0].cells).toEqual([{ key: 'bn-forward', exercise: 'bn-forward', code: 'function batchNormForward() {}' }]);
    expect(s.lessons[1].exercises).toEqual([{ id: 'rate', reply: null, tries: 0 }]);
    expect(s.runs).toEqual([
      {
        widget: 'training-run',
        label: expect.any(String),
        state: 'starting',
        createdAt: 1000,
        config: expect.objectContaining({ epochs: defaultTrainConfig.epochs }),
        summary: null,
      },
    ]);
    expect(JSON.stringify(s.lessons[0].exercises[0])).not.toContain('solved');
  });

  it('names the file after course, student and date', () => {
    expect(submissionFileName(sample())).toBe('normlab-Ada-Lovelace-2027-03-01.json');
    expect(submissionFileName({ ...sample(), student: '' })).toBe('normlab-2027-03-01.json');
  });
});

describe('parseSubmission', () => {
  const text = JSON.stringify(sample());

  it('reads back what collectWork made', () => {
    expect(parseSubmission(text, 'a.json', 'normlab')).toEqual(JSON.parse(text));
  });

  it('refuses a truncated file, another version, another course, a bad field and a huge file, naming the file', () => {
    expect(() => parseSubmission(text.slice(0, 100), 'cut.json', 'normlab')).toThrow(/^cut\.json: expected JSON text/);
    expect(() => parseSubmission(JSON.stringify({ ...sample(), version: 2 }), 'v2.json', 'normlab')).toThrow(
      'v2.json: expected version 1, received 2 (unknown version)',
    );
    expect(() => parseSubmission(text, 'other.json', 'seminar')).toThrow(
      'other.json: expected a file for the course "seminar", received one for "normlab"',
    );
    expect(() => parseSubmission(JSON.stringify({ format: 'x' }), 'x.json', 'normlab')).toThrow(
      'x.json: expected format "normlab-submission", received "x"',
    );
    const bad = sample();
    (bad.lessons[0].exercises[0] as { tries: unknown }).tries = 'many';
    expect(() => parseSubmission(JSON.stringify(bad), 'bad.json', 'normlab')).toThrow(
      /^bad\.json: submission\.lessons\[0\]\.exercises\[0\]\.tries: expected an integer ≥ 0, received 'many'/,
    );
    expect(() => parseSubmission(' '.repeat(maxSubmissionBytes + 1), 'big.json', 'normlab')).toThrow(
      `big.json: expected at most ${maxSubmissionBytes} bytes, received ${maxSubmissionBytes + 1}`,
    );
  });
});
