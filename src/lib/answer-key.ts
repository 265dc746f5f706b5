/**
 * The grading page's answer key, built from the lessons' MDX at build time: per lesson of the
 * course, each checked exercise's answer (lesson-work.ts `lessonAnswers`, the props nn-exercise
 * checks against) and each code cell with the exercise whose checks it runs. Open exercises have no
 * answer to check and are left out. The page fetches it as answer-key.json.
 */
import { lessonAnswers, lessonWork, type CellRef, type ExerciseAnswer } from './lesson-work.ts';

export interface KeyCell extends CellRef {
  /** The exercise's function names: the only names a Check's recorded calls may carry. */
  functions: readonly string[];
}

export interface KeyLesson {
  id: string;
  title: string;
  exercises: ExerciseAnswer[];
  cells: KeyCell[];
}

export interface AnswerKey {
  course: { id: string; title: string };
  lessons: KeyLesson[];
}

export function answerKey(
  course: { id: string; title: string },
  lessons: readonly { id: string; title: string; body: string }[],
  functionsOf: (exercise: string) => readonly string[],
): AnswerKey {
  return {
    course: { id: course.id, title: course.title },
    lessons: lessons.map((l) => ({
      id: l.id,
      title: l.title,
      exercises: lessonAnswers(l.body).filter((e) => e.kind !== 'open'),
      cells: lessonWork(l.body).cells.map((c) => ({ ...c, functions: functionsOf(c.exercise) })),
    })),
  };
}
