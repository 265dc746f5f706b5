import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { handoutSource, resolveLessonLinks } from './handout';

const lesson = `import X from '@components/x.astro';

## The transform

Inline $x$ is not a key formula.

$$
y = \\gamma \\hat{x} + \\beta
$$

## Two modes

$$ a = b $$

## Exercises

1. Compute $y$. See [the widget](../train-it-yourself/).
2. Why?

<details>
<summary>Answers</summary>

1. $y = 1$.
2. Because.

</details>

## References in prose

$$
z = 1
$$
`;

describe('handoutSource(body)', () => {
  it('takes questions and worked answers from <Exercise> components, never leaking an answer into the questions', () => {
    const body = `## Exercises

<ExerciseProgress />

<Exercise id="a" answer={44} hint="Solve it.">
1. How many steps?

<div slot="worked">
**44 steps**: $0.9^{44} < 0.01$.
</div>
</Exercise>

<Exercise id="b">
2. Fold BN.

<div slot="worked">
Scale the columns.
</div>
</Exercise>
`;
    const source = handoutSource(body);
    expect(source.exercises).toBe('1. How many steps?\n\n2. Fold BN.');
    expect(source.answers).toBe('**1.** **44 steps**: $0.9^{44} < 0.01$.\n\n**2.** Scale the columns.');
    expect(() => handoutSource('## Exercises\n\n<Exercise id="c">\n1. Q\n</Exercise>\n')).toThrow('no <div slot="worked">');
  });

  it('collects display formulas with their section, and splits questions from answers', () => {
    const source = handoutSource(lesson);
    expect(source.formulas).toEqual([
      { section: 'The transform', tex: 'y = \\gamma \\hat{x} + \\beta' },
      { section: 'Two modes', tex: 'a = b' },
      { section: 'References in prose', tex: 'z = 1' },
    ]);
    expect(source.exercises).toBe('1. Compute $y$. See [the widget](../train-it-yourself/).\n2. Why?');
    expect(source.answers).toBe('1. $y = 1$.\n2. Because.');
  });

  it('returns no exercises for a lesson without an exercises section, and no answers when none are given', () => {
    expect(handoutSource('## Intro\n\ntext\n')).toEqual({ formulas: [], exercises: null, answers: null, exerciseIds: [] });
    expect(handoutSource('## Check yourself\n\n1. Try it.\n')).toMatchObject({ exercises: '1. Try it.', answers: null });
  });

  it('lists exercises placed in other sections first, in lesson order, each with its section', () => {
    const body = `## Claim 1: "BN helps"

<Exercise id="first" answer={1} hint="h">
**Predict.** Does it?

<div slot="worked">
No.
</div>
</Exercise>

## Exercises

<Exercise id="second" answer={2} hint="h">
1. Why?

<div slot="worked">
Because.
</div>
</Exercise>
`;
    expect(handoutSource(body)).toMatchObject({
      exercises: '**In “Claim 1: "BN helps"”:** **Predict.** Does it?\n\n1. Why?',
      answers: '**In “Claim 1: "BN helps"”:** No.\n\n**1.** Because.',
      exerciseIds: ['first', 'second'],
    });
    expect(handoutSource(body.split('## Exercises')[0])).toMatchObject({
      exercises: '**In “Claim 1: "BN helps"”:** **Predict.** Does it?',
      exerciseIds: ['first'],
    });
  });

  it('lists every <Exercise> of every lesson, with its question, and no answer among the questions', () => {
    const dir = new URL('../../content/lessons/', import.meta.url);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.mdx'))) {
      const body = readFileSync(new URL(file, dir), 'utf8');
      const ids = [...body.matchAll(/<Exercise\b[^>]*\bid="([^"]*)"/g)].map((m) => m[1]);
      const source = handoutSource(body);
      expect([...source.exerciseIds].sort(), file).toEqual([...ids].sort());
      for (const m of body.matchAll(/<Exercise\b[^>]*>([\s\S]*?)<div slot="worked">/g)) {
        expect(source.exercises, file).toContain(m[1].trim());
      }
    }
  });

  it('rejects an unclosed formula and an exercises section without questions', () => {
    expect(() => handoutSource('## A\n\n$$\nx = 1\n')).toThrow(/section "A" is never closed/);
    expect(() => handoutSource('## Exercises\n\n<details><summary>Answers</summary>1. x</details>\n')).toThrow(/no questions/);
  });

  it('reads every lesson of the course without error; most have exercises, and answers never leak into them', () => {
    const dir = new URL('../../content/lessons/', import.meta.url);
    const sources = readdirSync(dir)
      .filter((f) => f.endsWith('.mdx'))
      .map((file) => handoutSource(readFileSync(new URL(file, dir), 'utf8')));
    expect(sources.filter((s) => s.exercises).length).toBeGreaterThanOrEqual(6);
    for (const s of sources) expect(s.exercises ?? '').not.toMatch(/<details|Answers/);
  });
});

describe('resolveLessonLinks(html, lessonPath)', () => {
  it('makes relative links site-absolute against the lesson path and leaves others alone', () => {
    const html = '<a href="../train-it-yourself/">a</a> <a href="https://arxiv.org/x">b</a> <a href="#s">c</a> <a href="/course/x/">d</a>';
    expect(resolveLessonLinks(html, '/course/lessons/batch-size-sweep/')).toBe(
      '<a href="/course/lessons/train-it-yourself/">a</a> <a href="https://arxiv.org/x">b</a> <a href="#s">c</a> <a href="/course/x/">d</a>',
    );
  });
});
