/**
 * What clipping by value does to the direction of the update, measured on a real run:
 *
 *   npx tsx scripts/clip-direction.ts --optimizer sgd --lr 2 --norm none --train-limit 5000 --epochs 3 --clip-value 0.01
 *
 * It takes the training CLI's flags and trains exactly the run `npm run train` would with them
 * (the same session, seed and clipping; the final validation accuracy printed here is the CLI's),
 * but applies the clip-value step itself, so at every step it sees the gradient g before and
 * g' = clamp(g, ±limit) after, and reports over the run: the cosine between g' and g (1 = same
 * direction), the share of components that were clamped, and the share of its length g' kept.
 * Clipping by global norm only rescales g, so its cosine is 1 by construction.
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
  if (raw.length !== clipped.length) throw new RangeError(`directionStats: expected as many clipped tensors as raw ones (${raw.length}), received ${clipped.length}`);
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
  if (limit === null) throw new RangeError('clip-direction: pass --clip-value LIMIT (the run to measure clips by value), received none');
  const { train, validation } = splitValidation(loadMnist().train, 0.1);
  const session = createSession(config, { train });
  // The session itself must not clamp: the wrapped optimizer step does, after copying g.
  session.update({ clipValue: null });
  const stats: DirectionStats[] = [];
  const optimizer = session.optimizer;
  const step = optimizer.step.bind(optimizer);
  optimizer.step = (params: Param[]) => {
    const raw = params.map((p) => p.grad.slice());
    clipGradValue(params, limit, session.model.backend);
    stats.push(directionStats(raw, params.map((p) => p.grad)));
    step(params);
  };
  while (!session.done) session.step();
  const column = (pick: (s: DirectionStats) => number) => {
    const xs = stats.map(pick).filter(Number.isFinite);
    return `mean ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3)}, median ${quantile(xs, 0.5).toFixed(3)}, min ${Math.min(...xs).toFixed(3)}, max ${Math.max(...xs).toFixed(3)}`;
  };
  const val = session.diverged ? `diverged at step ${session.diverged.step}` : `validation accuracy ${(session.evaluate(validation).accuracy * 100).toFixed(2)} %`;
  console.log(`clip value ${limit}, ${config.optimizer} lr ${config.lr}, norm ${config.norm}, ${session.train.count} images × ${config.epochs} epochs, seed ${config.seed}, backend ${config.backend}: ${stats.length} steps, ${val}`);
  console.log(`  cos(g, clipped g)        ${column((s) => s.cosine)}`);
  console.log(`  share of components clamped ${column((s) => s.clamped)}`);
  console.log(`  ‖clipped g‖ / ‖g‖       ${column((s) => s.kept)}`);
  console.log(`  first step: cos ${stats[0]?.cosine.toFixed(3)}, clamped ${stats[0]?.clamped.toFixed(3)}, kept ${stats[0]?.kept.toFixed(3)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main(process.argv.slice(2));
