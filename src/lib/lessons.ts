import { getCollection, type CollectionEntry } from 'astro:content';
import { orderLessons } from './course-config';
import { course } from './course';

export type Lesson = CollectionEntry<'lessons'>;

/**
 * This course's published lessons in learning-path order: the course configuration's `lessons`
 * list, or by frontmatter `order` (ties broken by title, so the order is stable).
 */
export async function learningPath(): Promise<Lesson[]> {
  return orderLessons(await getCollection('lessons', (entry) => !entry.data.draft), course);
}
