/**
 * The weight norm ‖W‖ of a training run, which the training CLI does not report:
 *
 *   npx tsx scripts/weight-norm.ts --train-limit 2000 --epochs 40 --dropout 0 --seed 1 --backend wasm
 *
 * It takes the CLI's flags and trains exactly the run `npm run train` would with them (the same
 * session and seed: the validation accuracy printed here is the CLI's last `val_accuracy`). ‖W‖ is
 * read the way lesson 6's experiment reads it on the page, with `kernelNorm` over the diagnostics
 * of the trained model: the L2 norm of every Dense kernel taken together, biases not counted.
 * Also the part of that norm on the first layer's rows for the pixels that are 0 in every training
 * image (they get no data gradient, so only decay moves them). One JSON line on stdout.
 */
import { splitValidation } from '../engine/data/mnist.ts';
import { parseArgs } from '../engine/cli/args.ts';
import { loadMnist } from '../engine/cli/mnist-files.ts';
import { createSession, type Session } from '../engine/train/session.ts';
import { layerDiagnostics } from '../engine/worker/diagnostics.ts';
import { kernelNorm } from '../src/experiments/regularization/weight-decay-overfit.ts';

const { config } = parseArgs(process.argv.slice(2));
const mnist = loadMnist();
const { train, validation } = splitValidation(mnist.train, 0.1);
const session = createSession(config, { train });

const weightNorm = (s: Session) =>
  kernelNorm({
    type: 'diagnostics',
    runId: 'weight-norm',
    step: s.globalStep,
    gradNorm: NaN,
    clippedShare: null,
    layers: layerDiagnostics(s.model, null, 8),
  });

/** Pixels (input rows of the first Dense kernel) that are 0 in every image the session trains on. */
const D = session.train.features;
const neverOn = Array.from({ length: D }, (_, d) => d).filter((d) => {
  for (let i = 0; i < session.train.count; i++) if (session.train.images[i * D + d] !== 0) return false;
  return true;
});

/** ‖rows `neverOn` of the first Dense kernel‖ — W is (D, H) row-major. */
function neverOnNorm(s: Session): number {
  const first = s.model.layers.find((l) => l.layer.kind === 'Dense')!;
  const W = first.layer.params().find((p) => p.name === 'kernel')!.value;
  const H = W.length / D;
  let sum = 0;
  for (const d of neverOn) for (let h = 0; h < H; h++) sum += W[d * H + h] ** 2;
  return Math.sqrt(sum);
}

const start = { weightNorm: weightNorm(session), neverOnNorm: neverOnNorm(session) };
let diverged = false;
while (!session.done && !diverged) diverged = session.step().diverged;
if (diverged) throw new Error(`weight-norm: the run diverged at step ${session.globalStep}; no norm to report`);
console.log(
  JSON.stringify({
    steps: session.globalStep,
    neverOnPixels: neverOn.length,
    start,
    end: { weightNorm: weightNorm(session), neverOnNorm: neverOnNorm(session) },
    valAccuracy: session.evaluate(validation).accuracy,
  }),
);
