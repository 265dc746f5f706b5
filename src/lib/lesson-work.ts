/**
 * What a reader can do in a lesson that a submission file keeps: its checked exercises (by id) and
 * its code cells (by storage key and exercise), read from the lesson's MDX source at build time,
 * in the order they appear.
 */
export interface CellRef {
  /** The cell's storage key (`key`, or the exercise id when the cell sets none). */
  key: string;
  /** The code-cell exercise (src/exercises/) whose checks the cell runs. */
  exercise: string;
}

export interface LessonWork {
  exercises: string[];
  cells: CellRef[];
}

const exerciseTag = /<Exercise\b([^>]*)>/g;
const cellTag = /<CodeCell\b([^>]*)>/g;

function attribute(attributes: string, name: string): string | null {
  return new RegExp(`\\b${name}="([^"]*)"`).exec(attributes)?.[1] ?? null;
}

export function lessonWork(body: string): LessonWork {
  const exercises = [...body.matchAll(exerciseTag)].map((m) => {
    const id = attribute(m[1], 'id');
    if (id === null) throw new Error(`lessonWork: an <Exercise> has no id="…", received <Exercise${m[1]}>`);
    return id;
  });
  const cells = [...body.matchAll(cellTag)].map((m) => {
    const exercise = attribute(m[1], 'exercise');
    if (exercise === null) throw new Error(`lessonWork: a <CodeCell> has no exercise="…", received <CodeCell${m[1]}>`);
    return { key: attribute(m[1], 'key') ?? exercise, exercise };
  });
  return { exercises, cells };
}
