/**
 * Lesson 14's exercises retype a few numbers of convnet.ts (the handouts print exercises from the
 * MDX source, where an expression would show as code); this test holds each copy to the module,
 * and the module's summaries to the engine's counts the lesson's exercises state.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { defaults, sgdSweep, summaries } from './convnet';
import { pct } from './measured';

const lesson = readFileSync(fileURLToPath(new URL('../../content/lessons/14-bn-in-convnets.mdx', import.meta.url)), 'utf8');
const exercise = (id: string) => {
  const block = lesson.match(new RegExp(`<Exercise id="${id}"[\\s\\S]*?</Exercise>`))?.[0];
  if (!block) throw new Error(`lesson 14 has no exercise '${id}'`);
  return block.replace(/\s+/g, ' ');
};

describe('lesson 14 numbers', () => {
  test('the learning-rate prediction retypes the SGD sweep as the module holds it', () => {
    const at = (lr: number) => sgdSweep.find((p) => p.lr === lr)!;
    const text = exercise('predict-lr');
    for (const p of [at(0.01), at(0.1)]) expect(text).toContain(`${pct(p.none!)} / ${pct(p.batch!)}`);
    expect(text).toContain(`(${pct(at(1).none!)})`);
    expect(at(1).batch!.value).toBe(at(1).none!.value);
    expect(at(3).batch).toBeNull(); // "the model with BN diverged"
  });

  test('the seeds prediction retypes every seed pair, and BN is ahead on all three as its answer says', () => {
    const text = exercise('predict-seeds');
    defaults.none.forEach((none, i) => {
      expect(text).toContain(`seed ${i + 1} ${pct(none.validation)} / ${pct(defaults.batch[i].validation)}`);
      expect(defaults.batch[i].validation.value).toBeGreaterThan(none.validation.value);
    });
    expect(lesson).toMatch(/<Exercise id="predict-seeds" answer="all"/);
  });

  test("the parameter exercises' answers are the engine's summaries", () => {
    expect(lesson).toMatch(/<Exercise id="bn-block2-params" answer=\{64\}/);
    expect(summaries.batch.rows.find((r) => r.name === 'batch_normalization_1')!.params).toBe(64);
    expect(lesson).toMatch(/<Exercise id="bn-net-params" answer=\{72\}/);
    expect(summaries.batch.total - summaries.none.total).toBe(72);
    expect(summaries.batch.nonTrainable).toBe(48);
  });
});
