/**
 * The loss-landscape experiment of lesson 12 (src/experiments/claims/loss-landscape.ts), run in
 * Node on the same data, plan and probing as the page (the worker probes steps 1, 1 + k, …):
 *
 *   npx tsx scripts/landscape-stats.ts                          # prints the medians per arm and the verdict
 *   npx tsx scripts/landscape-stats.ts '{"activation":"relu"}'  # the same plan with settings changed
 *
 * The numbers it prints are what src/measurements/loss-landscape.ts stores for the lesson's prose;
 * the engine is deterministic, so the page's own run of the plan shows the same ones.
 */
import { splitValidation } from '../engine/data/mnist.ts';
import { loadMnist } from '../engine/cli/mnist-files.ts';
import type { TrainConfig } from '../engine/train/config.ts';
import { createSession } from '../engine/train/session.ts';
import type { LandscapeEvent } from '../engine/worker/protocol.ts';
import { expandPlan } from '../src/experiments/plan.ts';
import { decideLandscape, landscapeMedians, lossLandscape } from '../src/experiments/claims/loss-landscape.ts';
import { run } from '../src/experiments/claims/testing.ts';

const mnist = loadMnist();
const { train, validation } = splitValidation(mnist.train, 0.1);
const { every, multiples } = lossLandscape.plan.record.landscape!;
const changes = JSON.parse(process.argv[2] ?? '{}') as Partial<TrainConfig>;
const plan = { ...lossLandscape.plan, base: { ...lossLandscape.plan.base, ...changes } };
const runs = expandPlan(plan).map((entry) => {
  const session = createSession(entry.config, { train });
  const samples: LandscapeEvent[] = [];
  while (!session.done) {
    session.landscape = session.globalStep % every === 0 ? multiples : null;
    const outcome = session.step();
    if (outcome.landscape) samples.push({ type: 'landscape', runId: entry.key, step: session.globalStep, ...outcome.landscape });
  }
  const accuracy = session.evaluate(validation).accuracy;
  console.log(entry.key, JSON.stringify({ ...landscapeMedians(samples), validationAccuracy: accuracy }));
  return run({ arm: entry.arm.id, landscape: samples });
});
console.log(JSON.stringify(decideLandscape(runs), null, 2));
