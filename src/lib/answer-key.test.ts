import { describe, expect, it } from 'vitest';
import { answerKey } from './answer-key';

describe('answerKey', () => {
  it('lists each lesson’s checked exercises (not the open ones) and its cells with their functions', () => {
    const body = [
      '<Exercise id="n" answer={2} tolerance="0.1" hint="h">q</Exercise>',
      '<Exercise id="open">q</Exercise>',
      '<CodeCell exercise="bn-forward" title="t" />',
    ].join('\n');
    const key = answerKey({ id: 'c', title: 'C' }, [{ id: 'l', title: 'L', body }], (e) => [`${e}-fn`]);
    expect(key).toEqual({
      course: { id: 'c', title: 'C' },
      lessons: [
        {
          id: 'l',
          title: 'L',
          exercises: [{ id: 'n', kind: 'number', answer: 2, tolerance: '0.1', unit: null, choices: null }],
          cells: [{ key: 'bn-forward', exercise: 'bn-forward', functions: ['bn-forward-fn'] }],
        },
      ],
    });
  });
});
