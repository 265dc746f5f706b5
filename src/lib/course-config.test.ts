import { mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogWidgets, excludedLessons, lessonId, loadCourse, orderLessons, parseCourseConfig, type LoadedCourse } from './course-config';

const root = process.cwd();
const lesson = (id: string, order: number) => ({ id, data: { order, title: id } });
const course = (text: string): LoadedCourse => ({ config: parseCourseConfig(text, 'x.json'), file: 'x.json', extraFolder: null });

describe('parseCourseConfig', () => {
  it('accepts the shortest file and fills the defaults', () => {
    expect(parseCourseConfig('{"id":"c","title":"T"}', 'x.json')).toEqual({
      id: 'c',
      title: 'T',
      term: '',
      note: '',
      prerequisites: expect.any(Array),
    });
  });

  it('names the file, the field, what it received and what it expected', () => {
    expect(() => parseCourseConfig('{"id":"c","title":"T","lessons":["a",3]}', 'my.json')).toThrow(
      'my.json: course.lessons[1]: expected a string of 1–80 characters, received 3',
    );
    expect(() => parseCourseConfig('{"id":"c"}', 'my.json')).toThrow(/^my\.json: course\.title: expected a string.*received undefined/);
    expect(() => parseCourseConfig('{"id":"c","title":"T","lesons":[]}', 'my.json')).toThrow(
      /my\.json: course\.lesons: expected no such field/,
    );
    expect(() => parseCourseConfig('{"id":"C D","title":"T"}', 'my.json')).toThrow(/course\.id: .*received 'C D'/);
  });

  it('rejects a lesson listed twice and text that is not JSON', () => {
    expect(() => parseCourseConfig('{"id":"c","title":"T","lessons":["a","a"]}', 'my.json')).toThrow(
      /course\.lessons: expected no repeated entries \("a" appears twice\)/,
    );
    expect(() => parseCourseConfig('{"id":', 'my.json')).toThrow(/^my\.json: expected JSON text/);
  });
});

describe('orderLessons', () => {
  const all = [lesson('b', 2), lesson('a', 1), lesson('c', 3)];

  it('follows the frontmatter order without a lessons list', () => {
    expect(orderLessons(all, course('{"id":"c","title":"T"}')).map((l) => l.id)).toEqual(['a', 'b', 'c']);
  });

  it('follows the configuration list, and names an unknown id with the known ones', () => {
    expect(orderLessons(all, course('{"id":"c","title":"T","lessons":["c","a"]}')).map((l) => l.id)).toEqual(['c', 'a']);
    expect(() => orderLessons(all, course('{"id":"c","title":"T","lessons":["a","zz"]}'))).toThrow(
      'x.json: course.lessons[1]: expected a published lesson id (a, b, c), received "zz"',
    );
  });
});

describe('catalogWidgets', () => {
  it('lists every widget by default, the chosen ones otherwise, and rejects an unknown name', () => {
    const all = [{ name: 'p' }, { name: 'q' }];
    expect(catalogWidgets(all, course('{"id":"c","title":"T"}'))).toEqual(all);
    expect(catalogWidgets(all, course('{"id":"c","title":"T","embedWidgets":["q"]}'))).toEqual([{ name: 'q' }]);
    expect(() => catalogWidgets(all, course('{"id":"c","title":"T","embedWidgets":["r"]}'))).toThrow(
      'course.embedWidgets[0]: expected a widget name (p, q), received "r"',
    );
  });
});

describe('loadCourse', () => {
  it('reads course.config.json by default: today’s course, every lesson by frontmatter order', () => {
    const loaded = loadCourse(root, {});
    expect(loaded.file).toBe('course.config.json');
    expect(loaded.config).toMatchObject({ id: 'normlab', title: 'NormLab' });
    expect(loaded.config.lessons).toBeUndefined();
    expect(loaded.extraFolder).toBeNull();
  });

  it('reads the test course named by COURSE_CONFIG, with its extra-lessons folder', () => {
    const loaded = loadCourse(root, { COURSE_CONFIG: 'course/examples/seminar.json' });
    expect(loaded.config.title).toBe('Stability Seminar');
    expect(loaded.extraFolder).toBe('course/starter');
    const ids = [...readdirSync(join(root, 'content/lessons')), ...readdirSync(join(root, 'course/starter'))].map((f) =>
      lesson(lessonId(f), 0),
    );
    expect(orderLessons(ids, loaded).map((l) => l.id)).toEqual(['train-vs-eval', 'your-first-lesson', 'why-normalize', 'dropout']);
    const excluded = excludedLessons(loaded, root);
    expect(excluded).toContain('the-bn-transform');
    expect(excluded).not.toContain('dropout');
    expect(excluded.length).toBe(ids.length - 4);
    expect(excludedLessons(loadCourse(root, {}), root)).toEqual([]);
  });

  it('names a missing file, a folder outside the project and a lesson id that is taken', () => {
    expect(() => loadCourse(root, { COURSE_CONFIG: 'nope.json' })).toThrow(
      /^nope\.json: expected a course configuration file, found no file/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'course-'));
    mkdirSync(join(dir, 'content/lessons'), { recursive: true });
    mkdirSync(join(dir, 'mine'));
    writeFileSync(join(dir, 'content/lessons/01-intro.mdx'), '');
    writeFileSync(join(dir, 'mine/02-intro.mdx'), '');
    writeFileSync(join(dir, 'out.json'), '{"id":"c","title":"T","extraLessons":"../elsewhere"}');
    writeFileSync(join(dir, 'clash.json'), '{"id":"c","title":"T","extraLessons":"mine"}');
    expect(() => loadCourse(dir, { COURSE_CONFIG: 'out.json' })).toThrow(
      'out.json: course.extraLessons: expected a folder inside the project, received "../elsewhere"',
    );
    expect(() => loadCourse(dir, { COURSE_CONFIG: 'clash.json' })).toThrow(
      'clash.json: course.extraLessons: expected lessons whose ids differ from the course\'s, received mine/02-intro.mdx (id "intro" is taken)',
    );
  });
});
