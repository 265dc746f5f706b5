/**
 * What a reader can do in a lesson that a submission file keeps: its checked exercises (by id) and
 * its code cells (by storage key and exercise), read from the lesson's MDX source at build time,
 * in the order they appear. `lessonAnswers` reads the same `<Exercise>` tags' answers (answer,
 * tolerance, unit, choices) for the grading page's answer key.
 */
export interface CellRef {
  /** The cell's storage key (`key`, or the exercise id when the cell sets none). */
  key: string;
  /** The code-cell exercise (src/exercises/) whose checks the cell runs. */
  exercise: string;
}

export interface LessonWork {
  exercises: string[];
  cells: CellRef[];
}

/** An `<Exercise>`'s answer as the lesson states it (Exercise.astro's props). */
export interface ExerciseAnswer {
  id: string;
  /** 'open': no answer to check (a derivation or an experiment), graded by a person. */
  kind: 'number' | 'choice' | 'open';
  /** The right number, or the value of the right choice; null for an open exercise. */
  answer: number | string | null;
  /** As written: "0.5" (absolute) or "2%" (relative); null for none (exact). */
  tolerance: string | null;
  unit: string | null;
  choices: { value: string; label: string }[] | null;
}

type Attribute = { kind: 'text'; value: string } | { kind: 'expression'; source: string } | { kind: 'flag' };

interface Tag {
  /** The tag as written, for error messages. */
  source: string;
  attributes: Map<string, Attribute>;
  /** Where the body after the opening tag starts; null for a self-closing tag. */
  childrenStart: number | null;
}

/** The end (exclusive) of a `{…}` expression starting at `start`, skipping braces inside strings. */
function expressionEnd(body: string, start: number): number {
  let depth = 0;
  for (let i = start; i < body.length; i++) {
    const c = body[i];
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < body.length && body[i] !== c; i++) if (body[i] === '\\') i++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  throw new Error(`lessonWork: an attribute expression is never closed, received ${body.slice(start, start + 60)}…`);
}

/**
 * Every `<Name …>` tag of the body with its attributes; quoted values and `{…}` expressions may
 * hold `>` (a hint saying "z > 0" ends no tag).
 */
function tags(body: string, name: string): Tag[] {
  const found: Tag[] = [];
  const open = new RegExp(`<${name}(?=[\\s/>])`, 'g');
  for (const m of body.matchAll(open)) {
    const attributes = new Map<string, Attribute>();
    let i = m.index + m[0].length;
    for (;;) {
      while (/\s/.test(body[i] ?? '')) i++;
      if (i >= body.length) throw new Error(`lessonWork: a <${name}> tag is never closed, received ${body.slice(m.index, m.index + 80)}…`);
      if (body[i] === '>' || body.startsWith('/>', i)) break;
      const attr = /^[\w:-]+/.exec(body.slice(i, i + 100));
      if (!attr) throw new Error(`lessonWork: unreadable attribute in <${name}>, received ${body.slice(m.index, i + 20)}…`);
      i += attr[0].length;
      if (body[i] !== '=') {
        attributes.set(attr[0], { kind: 'flag' });
        continue;
      }
      i++;
      const quote = body[i];
      if (quote === '"' || quote === "'") {
        const end = body.indexOf(quote, i + 1);
        if (end < 0) throw new Error(`lessonWork: the value of ${attr[0]} in <${name}> is never closed`);
        attributes.set(attr[0], { kind: 'text', value: body.slice(i + 1, end) });
        i = end + 1;
      } else if (quote === '{') {
        const end = expressionEnd(body, i);
        attributes.set(attr[0], { kind: 'expression', source: body.slice(i + 1, end - 1).trim() });
        i = end;
      } else throw new Error(`lessonWork: ${attr[0]} in <${name}> has no quoted or {…} value, received ${body.slice(m.index, i + 20)}…`);
    }
    const closed = body[i] === '>';
    found.push({ source: body.slice(m.index, closed ? i + 1 : i + 2), attributes, childrenStart: closed ? i + 1 : null });
  }
  return found;
}

function text(tag: Tag, name: string): string | null {
  const a = tag.attributes.get(name);
  return a?.kind === 'text' ? a.value : null;
}

function exerciseId(tag: Tag): string {
  const id = text(tag, 'id');
  if (id === null) throw new Error(`lessonWork: an <Exercise> has no id="…", received ${tag.source}`);
  return id;
}

