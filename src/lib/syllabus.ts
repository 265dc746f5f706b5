/**
 * The instructors page's syllabus: total time (the sum of the lessons' stated minutes), a
 * suggested schedule (lessons in course order packed into sessions of at most `sessionMinutes`,
 * never splitting a lesson; one without stated minutes joins the session before it), and each lesson's prerequisites within the course.
 */
export interface SyllabusLesson {
  id: string;
  title: string;
  minutes?: number;
  prerequisites: string[];
}

export interface Session {
  lessons: SyllabusLesson[];
  minutes: number;
}

export interface Syllabus {
  totalMinutes: number;
  /** Lessons without stated minutes (not counted in the totals). */
  unknown: SyllabusLesson[];
  sessions: Session[];
}

/** One class meeting plus its preparation: ninety minutes. */
export const defaultSessionMinutes = 90;

export function syllabus(lessons: readonly SyllabusLesson[], sessionMinutes = defaultSessionMinutes): Syllabus {
  if (!(sessionMinutes > 0)) throw new RangeError(`syllabus: sessionMinutes must be > 0, received ${sessionMinutes}`);
  const sessions: Session[] = [];
  for (const lesson of lessons) {
    const minutes = lesson.minutes ?? 0;
    const last = sessions.at(-1);
    if (last && (minutes === 0 || last.minutes + minutes <= sessionMinutes)) {
      last.lessons.push(lesson);
      last.minutes += minutes;
    } else sessions.push({ lessons: [lesson], minutes });
  }
  return {
    totalMinutes: lessons.reduce((sum, l) => sum + (l.minutes ?? 0), 0),
    unknown: lessons.filter((l) => l.minutes === undefined),
    sessions,
  };
}

/** "5 h", "4 h 30 min", "45 min". */
export function formatDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}
