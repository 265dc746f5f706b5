// The one test command (`npm test`): lint, type-check, unit tests, then browser tests against
// the built site. Ends with a plain `tests: N passed, N failed` line read from the runners' JSON
// reports, so a run that executed nothing is visible.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const steps = [
  ['build wasm kernels', 'node', ['scripts/build-wasm.mjs']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings', '0']],
  ['format', 'npx', ['prettier', '--check', '.']],
  ['type-check engine', 'npx', ['tsc', '-p', 'engine']],
  ['type-check cli', 'npx', ['tsc', '-p', 'engine/cli']],
  ['type-check worker', 'npx', ['tsc', '-p', 'engine/worker']],
  ['type-check site', 'npx', ['astro', 'check']],
  ['unit tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=reports/vitest.json']],
];
if (existsSync('playwright.config.ts')) {
  steps.push(['browser tests', 'npx', ['playwright', 'test', '--reporter=list,json']]);
}

rmSync('reports', { recursive: true, force: true });
mkdirSync('reports', { recursive: true });

let failedStep = null;
// Each step's wall time, printed at the end: where a slow CI run spent its time.
const timings = [];
for (const [name, cmd, args] of steps) {
  if (name === 'type-check site' && !existsSync('astro.config.mjs')) continue;
  console.log(`\n== ${name}: ${cmd} ${args.join(' ')}`);
  const env = { ...process.env };
  if (name === 'browser tests') env.PLAYWRIGHT_JSON_OUTPUT_NAME = 'reports/playwright.json';
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  timings.push(`${name} ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (r.status !== 0) {
    failedStep = name;
    console.log(`\n== ${name} failed (exit ${r.status})`);
    break;
  }
}

function count(file, read) {
  if (!existsSync(file)) return { passed: 0, failed: 0 };
  return read(JSON.parse(readFileSync(file, 'utf8')));
}
const unit = count('reports/vitest.json', (j) => ({ passed: j.numPassedTests ?? 0, failed: j.numFailedTests ?? 0 }));
const e2e = count('reports/playwright.json', (j) => ({
  passed: j.stats?.expected ?? 0,
  failed: (j.stats?.unexpected ?? 0) + (j.stats?.flaky ?? 0),
}));
const passed = unit.passed + e2e.passed;
const failed = unit.failed + e2e.failed + (failedStep && unit.failed + e2e.failed === 0 ? 1 : 0);
console.log(
  `\nunit: ${unit.passed} passed, ${unit.failed} failed; browser: ${e2e.passed} passed, ${e2e.failed} failed${failedStep ? `; step failed: ${failedStep}` : ''}`,
);
console.log(`time: ${timings.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failedStep || failed > 0 || passed === 0 ? 1 : 0);
