/**
 * `npm run bench`: training throughput of the engine on real MNIST, single thread, on both
 * backends (the WebAssembly SIMD kernels and the TypeScript reference) and their ratio.
 * For each model, batch size and backend: a warm-up (JIT, caches, subnormal-free moments), then
 * several timed runs of the same number of samples; the median samples/s is reported, by the wall
 * clock and per second of this process's CPU time (on a busy shared machine the wall clock also
 * counts the time other processes hold the core). Speed goals are checked here, never in tests.
 *   npm run bench -- --json        one JSON document
 *   npm run bench -- --runs 7      more timed runs
 *   npm run bench -- --backend wasm  one backend only
 *   npm run bench -- --model cnn     the ConvNet rows only (or mlp: the MLP rows only)
 *   npm run bench -- --batch 32      one batch size only (32 or 128)
 * The ConvNet rows train the small ConvNet of the course (conv 8 → norm → relu → pool → conv 16 →
 * norm → relu → pool → dense 10, 3×3 valid), the configuration issue 17 compares with PyTorch.
 */
import { loadavg } from 'node:os';
import type { BackendName } from '../backend.ts';
import { splitValidation } from '../data/mnist.ts';
import { parseTrainConfig, type TrainConfig } from '../train/config.ts';
import { createSession } from '../train/session.ts';
import { loadMnist } from './mnist-files.ts';

interface BenchResult {
  model: string;
  backend: BackendName;
  batchSize: number;
  samplesPerSecond: number;
  /** Samples per second of this process's CPU time (user + system): what a shared, busy machine does not distort. */
  samplesPerCpuSecond: number;
  runs: number[];
  stepMilliseconds: number;
}

const allModels: { name: string; config: Partial<TrainConfig> }[] = [
  { name: 'classic, no BN', config: { norm: 'none' } },
  { name: 'classic, BN', config: { norm: 'batch' } },
  { name: 'deep 4×128, BN', config: { norm: 'batch', hidden: [128, 128, 128, 128] } },
  { name: 'cnn 8-16, no BN', config: { model: 'cnn', norm: 'none' } },
  { name: 'cnn 8-16, BN', config: { model: 'cnn', norm: 'batch' } },
  { name: 'cnn 8-16, GN:4', config: { model: 'cnn', norm: 'group:4' } },
];

const argv = process.argv.slice(2);
const json = argv.includes('--json');
const option = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
const runs = Number(option('--runs') ?? 5);
if (!Number.isInteger(runs) || runs < 1 || runs > 50) {
  console.error(`bench: --runs expects an integer in [1, 50], received '${option('--runs')}'`);
  process.exit(2);
}
const only = option('--backend');
if (only !== undefined && only !== 'wasm' && only !== 'ts') {
  console.error(`bench: --backend expects wasm or ts, received '${only}'`);
  process.exit(2);
}
const backends: BackendName[] = only ? [only] : ['wasm', 'ts'];
const family = option('--model');
if (family !== undefined && family !== 'mlp' && family !== 'cnn') {
  console.error(`bench: --model expects mlp or cnn, received '${family}'`);
  process.exit(2);
}
const batchOption = option('--batch');
if (batchOption !== undefined && batchOption !== '32' && batchOption !== '128') {
  console.error(`bench: --batch expects 32 or 128, received '${batchOption}'`);
  process.exit(2);
}
const batchSizes = batchOption ? [Number(batchOption)] : [32, 128];
const models = allModels.filter((m) => family === undefined || (m.config.model ?? 'mlp') === family);

const loadAtStart = loadavg();
const { train } = splitValidation(loadMnist().train, 0.1);
const samplesPerRun = 32_000;
const results: BenchResult[] = [];
const fmt = (v: number) => Math.round(v).toLocaleString('en-US').padStart(7);

for (const batchSize of batchSizes) {
  for (const model of models) {
    const row: BenchResult[] = [];
    for (const backend of backends) {
      const session = createSession(parseTrainConfig({ ...model.config, batchSize, epochs: 1000, backend }), { train });
      const stepsPerRun = Math.ceil(samplesPerRun / batchSize);
      for (let i = 0; i < stepsPerRun; i++) session.step(); // warm-up
      const rates: number[] = [];
      const cpuRates: number[] = [];
      for (let r = 0; r < runs; r++) {
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        for (let i = 0; i < stepsPerRun; i++) session.step();
        const seconds = (performance.now() - t0) / 1000;
        const cpu = process.cpuUsage(cpu0);
        rates.push((stepsPerRun * batchSize) / seconds);
        cpuRates.push((stepsPerRun * batchSize) / ((cpu.user + cpu.system) / 1e6));
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
      const wall = median(rates);
      row.push({
        model: model.name,
        backend,
        batchSize,
        samplesPerSecond: wall,
        samplesPerCpuSecond: median(cpuRates),
        runs: rates,
        stepMilliseconds: (1000 * batchSize) / wall,
      });
    }
    results.push(...row);
    if (!json) {
      const cells = row.map(
        (r) =>
          `${r.backend} ${fmt(r.samplesPerSecond)} samples/s (${r.stepMilliseconds.toFixed(3)} ms/step; ${fmt(r.samplesPerCpuSecond)} per CPU-s)`,
      );
      const ratio =
        row.length === 2
          ? `   wasm/ts ${(row[0].samplesPerSecond / row[1].samplesPerSecond).toFixed(1)}× (per CPU-s ${(row[0].samplesPerCpuSecond / row[1].samplesPerCpuSecond).toFixed(1)}×)`
          : '';
      console.log(`${model.name.padEnd(16)} batch ${String(batchSize).padStart(3)}: ${cells.join('   ')}${ratio}`);
    }
  }
}
// The load average says whether the wall clock above was shared with other processes.
const load = (values: number[]) => values.map((v) => v.toFixed(1)).join(' / ');
if (!json)
  console.log(
    `(median of ${runs} runs of ${samplesPerRun.toLocaleString('en-US')} samples each, after a warm-up; Node ${process.version}; load average over 1 / 5 / 15 min ${load(loadAtStart)} at the start, ${load(loadavg())} at the end)`,
  );

if (json) {
  console.log(
    JSON.stringify(
      {
        node: process.version,
        optimizer: 'adam',
        dropout: 0.2,
        samplesPerRun,
        loadAverage: { start: loadAtStart, end: loadavg() },
        results,
      },
      null,
      2,
    ),
  );
}
