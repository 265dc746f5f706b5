/**
 * One source per measured number: the lessons' prose and tables print the classic assignment's
 * numbers from classic-assignment.ts; the exercises (which the handouts print from the MDX source,
 * where an expression would show as code) and the README retype them, and this test holds every
 * retyped copy to the module.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { bench, bnOverhead, throughput } from './bench';
import { referenceTest, seed1, threeSeeds, tsTest, wasm, type Model } from './classic-assignment';
import { difference, fixed, mean, pct, pctNumber, points, type Measured } from './measured';

const root = fileURLToPath(new URL('../../', import.meta.url));
const lessonDir = `${root}content/lessons/`;
const lessonFiles = readdirSync(lessonDir).filter((f) => f.endsWith('.mdx'));
const read = (file: string) => readFileSync(`${lessonDir}${file}`, 'utf8');
/** Whitespace folded, so a quote may wrap across lines. */
const folded = (text: string) => text.replace(/\s+/g, ' ');
const exerciseBlocks = /<Exercise\b[\s\S]*?<\/Exercise>/g;

const models: Model[] = ['none', 'batch'];
const seedList = (xs: readonly Measured[], sep: string) => xs.map((x) => pctNumber(x)).join(sep);

/**
 * The module's numbers that lessons repeat, as a lesson would print them, so a lesson that retypes one
 * is found: seed 1's headline numbers, every seed's test accuracy, the means, and the TypeScript
 * kernels' test accuracies (the other implementation's numbers, which a lesson must not slip in).
 * Other epochs are left out: a two-decimal percentage of an unrelated run coincides with them too often.
 */
function moduleLiterals(): Set<string> {
  const out = new Set<string>();
  for (const m of models) {
    const s1 = seed1[m];
    for (const x of [s1.valAccuracy[0], s1.valAccuracy[4], s1.trainAccuracy]) out.add(pct(x));
    for (const run of wasm[m]) out.add(pct(run.test));
    for (const x of tsTest[m]) out.add(pct(x));
    out.add(pct(mean(tsTest[m])));
  }
  for (const group of [threeSeeds.valEpoch1, threeSeeds.valEpoch5, threeSeeds.test, threeSeeds.trainAccuracy])
    for (const m of models) out.add(pct(group[m]));
  return out;
}

describe('the measurements module', () => {
  test('mean, spread and difference refuse to mix implementations', () => {
    expect(() => difference(mean(wasm.none.map((r) => r.test)), mean(tsTest.none))).toThrow(
      'difference: every measurement must come from one implementation, received engine-wasm and engine-ts',
    );
    expect(() => mean([...tsTest.none, referenceTest.none])).toThrow(/received engine-ts and reference/);
  });

  test('the three-seed means are the means of the three runs (lesson 10’s table)', () => {
    expect(pct(threeSeeds.test.none)).toBe('97.54 %');
    expect(pct(threeSeeds.test.batch)).toBe('97.46 %');
    expect(pct(threeSeeds.valEpoch1.none)).toBe('96.27 %');
    expect(pct(threeSeeds.valEpoch5.batch)).toBe('97.78 %');
    expect(points(threeSeeds.testNoneMinusBatch)).toBe('0.08');
    expect(points(threeSeeds.testSpread.none)).toBe('0.36');
    expect(points(threeSeeds.testSpread.batch)).toBe('0.07');
    expect(threeSeeds.bnAheadAfterEpoch1).toBe(3);
  });
});

