import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lessonAnswers, lessonCells, lessonExperiments, lessonWork } from './lesson-work';

describe('lessonWork', () => {
  it('lists exercise ids and code cells (key defaulting to the exercise) in order', () => {
    const body = [
      '<CodeCell exercise="bn-forward" title="t">x</CodeCell>',
      '<Exercise id="a" answer={1}>q</Exercise>',
      '<CodeCell exercise="bn-backward" key="own" train title="u">y</CodeCell>',
      '<Exercise id="b">q</Exercise>',
    ].join('\n');
    expect(lessonWork(body)).toEqual({
      exercises: ['a', 'b'],
      cells: [
        { key: 'bn-forward', exercise: 'bn-forward' },
        { key: 'own', exercise: 'bn-backward' },
      ],
    });
  });

  it('names an exercise without an id', () => {
    expect(() => lessonWork('<Exercise answer={1}>q</Exercise>')).toThrow(
      'lessonWork: an <Exercise> has no id="…", received <Exercise answer={1}>',
    );
  });

  it.each(readdirSync('content/lessons').filter((f) => f.endsWith('.mdx')))('finds every exercise of %s, in order', (file) => {
    // The claims lesson (nine exercises before the third edition split it in two) was the one the handout missed.
    const body = readFileSync(`content/lessons/${file}`, 'utf8');
    const ids = [...body.matchAll(/<Exercise\s+id="([^"]+)"/g)].map((m) => m[1]);
    expect(lessonWork(body).exercises).toEqual(ids);
  });

  it('reads a tag whose hint holds ">" to its real end', () => {
    expect(lessonWork('<Exercise hint="z > 0" id="late">q</Exercise>').exercises).toEqual(['late']);
  });
});

describe('lessonCells and lessonExperiments (the embed routes)', () => {
  it('reads each cell’s title, task and train flag, and each experiment’s plan, in order', () => {
    const body = [
      '<CodeCell exercise="bn-forward" title="the forward">',
      '  Compute `mu` for x > 0.',
      '</CodeCell>',
      '<Experiment plan="lr-headroom" />',
      '<CodeCell exercise="bn-backward" key="own" train title="u" />',
      '<Experiment plan="bn-accuracy" />',
    ].join('\n');
    expect(lessonCells(body)).toEqual([
      { key: 'bn-forward', exercise: 'bn-forward', title: 'the forward', task: 'Compute `mu` for x > 0.', train: false },
      { key: 'own', exercise: 'bn-backward', title: 'u', task: '', train: true },
    ]);
    expect(lessonExperiments(body)).toEqual(['lr-headroom', 'bn-accuracy']);
  });

  it('names a cell without a title or closing tag and an experiment without a plan', () => {
    expect(() => lessonCells('<CodeCell exercise="dropout" />')).toThrow(
      'lessonCells: a <CodeCell> has no title="…", received <CodeCell exercise="dropout" />',
    );
    expect(() => lessonCells('<CodeCell exercise="dropout" title="t">task')).toThrow('is never closed with </CodeCell>');
    expect(() => lessonExperiments('<Experiment />')).toThrow('lessonExperiments: an <Experiment> has no plan="…"');
  });
});

describe('lessonAnswers', () => {
  it('reads numeric, choice and open exercises with their tolerance, unit and choices', () => {
    const body = [
      '<Exercise id="n" answer={-1.5e-3} tolerance="2%" unit="steps" hint="z > 0">q</Exercise>',
      `<Exercise id="c" answer="b" choices={[{ value: 'a', label: 'A’s {label}' }, { value: 'b', label: "it's B" }]} hint="h">q</Exercise>`,
      '<Exercise id="o">q</Exercise>',
    ].join('\n');
    expect(lessonAnswers(body)).toEqual([
      { id: 'n', kind: 'number', answer: -0.0015, tolerance: '2%', unit: 'steps', choices: null },
      {
        id: 'c',
        kind: 'choice',
        answer: 'b',
        tolerance: null,
        unit: null,
        choices: [
          { value: 'a', label: 'A’s {label}' },
          { value: 'b', label: "it's B" },
        ],
      },
      { id: 'o', kind: 'open', answer: null, tolerance: null, unit: null, choices: null },
    ]);
  });

  it('refuses a numeric answer that is not a number literal, and a choice answer not among the choices', () => {
    expect(() => lessonAnswers('<Exercise id="x" answer={1 + 1}>q</Exercise>')).toThrow(
      'lessonAnswers: exercise x: a numeric answer must be written answer={number}, received <Exercise id="x" answer={1 + 1}>',
    );
    expect(() => lessonAnswers(`<Exercise id="y" answer="c" choices={[{ value: 'a', label: 'A' }]}>q</Exercise>`)).toThrow(
      'lessonAnswers: exercise y: answer must be one of the choices\' values (a), received "c"',
    );
    expect(() => lessonAnswers(`<Exercise id="z" answer="a" choices={options}>q</Exercise>`)).toThrow(
      "lessonAnswers: exercise z: choices must be a list of { value: '…', label: '…' }, received {options}",
    );
  });

  it.each(readdirSync('content/lessons').filter((f) => f.endsWith('.mdx')))('reads the answer of every checked exercise of %s', (file) => {
    const body = readFileSync(`content/lessons/${file}`, 'utf8');
    const answers = lessonAnswers(body);
    expect(answers.map((a) => a.id)).toEqual(lessonWork(body).exercises);
    const checked = [...body.matchAll(/<Exercise\s+id="([^"]+)"\s+answer=/g)].map((m) => m[1]);
    expect(answers.filter((a) => a.kind !== 'open').map((a) => a.id)).toEqual(checked);
    for (const a of answers.filter((x) => x.kind === 'number')) expect(Number.isFinite(a.answer), a.id).toBe(true);
  });
});
