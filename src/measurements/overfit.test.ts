/**
 * One source per measured number: lessons 6 and 7 print the overfitting run's numbers from overfit.ts.
 * Its derived numbers are the means and differences of its runs; no lesson retypes one of its numbers
 * outside an exercise; the exercises (which the handouts print from the MDX source, where an expression
 * would show as code) retype some, and each copy must be the module's; and the sentences that draw a
 * conclusion from the numbers must stay true of them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { fixed, pct, points, type Measured } from './measured';
import {
  dropoutGain,
  firstPerfectEpoch,
  l2TestChange,
  neverOn,
  reference,
  seed1,
  seeds,
  threeSeeds,
  weightNorm,
  type Arm,
  type Run,
} from './overfit';

const average = (xs: readonly Measured[]) => xs.reduce((s, x) => s + x.value, 0) / xs.length;
const columns: (keyof Run)[] = ['trainAccuracy', 'valAccuracy', 'valLoss', 'test'];

describe('the overfitting module', () => {
  test.each(columns)('the three-seed means of %s are the means of the three runs, without and with dropout', (column) => {
    for (const arm of ['adam', 'dropout'] as const satisfies Arm[]) {
      expect(threeSeeds[column][arm].value).toBeCloseTo(average(seeds[arm].map((r) => r[column])), 12);
      expect(threeSeeds[column][arm].by).toBe('engine-wasm');
    }
  });

  test('the spreads, gains and changes are differences of its runs', () => {
    for (const arm of ['adam', 'l2'] as const) {
      const tests = seeds[arm].map((r) => r.test.value);
      expect(threeSeeds.testSpread[arm].value).toBeCloseTo(Math.max(...tests) - Math.min(...tests), 12);
    }
    expect(dropoutGain.seed1Val.value).toBeCloseTo(seeds.dropout[0].valAccuracy.value - seeds.adam[0].valAccuracy.value, 12);
    expect(dropoutGain.valAccuracy.value).toBeCloseTo(
      average(seeds.dropout.map((r) => r.valAccuracy)) - average(seeds.adam.map((r) => r.valAccuracy)),
      12,
    );
    expect(dropoutGain.test.value).toBeCloseTo(average(seeds.dropout.map((r) => r.test)) - average(seeds.adam.map((r) => r.test)), 12);
    expect(l2TestChange.value).toBeCloseTo(seeds.l2[0].test.value - seeds.adam[0].test.value, 12);
    expect(reference.l2TestChange.value).toBeCloseTo(reference.test.l2.value - reference.test.adam.value, 12);
    expect(reference.dropoutGain.value).toBeCloseTo(reference.test.dropout.value - reference.test.adam.value, 12);
  });

  test('seed 1 is the first of the three seeds, so lesson 6’s Adam row is lesson 7’s no-dropout row', () => {
    expect(seed1.adam).toMatchObject(seeds.adam[0]);
    expect(seed1.l2).toMatchObject(seeds.l2[0]);
    expect(seed1.dropout).toBe(seeds.dropout[0]);
  });

  test('lesson 7’s means and gains print as its table and prose have printed them since it was written', () => {
    expect([threeSeeds.trainAccuracy, threeSeeds.valAccuracy, threeSeeds.test].map((m) => `${pct(m.adam)} ${pct(m.dropout)}`)).toEqual([
      '100.00 % 99.13 %',
      '92.52 % 92.98 %',
      '91.01 % 91.74 %',
    ]);
    expect(`${fixed(threeSeeds.valLoss.adam, 3)} ${fixed(threeSeeds.valLoss.dropout, 3)}`).toBe('0.320 0.268');
    // 0.47, not the 0.46 the lesson printed before: that was 92.98 − 92.52, the difference of the rounded means.
    expect([dropoutGain.seed1Val, dropoutGain.valAccuracy, dropoutGain.test].map((d) => points(d))).toEqual(['0.37', '0.47', '0.73']);
  });
});

const lessonDir = fileURLToPath(new URL('../../content/lessons/', import.meta.url));
const lessonFiles = readdirSync(lessonDir).filter((f) => f.endsWith('.mdx'));
const read = (file: string) => readFileSync(`${lessonDir}${file}`, 'utf8');
/** Whitespace folded, so a quote may wrap across lines. */
const folded = (text: string) => text.replace(/\s+/g, ' ');
const weightDecay = '06-weight-decay-and-l2.mdx';
const dropoutLesson = '07-dropout.mdx';

