// This course's embeddable experiments and code cells (src/lib/embeds.ts) from its lessons, for
// the embed routes and the catalogue. Build-time only (reads the content collection).
import { allExperiments } from '@experiments/experiments';
import { courseEmbeds } from './embeds';
import { learningPath } from './lessons';

export async function embedsOfCourse(): Promise<ReturnType<typeof courseEmbeds>> {
  const lessons = (await learningPath()).map((l) => ({ id: l.id, title: l.data.title, body: l.body ?? '' }));
  return courseEmbeds(lessons, allExperiments);
}
