/**
 * The course configuration: which lessons a build contains and in what order, the course's title,
 * term and home-page note, an optional folder of the instructor's own lessons, and which widgets
 * the embed catalogue lists. One JSON file at the project root, `course.config.json` (the
 * environment variable COURSE_CONFIG names another), read once per build and validated here; an
 * error names the file, the field, what it received and what it expected. The instructors page
 * documents every field with a worked example (`courseConfigExample`).
 */
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { resolve, relative, isAbsolute } from 'node:path';
import { array, object, optional, refine, string, withDefault, SchemaError, type Infer } from '../../engine/schema.ts';

const slug = refine(string({ minLength: 1, maxLength: 80 }), (s) =>
  /^[a-z0-9][a-z0-9-]*$/.test(s) ? null : 'lower-case letters, digits and "-"',
);

function unique(list: string[]): string | null {
  const seen = new Set<string>();
  for (const item of list) {
    if (seen.has(item)) return `no repeated entries ("${item}" appears twice)`;
    seen.add(item);
  }
  return null;
}

export const CourseConfig = object(
  {
    /** Free text for the reader of the file (JSON has no comments). */
    $comment: optional(string()),
    /** Identity of the course: a submission file made on another course's site is refused. */
    id: slug,
    /** Shown on the home page, in the header and in every page's title. */
    title: string({ minLength: 1, maxLength: 120 }),
    /** E.g. "Spring 2027"; shown under the title on the home page. Default: none. */
    term: withDefault(string({ maxLength: 120 }), ''),
    /** A paragraph on the home page (plain text: office hours, deadlines). Default: none. */
    note: withDefault(string({ maxLength: 2000 }), ''),
    /**
     * Lesson ids (file names without the numeric prefix) in the order students take them.
     * Absent: every published lesson, in the order their frontmatter's `order` gives.
     */
    lessons: optional(refine(array(slug, { minLength: 1 }), unique)),
    /** A folder (relative to the project root) of the instructor's own lessons as MDX. Default: none. */
    extraLessons: optional(string({ minLength: 1 })),
    /** What students should know before the course, listed in the instructors page's syllabus. */
    prerequisites: withDefault(array(string({ minLength: 1, maxLength: 300 })), [
      'Derivatives and the chain rule; the mean and variance of a set of numbers.',
      'A first neural network: dense layers, ReLU, softmax with cross-entropy, training by gradient descent.',
      'Reading short JavaScript or Python functions (the code cells take JavaScript).',
    ]),
    /** Widget names (`embed/<name>/`) the embed catalogue lists. Absent: every widget. */
    embedWidgets: optional(refine(array(slug), unique)),
  },
  { strict: true },
);
export type CourseConfig = Infer<typeof CourseConfig>;

/** The configuration of today's course, as `course.config.json` writes it. */
export const defaultConfigFile = 'course.config.json';

/** A configuration error: the message starts with the file's name. */
export class CourseConfigError extends Error {
  override name = 'CourseConfigError';
}

/** Parses the JSON text of a configuration file named `file` (for messages). */
export function parseCourseConfig(text: string, file: string): CourseConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CourseConfigError(`${file}: expected JSON text, received text that does not parse (${(e as Error).message})`);
  }
  try {
    return CourseConfig.parse(raw, 'course');
  } catch (e) {
    if (e instanceof SchemaError) throw new CourseConfigError(`${file}: ${e.message}`);
    throw e;
  }
}

export interface LoadedCourse {
  config: CourseConfig;
  /** The configuration file, relative to the project root (for messages). */
  file: string;
  /** The extra-lessons folder relative to the project root, checked to exist; null without one. */
  extraFolder: string | null;
}

/**
 * Reads and validates the configuration named by COURSE_CONFIG (default `course.config.json`)
 * under `root`. The extra-lessons folder must lie inside the project and hold at least one `.mdx`.
 */