export function lessonWork(body: string): LessonWork {
  const exercises = tags(body, 'Exercise').map(exerciseId);
  const cells = tags(body, 'CodeCell').map((tag) => {
    const exercise = text(tag, 'exercise');
    if (exercise === null) throw new Error(`lessonWork: a <CodeCell> has no exercise="…", received ${tag.source}`);
    return { key: text(tag, 'key') ?? exercise, exercise };
  });
  return { exercises, cells };
}

/** A `<CodeCell>` as a lesson writes it, for a page that shows the cell alone (the embed route). */
export interface CellTag extends CellRef {
  title: string;
  /** The task between `<CodeCell …>` and `</CodeCell>` (Markdown), trimmed; '' for a self-closing tag. */
  task: string;
  train: boolean;
}

/** Every `<CodeCell>` of the body with its title, task and `train` flag, in order. */
export function lessonCells(body: string): CellTag[] {
  const refs = lessonWork(body).cells;
  return tags(body, 'CodeCell').map((tag, i) => {
    const title = text(tag, 'title');
    if (title === null) throw new Error(`lessonCells: a <CodeCell> has no title="…", received ${tag.source}`);
    let task = '';
    if (tag.childrenStart !== null) {
      const end = body.indexOf('</CodeCell>', tag.childrenStart);
      if (end < 0) throw new Error(`lessonCells: a <CodeCell> is never closed with </CodeCell>, received ${tag.source}`);
      task = body.slice(tag.childrenStart, end).trim();
    }
    return { ...refs[i], title, task, train: tag.attributes.get('train')?.kind === 'flag' };
  });
}

/** The plan of every `<Experiment plan="…">` of the body, in order. */
export function lessonExperiments(body: string): string[] {
  return tags(body, 'Experiment').map((tag) => {
    const plan = text(tag, 'plan');
    if (plan === null) throw new Error(`lessonExperiments: an <Experiment> has no plan="…", received ${tag.source}`);
    return plan;
  });
}

const numberLiteral = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const quoted = String.raw`(['"])((?:\\.|(?!\1).)*)\1`;
const choiceItem = new RegExp(String.raw`\{\s*value:\s*${quoted}\s*,\s*label:\s*${quoted.replaceAll('\\1', '\\3')}\s*,?\s*\}`, 'g');
const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

/** Reads `[{ value: '…', label: '…' }, …]`, the only form of `choices` the lessons use. */
function choices(source: string, id: string): { value: string; label: string }[] {
  const items = [...source.matchAll(choiceItem)].map((m) => ({ value: unescape(m[2]), label: unescape(m[4]) }));
  const rest = source.replace(choiceItem, '').replace(/[\s,]/g, '');
  if (rest !== '[]' || items.length === 0)
    throw new Error(
      `lessonAnswers: exercise ${id}: choices must be a list of { value: '…', label: '…' }, received {${source.slice(0, 80)}}`,
    );
  return items;
}

/** Every `<Exercise>`'s answer, in lesson order; refuses what Exercise.astro would refuse. */
export function lessonAnswers(body: string): ExerciseAnswer[] {
  return tags(body, 'Exercise').map((tag) => {
    const id = exerciseId(tag);
    const raw = tag.attributes.get('answer');
    const list = tag.attributes.get('choices');
    const tolerance = text(tag, 'tolerance');
    const unit = text(tag, 'unit');
    if (raw === undefined) return { id, kind: 'open', answer: null, tolerance: null, unit: null, choices: null };
    if (list !== undefined) {
      if (raw.kind !== 'text' || list.kind !== 'expression')
        throw new Error(
          `lessonAnswers: exercise ${id}: a choice's answer="…" must be text and choices={[…]} a list, received ${tag.source}`,
        );
      const options = choices(list.source, id);
      if (!options.some((c) => c.value === raw.value))
        throw new Error(
          `lessonAnswers: exercise ${id}: answer must be one of the choices' values (${options.map((c) => c.value).join(', ')}), received "${raw.value}"`,
        );
      return { id, kind: 'choice', answer: raw.value, tolerance: null, unit, choices: options };
    }
    if (raw.kind !== 'expression' || !numberLiteral.test(raw.source))
      throw new Error(`lessonAnswers: exercise ${id}: a numeric answer must be written answer={number}, received ${tag.source}`);
    return { id, kind: 'number', answer: Number(raw.source), tolerance, unit, choices: null };
  });
}
