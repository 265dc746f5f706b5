/**
 * `npm run bench`: training throughput of the engine on real MNIST, single thread.
 * For each configuration: a warm-up (JIT, caches), then several timed runs of the same number of
 * samples; the median samples/s is reported. Speed goals are checked here, never in tests.
 *   npm run bench -- --json        one JSON document
 *   npm run bench -- --runs 7      more timed runs
 */
import { splitValidation } from '../data/mnist.ts';
import { parseTrainConfig } from '../train/config.ts';
import { createSession } from '../train/session.ts';
import { loadMnist } from './mnist-files.ts';

interface BenchResult {
  norm: 'none' | 'batch';
  batchSize: number;
  samplesPerSecond: number;
  runs: number[];
  stepMilliseconds: number;
}

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const runsIndex = argv.indexOf('--runs');
const runs = runsIndex >= 0 ? Number(argv[runsIndex + 1]) : 5;
if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
  console.error(`bench: --runs expects an integer in [1, 50], received '${argv[runsIndex + 1]}'`);
  process.exit(2);
}

const { train } = splitValidation(loadMnist().train, 0.1);
const samplesPerRun = 32_000;
const results: BenchResult[] = [];

for (const batchSize of [32, 128]) {
  for (const norm of ['none', 'batch'] as const) {
    const session = createSession(parseTrainConfig({ norm, batchSize, epochs: 1000 }), { train });
    const stepsPerRun = Math.ceil(samplesPerRun / batchSize);
    for (let i = 0; i < stepsPerRun; i++) session.step(); // warm-up
    const rates: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      for (let i = 0; i < stepsPerRun; i++) session.step();
      const seconds = (performance.now() - t0) / 1000;
      rates.push((stepsPerRun * batchSize) / seconds);
    }
    const median = [...rates].sort((a, b) => a - b)[Math.floor(rates.length / 2)];
    const result = { norm, batchSize, samplesPerSecond: median, runs: rates, stepMilliseconds: (1000 * batchSize) / median };
    results.push(result);
    if (!json) {
      console.log(`norm ${norm.padEnd(5)} batch ${String(batchSize).padStart(3)}: ${Math.round(median).toLocaleString('en-US').padStart(7)} samples/s (median of ${runs}; ${result.stepMilliseconds.toFixed(3)} ms/step)`);
    }
  }
}

if (json) {
  console.log(JSON.stringify({ node: process.version, model: 'Dense 128 → [BN] → ReLU → Dropout 0.2 → Dense 10, Adam', samplesPerRun, results }, null, 2));
}
