import { getCollection, type CollectionEntry } from 'astro:content';

export type Lesson = CollectionEntry<'lessons'>;

/** Published lessons in learning-path order (ties broken by title, so the order is stable). */
export async function learningPath(): Promise<Lesson[]> {
  const lessons = await getCollection('lessons', (entry) => !entry.data.draft);
  return lessons.sort((a, b) => a.data.order - b.data.order || a.data.title.localeCompare(b.data.title));
}