function exercise(file: string, id: string): string {
  const block = read(file).match(new RegExp(`<Exercise id="${id}"[\\s\\S]*?</Exercise>`))?.[0];
  if (!block) throw new Error(`${file} has no exercise '${id}'`);
  return folded(block);
}

/** Training minus validation accuracy. */
const gap = (r: Run) => r.trainAccuracy.value - r.valAccuracy.value;

/** Every number of the module a lesson prints, as the lesson prints it. */
function moduleLiterals(): Set<string> {
  const out = new Set<string>();
  const runs = [...seeds.adam, ...seeds.l2, ...seeds.dropout, seed1.adamwSmall, seed1.adamw];
  for (const r of runs) for (const x of [r.trainAccuracy, r.valAccuracy, r.test]) out.add(pct(x));
  for (const r of runs) out.add(fixed(r.valLoss, 3));
  for (const m of [threeSeeds.trainAccuracy, threeSeeds.valAccuracy, threeSeeds.test]) for (const x of [m.adam, m.dropout]) out.add(pct(x));
  for (const x of [threeSeeds.valLoss.adam, threeSeeds.valLoss.dropout]) out.add(fixed(x, 3));
  for (const r of [seed1.adam, seed1.l2, seed1.adamwSmall, seed1.adamw]) out.add(fixed(r.weightNorm, 1));
  for (const x of [weightNorm.start, weightNorm.adamwDecay1]) out.add(fixed(x, 1));
  for (const x of [neverOn.start, neverOn.adamw]) out.add(fixed(x, 2));
  for (const x of [dropoutGain.seed1Val, dropoutGain.valAccuracy, dropoutGain.test]) out.add(points(x));
  for (const x of Object.values(reference.test)) out.add(pct(x, 1));
  return out;
}

/** `literal` standing alone: not part of a longer number (92.67 % in 192.67 %, 10.9 in 10.95). */
const alone = (literal: string) => new RegExp(`(?<![\\d.,])${literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\d)`);

/** Numbers of other runs, or plain arithmetic, that coincide with one of the module's: [lesson, the line's start, the literal]. */
const coincidences: [file: string, line: string, literal: string][] = [
  ['04-train-vs-eval.mdx', '$(1-\\rho)\\rho^k$. With $\\rho = 0.99$', '0.37'], // 0.99¹⁰⁰
  ['04-train-vs-eval.mdx', '   steps the initial values still weigh', '0.37'], // 0.999¹⁰⁰⁰
  ['08-gradient-clipping.mdx', '$\\eta \\cdot (0.9 + 0.1 \\cdot 100)', '10.9'], // Adam's first moment after a spike
  ['10-bn-vs-none.mdx', '1), and (a) is 10.9 points below (b)', '10.9'], // BN's running statistics, in points
  ['12-claims-on-trial.mdx', '| with BN, then noise of strength 1 |', '92.67 %'], // the noisy-BN claim
  ['12-claims-on-trial.mdx', '| with BN, then noise of strength 2 |', '90.68 %'],
  ['12-claims-on-trial.mdx', '| without BN | 100.00 % | 92.47 %', '100.00 %'], // the overfitting claim: 20 epochs, dropout 0.2
  ['12-claims-on-trial.mdx', '| with BN | 99.90 % | 91.92 %', '91.92 %'],
];

