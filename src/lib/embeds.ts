/**
 * What the embed routes offer besides the widgets of the registry: every experiment plan
 * (`embed/experiment/<plan>/`) and every code cell of this course's lessons
 * (`embed/code-cell/<key>/`), each with the lesson it comes from, for the pages and the catalogue.
 */
import { lessonCells, lessonExperiments, type CellTag } from './lesson-work.ts';

export interface EmbedLesson {
  id: string;
  title: string;
  body: string;
}

export interface LessonRef {
  id: string;
  title: string;
}

export interface ExperimentEmbed {
  name: string;
  /** The experiment's question. */
  question: string;
  /** The first lesson showing the experiment; null when no lesson of this course does. */
  lesson: LessonRef | null;
}

export interface CellEmbed extends CellTag {
  lesson: LessonRef;
}

/** Every plan of `plans` with its lesson, and every code cell of `lessons`; refuses a cell key used twice. */
export function courseEmbeds(
  lessons: readonly EmbedLesson[],
  plans: readonly { name: string; question: string }[],
): { experiments: ExperimentEmbed[]; cells: CellEmbed[] } {
  const ref = (l: EmbedLesson): LessonRef => ({ id: l.id, title: l.title });
  const planLesson = new Map<string, LessonRef>();
  const cells: CellEmbed[] = [];
  for (const l of lessons) {
    for (const plan of lessonExperiments(l.body)) if (!planLesson.has(plan)) planLesson.set(plan, ref(l));
    for (const cell of lessonCells(l.body)) {
      const other = cells.find((c) => c.key === cell.key);
      if (other)
        throw new Error(
          `courseEmbeds: the code-cell key '${cell.key}' is used in lessons '${other.lesson.id}' and '${l.id}'; expected each cell to have its own key (key="…")`,
        );
      cells.push({ ...cell, lesson: ref(l) });
    }
  }
  const experiments = plans.map((p) => ({ name: p.name, question: p.question, lesson: planLesson.get(p.name) ?? null }));
  return { experiments, cells };
}
