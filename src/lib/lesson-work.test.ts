import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lessonWork } from './lesson-work';

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
});
