/**
 * What a lesson's printable handout and its instructor's answer sheet show, taken from the lesson's
 * MDX source so they never drift from the lesson: the display formulas (each with the section it
 * belongs to), and the exercises section ("## Exercises" or "## Check yourself") split into the
 * questions and the worked answers: a `<details><summary>Answers</summary>` block, or the
 * `<Exercise>` components (question as their content, worked answer in `<div slot="worked">`).
 * `<Exercise>` components placed in other sections (a "predict before you run" question beside
 * its experiment, the claims lesson's questions under each claim) are listed too, first, in
 * lesson order, each introduced by its section's name.
 */
export interface HandoutFormula {
  /** The `##` section the formula appears in. */
  section: string;
  /** The TeX between `$$ … $$`. */
  tex: string;
}

export interface HandoutSource {
  formulas: HandoutFormula[];
  /** The questions (Markdown), or null when the lesson has no exercises section. */
  exercises: string | null;
  /** The worked answers (Markdown), or null when the lesson gives none. */
  answers: string | null;
  /** The ids of every `<Exercise>` of the lesson that the questions list, in lesson order. */
  exerciseIds: string[];
}

const exerciseHeading = /^##\s+(Exercises|Check yourself)\s*$/;
const answersBlock = /<details>\s*<summary>\s*Answers\s*<\/summary>([\s\S]*?)<\/details>/;

export function handoutSource(body: string): HandoutSource {
  const lines = body.split(/\r?\n/);
  const formulas: HandoutFormula[] = [];
  let section = '';
  let exerciseLines: string[] | null = null;
  let inExercises = false;
  // Lines of other sections, kept per section to find the <Exercise> components placed there.
  const elsewhere: { section: string; lines: string[] }[] = [{ section: '', lines: [] }];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heading = /^##\s+(.+?)\s*$/.exec(line);
    if (heading) {
      section = heading[1];
      inExercises = exerciseHeading.test(line);
      if (inExercises) exerciseLines = [];
      else elsewhere.push({ section, lines: [] });
      continue;
    }
    if (inExercises && exerciseLines) {
      exerciseLines.push(line);
      continue;
    }
    elsewhere.at(-1)!.lines.push(line);
    if (line.trim().startsWith('$$')) {
      const start = line.trim().slice(2);
      if (start.endsWith('$$') && start.length > 2) {
        formulas.push({ section, tex: start.slice(0, -2).trim() });
        continue;
      }
      const tex: string[] = start ? [start] : [];
      let j = i + 1;
      while (j < lines.length && !lines[j].trim().endsWith('$$')) tex.push(lines[j++]);
      if (j === lines.length) throw new Error(`handoutSource: the display formula opened in section "${section}" is never closed with $$`);
      const last = lines[j].trim().slice(0, -2);
      if (last) tex.push(last);
      formulas.push({ section, tex: tex.join('\n').trim() });
      i = j;
    }
  }
  const inLesson = elsewhere.flatMap(({ section: name, lines: text }) =>
    [...text.join('\n').matchAll(exerciseComponent)].map((m) => ({ ...exerciseParts(m[0], m[1]), section: name })),
  );
  const inLessonQuestions = inLesson.map((e) => `**In “${e.section}”:** ${e.question}`);
  const inLessonAnswers = inLesson.map((e) => `**In “${e.section}”:** ${e.answer}`);
  const inLessonIds = inLesson.map((e) => e.id);
  if (exerciseLines === null) {
    if (inLesson.length === 0) return { formulas, exercises: null, answers: null, exerciseIds: [] };
    return { formulas, exercises: inLessonQuestions.join('\n\n'), answers: inLessonAnswers.join('\n\n'), exerciseIds: inLessonIds };
  }
  const { text, worked, ids } = splitExerciseComponents(exerciseLines.join('\n'));
  const answers = answersBlock.exec(text);
  const exercises = text.replace(answersBlock, '').trim();
  if (!exercises) throw new Error('handoutSource: the exercises section holds no questions, received only answers or nothing');
  const all = [...inLessonAnswers, answers ? answers[1].trim() : null, ...worked].filter((a): a is string => a !== null && a !== '');
  return {
    formulas,
    exercises: [...inLessonQuestions, exercises].join('\n\n'),
    answers: all.length > 0 ? all.join('\n\n') : null,
    exerciseIds: [...inLessonIds, ...ids],
  };
}

const exerciseComponent = /<Exercise\b[^>]*>([\s\S]*?)<\/Exercise>/g;
const workedSlot = /<div slot="worked">([\s\S]*?)<\/div>/;

/**
 * Replaces each `<Exercise>` block by its question and collects its worked answer, numbered like
 * the question ("3. …" gives "3. " before its answer); drops `<ExerciseProgress />`.
 */
function splitExerciseComponents(text: string): { text: string; worked: string[]; ids: string[] } {
  const worked: string[] = [];
  const ids: string[] = [];
  const replaced = text.replace(/^\s*<ExerciseProgress\s*\/>\s*$/gm, '').replace(exerciseComponent, (whole, inner: string) => {
    const { id, question, answer } = exerciseParts(whole, inner);
    const number = /^(\d+)\.\s/.exec(question)?.[1];
    worked.push(number ? `**${number}.** ${answer}` : answer);
    ids.push(id);
    return question;
  });
  return { text: replaced.replace(/\n{3,}/g, '\n\n'), worked, ids };
}

/** An `<Exercise>` block's id, question and worked answer. */
function exerciseParts(whole: string, inner: string): { id: string; question: string; answer: string } {
  const slot = workedSlot.exec(inner);
  if (!slot) throw new Error('handoutSource: an <Exercise> has no <div slot="worked"> answer');
  const id = /^<Exercise\b[^>]*\bid="([^"]*)"/.exec(whole)?.[1] ?? '';
  return { id, question: inner.replace(workedSlot, '').trim(), answer: slot[1].trim() };
}

/**
 * Rewrites a relative link of the lesson's text (`../train-it-yourself/`) for a page at another
 * URL: resolved against the lesson's own path, it becomes site-absolute (base included).
 */
export function resolveLessonLinks(html: string, lessonPath: string): string {
  return html.replace(/href="([^"]*)"/g, (whole, href: string) => {
    if (/^([a-z][a-z0-9+.-]*:|#|\/)/i.test(href)) return whole;
    return `href="${new URL(href, `https://site.invalid${lessonPath}`).pathname}"`;
  });
}
