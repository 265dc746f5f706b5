// This build's course (course.config.json, or the file COURSE_CONFIG names), loaded once. Build-time
// only: pages and the content config import it; client scripts receive what they need as data-*.
import { loadCourse } from './course-config.ts';

export const course = loadCourse();