describe('lessons quote the overfitting module', () => {
  test.each([weightDecay, dropoutLesson])('%s imports the module', (file) => {
    expect(read(file)).toContain("import * as overfit from '@measurements/overfit';");
  });

  test.each(lessonFiles)('%s retypes none of the overfitting run’s numbers outside its exercises', (file) => {
    // Exercises are blanked line for line, so the line numbers below are the file's.
    const lines = read(file)
      .replace(/<Exercise\b[\s\S]*?<\/Exercise>/g, (block) => block.replace(/[^\n]/g, ''))
      .split('\n');
    const excused = coincidences.filter(([f]) => f === file);
    const retyped = lines.flatMap((line, i) =>
      [...moduleLiterals()]
        .filter((literal) => alone(literal).test(line))
        .filter((literal) => !excused.some(([, start, l]) => l === literal && line.startsWith(start)))
        .map((literal) => `line ${i + 1}: ${literal}`),
    );
    expect(retyped, `${file} retypes the overfitting run's numbers; print them with {pct(overfit.…)} from @measurements/overfit`).toEqual(
      [],
    );
  });

  test('every coincidence is still in its lesson, so the list does not excuse lines that are gone', () => {
    for (const [file, start, literal] of coincidences) {
      const line = read(file)
        .split('\n')
        .find((l) => l.startsWith(start));
      expect(line, `${file}: a line starting '${start}'`).toBeDefined();
      expect(alone(literal).test(line!)).toBe(true);
    }
  });

  // Exercises are printed from the MDX source by the handouts, so they keep literal numbers; each must equal the module's.
  test('lesson 6’s gap prediction retypes seed 1 of Adam and of L2, and its answer and prompt hold', () => {
    const [adam, l2] = [seed1.adam, seed1.l2];
    const text = exercise(weightDecay, 'predict-overfit-gap');
    expect(text).toContain(
      `Adam alone ends at ${pct(adam.trainAccuracy)} training and ${pct(adam.valAccuracy)} validation accuracy (a gap of ${points(gap(adam), 1)} points), Adam with L2 0.001 at ${pct(l2.trainAccuracy)} and ${pct(l2.valAccuracy)} (${points(gap(l2), 1)} points).`,
    );
    expect(text).toContain(`the validation loss drops from ${fixed(adam.valLoss, 3)} to ${fixed(l2.valLoss, 3)}.`);
    expect(text).toContain('ends less than half as large as with Adam alone');
    expect(l2.weightNorm.value).toBeLessThan(adam.weightNorm.value / 2);
    expect(text).toMatch(/answer="same"/); // "It stays within about a point"
    expect(Math.abs(gap(l2) - gap(adam))).toBeLessThan(0.01);
  });

  test('lesson 6’s decay-curve hint holds: L2 0.001 lowered the validation loss but not the validation accuracy', () => {
    expect(exercise(weightDecay, 'predict-decay-curve')).toContain('L2 0.001 lowered the validation loss but not the validation accuracy');
    expect(seed1.l2.valLoss.value).toBeLessThan(seed1.adam.valLoss.value);
    expect(seed1.l2.valAccuracy.value).toBeLessThanOrEqual(seed1.adam.valAccuracy.value);
  });

  test('lesson 7’s dropout prediction retypes seed 1 with and without dropout, and training accuracy moves more', () => {
    const [adam, drop] = [seed1.adam, seed1.dropout];
    expect(exercise(dropoutLesson, 'predict-dropout-overfit')).toContain(
      `it drops from ${pct(adam.trainAccuracy, 1)} to ${pct(drop.trainAccuracy)}, while validation accuracy rises from ${pct(adam.valAccuracy)} to ${pct(drop.valAccuracy)}, by ${points(dropoutGain.seed1Val)} points.`,
    );
    expect(dropoutGain.seed1Val.value).toBeGreaterThan(0);
    expect(adam.trainAccuracy.value - drop.trainAccuracy.value).toBeGreaterThan(dropoutGain.seed1Val.value);
  });

  test('lesson 7’s ensemble prediction retypes the scaled network’s test accuracy, which is dropout’s seed 1', () => {
    expect(exercise(dropoutLesson, 'predict-ensemble')).toContain(`About the same: ${pct(seed1.dropout.test)} for the scaled network`);
  });
});