export function loadCourse(root: string = process.cwd(), env: Record<string, string | undefined> = process.env): LoadedCourse {
  const file = env.COURSE_CONFIG?.trim() || defaultConfigFile;
  const path = resolve(root, file);
  if (!existsSync(path))
    throw new CourseConfigError(
      `${file}: expected a course configuration file, found no file at ${path} (COURSE_CONFIG=${env.COURSE_CONFIG ?? 'unset'})`,
    );
  const config = parseCourseConfig(readFileSync(path, 'utf8'), file);
  let extraFolder: string | null = null;
  if (config.extraLessons !== undefined) {
    const folder = resolve(root, config.extraLessons);
    const inside = relative(root, folder);
    if (inside.startsWith('..') || isAbsolute(inside)) {
      throw new CourseConfigError(`${file}: course.extraLessons: expected a folder inside the project, received "${config.extraLessons}"`);
    }
    if (!existsSync(folder) || !statSync(folder).isDirectory() || mdxFiles(folder).length === 0) {
      throw new CourseConfigError(
        `${file}: course.extraLessons: expected a folder holding .mdx lessons, received "${config.extraLessons}" (${folder})`,
      );
    }
    extraFolder = inside.split('\\').join('/');
    const builtIn = new Set(mdxFiles(resolve(root, lessonsFolder)).map(lessonId));
    const clash = mdxFiles(folder).find((f) => builtIn.has(lessonId(f)));
    if (clash !== undefined) {
      throw new CourseConfigError(
        `${file}: course.extraLessons: expected lessons whose ids differ from the course's, received ${extraFolder}/${clash} (id "${lessonId(clash)}" is taken)`,
      );
    }
  }
  return { config, file, extraFolder };
}

/** The course's own lessons, relative to the project root. */
export const lessonsFolder = 'content/lessons';

function mdxFiles(folder: string): string[] {
  return readdirSync(folder).filter((f) => f.endsWith('.mdx'));
}

/** A lesson's id, and so its URL: the file name without folders, numeric prefix and `.mdx`. */
export function lessonId(path: string): string {
  return (path.split('/').pop() ?? path).replace(/\.mdx$/, '').replace(/^\d+-/, '');
}

/**
 * Lesson ids this build leaves out (every lesson file not in the configuration's `lessons`; none
 * without that list), so links to them can be turned into text (rehype-course-links.ts).
 */
export function excludedLessons(course: LoadedCourse, root: string = process.cwd()): string[] {
  const { lessons } = course.config;
  if (lessons === undefined) return [];
  const folders = [lessonsFolder, ...(course.extraFolder === null ? [] : [course.extraFolder])];
  const included = new Set(lessons);
  return folders.flatMap((folder) => mdxFiles(resolve(root, folder)).map(lessonId)).filter((id) => !included.has(id));
}

interface LessonLike {
  id: string;
  data: { order: number; title: string };
}

/**
 * The course's lessons in order: the configuration's `lessons` list when it has one (each id must
 * name a lesson), otherwise every lesson by frontmatter `order` (ties by title).
 */
export function orderLessons<L extends LessonLike>(all: readonly L[], course: LoadedCourse): L[] {
  const { lessons } = course.config;
  if (lessons === undefined) {
    return [...all].sort((a, b) => a.data.order - b.data.order || a.data.title.localeCompare(b.data.title));
  }
  const byId = new Map(all.map((l) => [l.id, l]));
  return lessons.map((id, i) => {
    const found = byId.get(id);
    if (!found) {
      const known = [...byId.keys()].sort().join(', ');
      throw new CourseConfigError(`${course.file}: course.lessons[${i}]: expected a published lesson id (${known}), received "${id}"`);
    }
    return found;
  });
}

/** The names the embed catalogue lists: the configuration's `embedWidgets`, each checked, or all. */
export function catalogWidgets<W extends { name: string }>(all: readonly W[], course: LoadedCourse): W[] {
  const { embedWidgets } = course.config;
  if (embedWidgets === undefined) return [...all];
  const byName = new Map(all.map((w) => [w.name, w]));
  return embedWidgets.map((name, i) => {
    const found = byName.get(name);
    if (!found) {
      throw new CourseConfigError(
        `${course.file}: course.embedWidgets[${i}]: expected a widget name (${[...byName.keys()].join(', ')}), received "${name}"`,
      );
    }
    return found;
  });
}
