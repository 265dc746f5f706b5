/**
 * What a lesson's printable handout and its instructor's answer sheet show, taken from the lesson's
 * MDX source so they never drift from the lesson: the display formulas (each with the section it
 * belongs to), and the exercises section ("## Exercises" or "## Check yourself") split into the
 * questions and the worked answers (the `<details><summary>Answers</summary>` block).
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
  const text = exerciseLines.join('\n');
  const answers = answersBlock.exec(text);
  const exercises = text.replace(answersBlock, '').trim();
  if (!exercises) throw new Error('handoutSource: the exercises section holds no questions, received only answers or nothing');
  return { formulas, exercises, answers: answers ? answers[1].trim() : null };
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
