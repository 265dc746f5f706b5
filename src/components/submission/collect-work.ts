/**
 * Builds a submission (src/lib/submission.ts) from what the browser holds: exercise progress per
 * lesson page, each code cell's code, the saved runs. Pure: the custom element gathers the inputs
 * (storage, or the page's memory where storage is refused) and downloads the result.
 */
import type { RunRecord } from '../../client/run-record';
import type { LessonWork } from '../../lib/lesson-work';
import { submissionFormat, submissionVersion, type Submission } from '../../lib/submission';

/** What the page knows at build time about the course: written into the page as data-course. */
export interface CourseManifest {
  id: string;
  title: string;
  lessons: (LessonWork & { id: string; title: string; /** The page's path (exercise progress is kept per path). */ path: string })[];
}

/** One exercise's stored progress, as nn-exercise keeps it. */
export interface StoredProgress {
  tries?: unknown;
  reply?: unknown;
}

export interface WorkInputs {
  course: CourseManifest;
  /** Exercise progress by page path, then by exercise id. */
  progress: Record<string, Record<string, StoredProgress> | undefined>;
  /** A code cell's current code by storage key, or null when it holds the starter. */
  code: (key: string) => string | null;
  runs: readonly RunRecord[];
  student: string;
  now: Date;
}

export function collectWork({ course, progress, code, runs, student, now }: WorkInputs): Submission {
  return {
    format: submissionFormat,
    version: submissionVersion,
    course: { id: course.id, title: course.title },
    student: student.trim().slice(0, 200),
    createdAt: now.toISOString(),
    lessons: course.lessons.map((lesson) => {
      const page = progress[lesson.path] ?? {};
      return {
        id: lesson.id,
        title: lesson.title,
        exercises: lesson.exercises.map((id) => {
          const p = page[id];
          return {
            id,
            reply: typeof p?.reply === 'string' ? p.reply : null,
            tries: typeof p?.tries === 'number' && Number.isInteger(p.tries) && p.tries >= 0 ? p.tries : 0,
          };
        }),
        cells: lesson.cells.map((cell) => ({ ...cell, code: code(cell.key) })),
      };
    }),
    runs: runs.map((r) => ({
      widget: r.widget,
      label: r.label,
      state: r.state,
      createdAt: r.createdAt,
      config: r.config,
      summary: r.summary,
    })),
  };
}
