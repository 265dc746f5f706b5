/**
 * A student's submission file ("Download my work"): one JSON document holding, per lesson, each
 * checked exercise's last reply and each code cell's current code, a summary of the reader's saved
 * runs, and the identity of the course it was made for. The shape is declared once here; the
 * file is parsed with it wherever it is read back (it crosses a trust boundary: anyone can edit
 * it). It holds no verdicts: whoever grades re-checks replies and code.
 */
import { RunSummary } from '../../engine/worker/protocol.ts';
import { parseTrainConfig } from '../../engine/train/config.ts';
import { array, custom, literal, nullable, number, object, refine, string, SchemaError, type Infer } from '../../engine/schema.ts';

export const submissionFormat = 'normlab-submission';
export const submissionVersion = 1;
/** A larger file is refused before it is parsed (30 lessons of long code stay far below). */
export const maxSubmissionBytes = 2_000_000;

const name = string({ minLength: 1, maxLength: 200 });

export const ExerciseReply = object({
  id: name,
  /** The last reply typed or chosen; null when the student has not tried the exercise. */
  reply: nullable(string({ maxLength: 2000 })),
  tries: number({ integer: true, min: 0 }),
});

export const CellCode = object({
  key: name,
  exercise: name,
  /** The code in the cell; null when the student has left the starter code. */
  code: nullable(string({ maxLength: 100_000 })),
});

export const LessonSubmission = object({
  id: name,
  title: string({ maxLength: 300 }),
  exercises: array(ExerciseReply),
  cells: array(CellCode),
});

export const RunDigest = object({
  widget: name,
  label: string({ maxLength: 300 }),
  state: name,
  /** Milliseconds since 1970 when the run was started. */
  createdAt: number({ min: 0 }),
  config: custom('a training configuration', parseTrainConfig),
  /** Final numbers; null for a run that never finished an epoch's summary. */
  summary: nullable(RunSummary),
});

export const Submission = object(
  {
    format: literal(submissionFormat),
    version: literal(submissionVersion),
    course: object({ id: name, title: string({ maxLength: 300 }) }),
    /** Typed by the student; may be empty. */
    student: string({ maxLength: 200 }),
    /** ISO 8601 time the file was made. */
    createdAt: refine(string({ maxLength: 40 }), (s) => (Number.isNaN(Date.parse(s)) ? 'an ISO 8601 date' : null)),
    lessons: array(LessonSubmission, { maxLength: 200 }),
    runs: array(RunDigest, { maxLength: 1000 }),
  },
  { strict: true },
);
export type Submission = Infer<typeof Submission>;
export type LessonSubmission = Infer<typeof LessonSubmission>;
export type RunDigest = Infer<typeof RunDigest>;

/** A submission file refused: `reason` says why, with what was received and what was expected. */
export class SubmissionError extends Error {
  override name = 'SubmissionError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
  }
}

/**
 * Reads a submission file's text for the course `courseId`. Refuses, naming the file and the
 * reason, text that is too large or not JSON, another format or version, another course, or any
 * field of the wrong shape.
 */
export function parseSubmission(text: string, file: string, courseId: string): Submission {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > maxSubmissionBytes) throw new SubmissionError(file, `expected at most ${maxSubmissionBytes} bytes, received ${bytes}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new SubmissionError(file, 'expected JSON text, received text that does not parse (truncated or not a submission file)');
  }
  const head = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  if (head.format !== submissionFormat)
    throw new SubmissionError(file, `expected format "${submissionFormat}", received ${JSON.stringify(head.format) ?? 'nothing'}`);
  if (head.version !== submissionVersion)
    throw new SubmissionError(
      file,
      `expected version ${submissionVersion}, received ${JSON.stringify(head.version) ?? 'nothing'} (unknown version)`,
    );
  const course = head.course !== null && typeof head.course === 'object' ? (head.course as Record<string, unknown>).id : undefined;
  if (course !== courseId)
    throw new SubmissionError(
      file,
      `expected a file for the course "${courseId}", received one for ${JSON.stringify(course) ?? 'no course'}`,
    );
  try {
    return Submission.parse(raw, 'submission');
  } catch (e) {
    if (e instanceof SchemaError) throw new SubmissionError(file, e.message);
    throw e;
  }
}

/** The file name offered for download: course, student (if any) and date, safe on every system. */
export function submissionFileName(s: Pick<Submission, 'course' | 'student' | 'createdAt'>): string {
  const safe = (t: string) =>
    t
      .normalize('NFKD')
      .replace(/[^\w-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60);
  const student = safe(s.student);
  return `${[safe(s.course.id), student, s.createdAt.slice(0, 10)].filter(Boolean).join('-')}.json`;
}
