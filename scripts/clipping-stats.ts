/**
 * What clipping does on a real run, measured with the engine:
 *
 *   npx tsx scripts/clipping-stats.ts --optimizer sgd --lr 2 --norm none --train-limit 5000 --epochs 3 --clip-norm 1
 *   npx tsx scripts/clipping-stats.ts --optimizer sgd --lr 2 --norm none --train-limit 5000 --epochs 3 --clip-value 0.01
 *
 * It takes the training CLI's flags and trains exactly the run `npm run train` would with them
 * (the same session, seed and clipping: the final validation accuracy printed here is the CLI's).
 * Every run: the global gradient norm before clipping over the steps, and with clipping by norm
 * the share of steps clipped. With clipping by value it applies the clamp itself, so at every step
 * it sees the gradient g before and g' = clamp(g, ±limit) after, and reports the cosine between
 * g' and g (1 = same direction), the share of components clamped, and the share of its length g'
 * kept. Clipping by global norm only rescales g, so its cosine is 1 by construction.
 */
import { splitValidation } from '../engine/data/mnist.ts';
import { parseArgs } from '../engine/cli/args.ts';
import { loadMnist } from '../engine/cli/mnist-files.ts';
import { clipGradValue } from '../engine/optim/clip.ts';
import { createSession } from '../engine/train/session.ts';
import type { Param } from '../engine/types.ts';

export interface DirectionStats {
  /** cos(g, g') = g·g' / (‖g‖ ‖g'‖). */
  cosine: number;
  /** Share of the components whose value the clamp changed. */
  clamped: number;
  /** ‖g'‖ / ‖g‖. */
  kept: number;
}

/** Compares a gradient before (`raw`) and after clipping (`clipped`), tensor by tensor in the same order. */
export function directionStats(raw: readonly Float32Array[], clipped: readonly Float32Array[]): DirectionStats {
  if (raw.length !== clipped.length)
    throw new RangeError(`directionStats: expected as many clipped tensors as raw ones (${raw.length}), received ${clipped.length}`);
  let dot = 0;
  let rr = 0;
  let cc = 0;
  let changed = 0;
  let total = 0;
  raw.forEach((r, t) => {
    const c = clipped[t];
    if (c.length !== r.length) throw new RangeError(`directionStats: tensor ${t} has ${r.length} raw values and ${c.length} clipped ones`);
    for (let i = 0; i < r.length; i++) {
      dot += r[i] * c[i];
      rr += r[i] * r[i];
      cc += c[i] * c[i];
      if (r[i] !== c[i]) changed++;
    }
    total += r.length;
  });
  return { cosine: dot / Math.sqrt(rr * cc), clamped: total === 0 ? 0 : changed / total, kept: Math.sqrt(cc / rr) };
}

const quantile = (xs: readonly number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

function main(argv: string[]): void {
  const { config } = parseArgs(argv);
  const limit = config.clipValue;
  const { train, validation } = splitValidation(loadMnist().train, 0.1);
  const session = createSession(config, { train });
  session.measureGradNorm = true;
  const stats: DirectionStats[] = [];
  if (limit !== null) {
    // The session itself must not clamp: the wrapped optimizer step does, after copying g.
    session.update({ clipValue: null });
    const optimizer = session.optimizer;
    const step = optimizer.step.bind(optimizer);
    optimizer.step = (params: Param[]) => {
      const raw = params.map((p) => p.grad.slice());
      clipGradValue(params, limit, session.model.backend);
      stats.push(
        directionStats(
          raw,
          params.map((p) => p.grad),
        ),
      );
      step(params);
    };
  }
  const norms: number[] = [];
  while (!session.done) norms.push(session.step().gradNorm);
  const column = (xs: readonly number[]) => {
    const ok = xs.filter(Number.isFinite);
    return `mean ${(ok.reduce((a, b) => a + b, 0) / ok.length).toFixed(3)}, median ${quantile(ok, 0.5).toFixed(3)}, min ${Math.min(...ok).toFixed(3)}, max ${Math.max(...ok).toFixed(3)}`;
  };
  const epochMedians = Array.from({ length: Math.ceil(norms.length / session.stepsPerEpoch) }, (_, e) =>
    quantile(norms.slice(e * session.stepsPerEpoch, (e + 1) * session.stepsPerEpoch), 0.5).toFixed(3),
  );
  const val = session.diverged
    ? `diverged at step ${session.diverged.step}`
    : `validation accuracy ${(session.evaluate(validation).accuracy * 100).toFixed(2)} %`;
  const clipping = config.clipNorm !== null ? `clip norm ${config.clipNorm}` : limit !== null ? `clip value ${limit}` : 'no clipping';
  console.log(
    `${clipping}, ${config.optimizer} lr ${config.lr}, norm ${config.norm}, ${session.train.count} images × ${config.epochs} epochs, seed ${config.seed}, backend ${config.backend}: ${norms.length} steps, ${val}`,
  );
  console.log(
    `  ‖g‖ before clipping      ${column(norms)}; first step ${norms[0]?.toFixed(3)}; median per epoch ${epochMedians.join(', ')}`,
  );
  if (config.clipNorm !== null)
    console.log(
      `  steps clipped            ${session.clippedSteps} of ${session.globalStep} (${((100 * session.clippedSteps) / session.globalStep).toFixed(1)} %)`,
    );
  if (stats.length > 0) {
    console.log(`  cos(g, clipped g)        ${column(stats.map((s) => s.cosine))}`);
    console.log(`  components clamped       ${column(stats.map((s) => s.clamped))}`);
    console.log(`  ‖clipped g‖ / ‖g‖        ${column(stats.map((s) => s.kept))}`);
    console.log(
      `  first step: cos ${stats[0].cosine.toFixed(3)}, clamped ${stats[0].clamped.toFixed(3)}, kept ${stats[0].kept.toFixed(3)}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