describe('lessons quote the measurements module', () => {
  const importing = lessonFiles.filter((f) => read(f).includes("from '@measurements/classic-assignment'"));

  test('the lessons that repeat the classic assignment’s tables import the module', () => {
    expect(importing).toEqual(
      expect.arrayContaining(['05-batch-size.mdx', '10-bn-vs-none.mdx', '11-batch-size-sweep.mdx', '12-claims-on-trial.mdx']),
    );
  });

  /** Lines of other runs whose numbers merely coincide with one of the module's, by the line's start. */
  const coincidences: Record<string, string[]> = {
    '07-dropout.mdx': ['On all 54,000 training images and the assignment', '| | 1 | 96.56 %'], // no dropout's 97.45 % and one mask's 96.56 %
    '11-batch-size-sweep.mdx': ['| 64 | 844 |'], // batch 64's BN validation accuracy, 97.63 % like seed 1 without BN at batch 32
    '12-claims-on-trial.mdx': ['| without BN | 0.125 → 0.447'], // claim 1's deep ReLU network, 96.72 % like the classic BN run's epoch 1
  };

  test.each(lessonFiles)('%s retypes none of the module’s numbers outside its exercises', (file) => {
    const skip = coincidences[file] ?? [];
    const prose = read(file)
      .replace(exerciseBlocks, '')
      .split('\n')
      .filter((line) => !skip.some((start) => line.startsWith(start)))
      .join('\n');
    const retyped = [...moduleLiterals()].filter((literal) => prose.includes(literal));
    expect(retyped, `${file} should print these with {pct(…)} from @measurements/classic-assignment`).toEqual([]);
  });

  // Exercises are printed from the MDX source by the handouts, so they keep literal numbers; each must equal the module's.
  const quotes: [file: string, quote: string][] = [
    [
      '10-bn-vs-none.mdx',
      `without BN ${seedList(
        wasm.none.map((r) => r.test),
        ', ',
      ).replace(/, (?=[^,]*$)/, ' and ')} % (mean ${pct(threeSeeds.test.none)})`,
    ],
    [
      '10-bn-vs-none.mdx',
      `with BN ${seedList(
        wasm.batch.map((r) => r.test),
        ', ',
      ).replace(/, (?=[^,]*$)/, ' and ')} % (mean ${pct(threeSeeds.test.batch)})`,
    ],
    [
      '10-bn-vs-none.mdx',
      `The means differ by ${points(threeSeeds.testNoneMinusBatch)} points; one model's seeds alone span ${points(threeSeeds.testSpread.none)} points`,
    ],
    ['10-bn-vs-none.mdx', `The model without BN (${fixed(seed1.none.trainLoss, 4)} against ${fixed(seed1.batch.trainLoss, 4)})`],
    [
      '10-bn-vs-none.mdx',
      `two are level (${pct(seed1.none.valAccuracy[4])} and ${pct(seed1.batch.valAccuracy[4])}; loss ${fixed(seed1.none.valLoss, 4)} and ${fixed(seed1.batch.valLoss, 4)}) and on test too (${pct(seed1.none.test)} and ${pct(seed1.batch.test)})`,
    ],
    ['10-bn-vs-none.mdx', `BN leads only after epoch 1 (${pct(seed1.batch.valAccuracy[0])} against ${pct(seed1.none.valAccuracy[0])})`],
    ['10-bn-vs-none.mdx', `against ${pct(seed1.batch.valAccuracy[4])} and ${pct(seed1.batch.test)} with BN before it`],
    ['10-bn-vs-none.mdx', `(${pct(threeSeeds.test.batch)} against ${pct(threeSeeds.test.none)} over three seeds)`],
    ['11-batch-size-sweep.mdx', `(${pct(seed1.none.valAccuracy[0])} there) and most of it with BN (${pct(seed1.batch.valAccuracy[0])})`],
    ['11-batch-size-sweep.mdx', `against ${pct(seed1.none.test)} and ${pct(seed1.batch.test)})`],
  ];

  test.each(quotes)('%s quotes “%s”', (file, quote) => {
    expect(folded(read(file))).toContain(quote);
  });
});

describe('the README repeats the module', () => {
  const readme = readFileSync(`${root}README.md`, 'utf8');

  test.each([
    ['without BN', 'ts', tsTest.none],
    ['without BN', 'wasm', wasm.none.map((r) => r.test)],
    ['with BN', 'ts', tsTest.batch],
    ['with BN', 'wasm', wasm.batch.map((r) => r.test)],
  ] as const)('its accuracy table’s row “%s | %s” has the module’s test accuracies and mean', (model, backend, test) => {
    const row = new RegExp(`^\\| ${model} \\| ${backend} \\| ([^|]+) \\| ([^|]+) \\| ([^|]+) \\| ([^|]+) \\|$`, 'm').exec(readme);
    expect(row, `README row for ${model} on ${backend}`).not.toBeNull();
    expect(row![1].trim()).toBe(`${seedList(test, ' / ')} %`);
    expect(row![2].trim()).toBe(pct(mean(test)));
  });

  test.each(models)('its wasm row for %s gives the module’s epoch-5 training and validation ranges', (m) => {
    const label = m === 'none' ? 'without BN' : 'with BN';
    const row = new RegExp(`^\\| ${label} \\| wasm \\| [^|]+ \\| [^|]+ \\| ([^|]+) \\| ([^|]+) \\|$`, 'm').exec(readme)!;
    const range = (xs: number[], f: (x: number) => string) => {
      const [lo, hi] = [f(Math.min(...xs)), f(Math.max(...xs))];
      return lo === hi ? lo : `${lo}–${hi}`;
    };
    const train = range(
      wasm[m].map((r) => r.trainAccuracy.value * 100),
      (x) => x.toFixed(1),
    );
    const loss = range(
      wasm[m].map((r) => r.trainLoss.value),
      (x) => x.toFixed(3),
    );
    const val = range(
      wasm[m].map((r) => r.valAccuracy[4].value * 100),
      (x) => x.toFixed(2),
    );
    expect(row[1].trim()).toBe(`${train} % / ${loss}`);
    expect(row[2].trim()).toBe(`${val} %`);
  });

  test('its reference sentence and throughput table repeat the module', () => {
    expect(folded(readme)).toContain(
      `An independent framework gives ${pct(referenceTest.none)} (no BN) and ${pct(referenceTest.batch)} (BN)`,
    );
    for (const batch of [32, 128] as const) {
      const t = throughput.node[batch];
      const rate = (n: number) => n.toLocaleString('en-US');
      expect(readme).toMatch(new RegExp(`^\\| classic, no BN \\| ${batch} \\| ${rate(t.none)} samples/s \\|`, 'm'));
      expect(readme).toMatch(new RegExp(`^\\| classic, BN \\| ${batch} \\| ${rate(t.batch)} samples/s \\|`, 'm'));
    }
    expect(bench.node32).toBe(pct(bnOverhead(throughput.node[32]), 1));
    expect(bench.node32).toBe('8.8 %');
  });
});
