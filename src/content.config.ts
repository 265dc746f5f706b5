// Lessons live in top-level content/lessons as MDX, plus the folder of the instructor's own lessons
// that the course configuration may name (src/lib/course-config.ts). The file name's numeric prefix
// only sorts the folder for humans; the page order comes from `order` (or the configuration's
// `lessons` list) and the URL from the name without it.
import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';
import { lessonId, lessonsFolder } from './lib/course-config';
import { course } from './lib/course';

const folders = [lessonsFolder, ...(course.extraFolder === null ? [] : [course.extraFolder])];

const lessons = defineCollection({
  loader: glob({
    pattern: folders.map((folder) => `${folder}/**/*.mdx`),
    base: '.',
    generateId: ({ entry }) => lessonId(entry),
  }),
  schema: z.object({
    title: z.string().min(1),
    /** One or two sentences: shown on the course home, in search results and as the meta description. */
    description: z.string().min(1),
    /** Position in the learning path; lessons are listed by ascending order. */
    order: z.number().int().nonnegative(),
    /** What the student can do after the lesson ("Explain…", "Compute…"). */
    objectives: z.array(z.string().min(1)).min(1),
    /** Estimated reading-and-tinkering time in minutes. */
    minutes: z.number().int().positive().optional(),
    /** Lesson ids (file names without the numeric prefix) worth reading first. */
    prerequisites: z.array(z.string()).default([]),
    /** `outline` lessons are published but marked as work in progress on the course home. */
    status: z.enum(['complete', 'outline']).default('complete'),
    /** Sources the lesson's claims rest on. */
    references: z.array(z.object({ title: z.string(), url: z.string().url() })).default([]),
    /** Drafts are built in neither the learning path nor the lesson routes. */
    draft: z.boolean().default(false),
  }),
});

export const collections = { lessons };
