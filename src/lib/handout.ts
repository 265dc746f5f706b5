/**
 * What a lesson's printable handout and its instructor's answer sheet show, taken from the lesson's
 * MDX source so they never drift from the lesson: the display formulas (each with the section it
 * belongs to), and the exercises section ("## Exercises" or "## Check yourself") split into the
 * questions and the worked answers: a `<details><summary>Answers</summary>` block, or the
 * `<Exercise>` components (question as their content, worked answer in `<div slot="worked">`).
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
}

const exerciseHeading = /^##\s+(Exercises|Check yourself)\s*$/;
const answersBlock = /<details>\s*<summary>\s*Answers\s*<\/summary>([\s\S]*?)<\/details>/;

export function handoutSource(body: string): HandoutSource {
  const lines = body.split(/\r?\n/);
  const formulas: HandoutFormula[] = [];
  let section = '';
  let exerciseLines: string[] | null = null;
  let inExercises = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const heading = /^##\s+(.+?)\s*$/.exec(line);
    if (heading) {
      section = heading[1];
      inExercises = exerciseHeading.test(line);
      if (inExercises) exerciseLines = [];
      continue;
    }
    if (inExercises && exerciseLines) {
      exerciseLines.push(line);
      continue;
    }
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
  if (exerciseLines === null) return { formulas, exercises: null, answers: null };
  const { text, worked } = splitExerciseComponents(exerciseLines.join('\n'));
  const answers = answersBlock.exec(text);
  const exercises = text.replace(answersBlock, '').trim();
  if (!exercises) throw new Error('handoutSource: the exercises section holds no questions, received only answers or nothing');
  const all = [answers ? answers[1].trim() : null, ...worked].filter((a): a is string => a !== null && a !== '');
  return { formulas, exercises, answers: all.length > 0 ? all.join('\n\n') : null };
}

const exerciseComponent = /<Exercise\b[^>]*>([\s\S]*?)<\/Exercise>/g;
const workedSlot = /<div slot="worked">([\s\S]*?)<\/div>/;

/**
 * Replaces each `<Exercise>` block by its question and collects its worked answer, numbered like
 * the question ("3. …" gives "3. " before its answer); drops `<ExerciseProgress />`.
 */
function splitExerciseComponents(text: string): { text: string; worked: string[] } {
  const worked: string[] = [];
  const replaced = text
    .replace(/^\s*<ExerciseProgress\s*\/>\s*$/gm, '')
    .replace(exerciseComponent, (_whole, inner: string) => {
      const slot = workedSlot.exec(inner);
      if (!slot) throw new Error('handoutSource: an <Exercise> has no <div slot="worked"> answer');
      const question = inner.replace(workedSlot, '').trim();
      const number = /^(\d+)\.\s/.exec(question)?.[1];
      const answer = slot[1].trim();
      worked.push(number ? `**${number}.** ${answer}` : answer);
      return question;
    });
  return { text: replaced.replace(/\n{3,}/g, '\n\n'), worked };
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
