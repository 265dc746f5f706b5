// The grading page's answer key (src/lib/answer-key.ts), written at build time from this course's lessons.
import type { APIRoute } from 'astro';
import { exerciseById } from '../../../exercises/index';
import { answerKey } from '../../../lib/answer-key';
import { course } from '../../../lib/course';
import { learningPath } from '../../../lib/lessons';

export const GET: APIRoute = async () => {
  const lessons = (await learningPath()).map((l) => ({ id: l.id, title: l.data.title, body: l.body ?? '' }));
  const key = answerKey(course.config, lessons, (exercise) => exerciseById(exercise).functions);
  return new Response(JSON.stringify(key), { headers: { 'content-type': 'application/json' } });
};