describe('the sentences around the tables stay true of the module', () => {
  const six = folded(read(weightDecay));
  const seven = folded(read(dropoutLesson));

  test('lesson 6: Adam alone memorizes its images and validation stops near 92–93 %', () => {
    expect(six).toContain('reaches 100 % training accuracy, while validation accuracy stops near 92–93 %');
    expect(seed1.adam.trainAccuracy.value).toBe(1);
    expect(seed1.adam.valAccuracy.value).toBeGreaterThanOrEqual(0.92);
    expect(seed1.adam.valAccuracy.value).toBeLessThanOrEqual(0.93);
  });

  test('lesson 6: the reference’s weight norms agree with ours to the first decimal, its accuracies not on a direction', () => {
    expect(six).toContain('The weight norms agree with ours to the first decimal');
    expect(fixed(reference.weightNorm.adam, 1)).toBe(fixed(seed1.adam.weightNorm, 1));
    expect(fixed(reference.weightNorm.l2, 1)).toBe(fixed(seed1.l2.weightNorm, 1));
    expect(six).toContain(
      'there L2 gains {points(overfit.reference.l2TestChange, 1)} points, here it loses {points(overfit.l2TestChange, 1)}',
    );
    expect(reference.l2TestChange.value).toBeGreaterThan(0);
    expect(l2TestChange.value).toBeLessThan(0);
    // "neither difference is larger than what changing the seed does"
    const seedSpread = Math.max(threeSeeds.testSpread.adam.value, threeSeeds.testSpread.l2.value);
    expect(Math.abs(reference.l2TestChange.value)).toBeLessThanOrEqual(seedSpread);
    expect(Math.abs(l2TestChange.value)).toBeLessThanOrEqual(seedSpread);
  });

  test('lesson 6: decay makes the model less overconfident but does not buy validation accuracy', () => {
    expect(six).toContain('makes the model less overconfident, but it does not buy validation accuracy');
    for (const r of [seed1.l2, seed1.adamwSmall, seed1.adamw]) {
      expect(r.valLoss.value).toBeLessThan(seed1.adam.valLoss.value);
      expect(r.valAccuracy.value - seed1.adam.valAccuracy.value).toBeLessThan(0.001);
    }
  });

  test('lesson 6: the never-on pixels’ weights keep their norm under Adam and shrink by exactly AdamW’s factor', () => {
    expect(neverOn.adam.value).toBeCloseTo(neverOn.start.value, 5);
    const steps = Math.ceil(2000 / 32) * 40;
    expect(six).toContain(`$(1 - 0.001 \\times 0.5)^{${steps}}$ over its ${steps.toLocaleString('en-US')} steps`);
    expect(neverOn.adamw.value).toBeCloseTo(neverOn.start.value * (1 - 0.001 * 0.5) ** steps, 3);
  });

  test('lesson 6: AdamW with decay 1 ends about where the weights started', () => {
    expect(six).toContain('about where the weights started');
    expect(Math.abs(weightNorm.adamwDecay1.value - weightNorm.start.value)).toBeLessThan(0.5);
  });

  test('lesson 7: without dropout the network stays at 100 % once it gets there', () => {
    expect(seven).toContain('reaches 100 % training accuracy after {overfit.firstPerfectEpoch} epochs (seed 1) and then only grows');
    expect(firstPerfectEpoch).toBeLessThan(40);
    expect(seed1.adam.trainAccuracy.value).toBe(1);
  });

  test('lesson 7: dropout helps by less than a point, lowers the validation loss, as the reference did by about as much', () => {
    expect(seven).toContain('Dropout helps here, by less than a point: +{points(overfit.dropoutGain.valAccuracy)} points');
    for (const d of [dropoutGain.valAccuracy, dropoutGain.test]) {
      expect(d.value).toBeGreaterThan(0);
      expect(d.value).toBeLessThan(0.01);
    }
    expect(threeSeeds.valLoss.dropout.value).toBeLessThan(threeSeeds.valLoss.adam.value);
    expect(seven).toContain('the same direction and about the same size as ours');
    expect(reference.dropoutGain.value / dropoutGain.test.value).toBeGreaterThan(0.5);
    expect(reference.dropoutGain.value / dropoutGain.test.value).toBeLessThan(2);
  });

  test('lesson 7: 100 sampled masks land within 0.1 point of the scaled network on seeds 2 and 3', () => {
    const m =
      /network \((\d+\.\d+) % and (\d+\.\d+) % against \{pct\(overfit\.seeds\.dropout\[1\]\.test\)\} and \{pct\(overfit\.seeds\.dropout\[2\]\.test\)\}\)/.exec(
        seven,
      );
    expect(m, 'lesson 7: the sentence on seeds 2 and 3 of the ensemble').not.toBeNull();
    [m![1], m![2]].forEach((masks, i) =>
      expect(Math.abs(Number(masks) / 100 - seeds.dropout[i + 1].test.value)).toBeLessThanOrEqual(0.001 + 1e-9),
    );
  });
});
