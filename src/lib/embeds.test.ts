import { describe, expect, it } from 'vitest';
import { courseEmbeds } from './embeds';

const plans = [
  { name: 'lr-headroom', question: 'Higher rates?' },
  { name: 'bn-accuracy', question: 'Better accuracy?' },
];

describe('courseEmbeds', () => {
  it('gives every plan the first lesson showing it (or none) and every cell its lesson', () => {
    const lessons = [
      { id: 'a', title: 'A', body: '<CodeCell exercise="bn-forward" title="f">task</CodeCell>\n<Experiment plan="lr-headroom" />' },
      { id: 'b', title: 'B', body: '<Experiment plan="lr-headroom" />\n<CodeCell exercise="dropout" title="d" />' },
    ];
    const { experiments, cells } = courseEmbeds(lessons, plans);
    expect(experiments).toEqual([
      { name: 'lr-headroom', question: 'Higher rates?', lesson: { id: 'a', title: 'A' } },
      { name: 'bn-accuracy', question: 'Better accuracy?', lesson: null },
    ]);
    expect(cells.map((c) => [c.key, c.title, c.lesson.id])).toEqual([
      ['bn-forward', 'f', 'a'],
      ['dropout', 'd', 'b'],
    ]);
  });

  it('refuses a cell key used by two lessons, naming both', () => {
    const lessons = [
      { id: 'a', title: 'A', body: '<CodeCell exercise="dropout" title="d" />' },
      { id: 'b', title: 'B', body: '<CodeCell exercise="dropout" title="d" />' },
    ];
    expect(() => courseEmbeds(lessons, plans)).toThrow("the code-cell key 'dropout' is used in lessons 'a' and 'b'");
  });
});
