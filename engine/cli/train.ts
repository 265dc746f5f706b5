/**
 * `npm run train -- [flags]`: the classic assignment from a terminal, printed like Keras `fit`.
 * The loop, the clock and the printing live here; the engine only trains.
 */
import { splitValidation } from '../data/mnist.ts';
import { createSession } from '../train/session.ts';
import type { Evaluation } from '../train/evaluate.ts';
import { dropoutEnsemble, type EnsembleResult } from '../train/dropout-ensemble.ts';
import { evaluateWithBatchStats, evaluateWithStats, recalibratedStats } from '../train/inference-stats.ts';
import { drift, inputLayerOf, inputSnapshot, type InputSnapshot } from '../train/drift.ts';
import { intensityTest, type IntensityResult } from '../train/intensity.ts';
import { parseArgs, usage, UsageError } from './args.ts';
import { loadMnist } from './mnist-files.ts';

interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss: number;
  val_accuracy: number;
  seconds: number;
  samplesPerSecond: number;
}

function main(argv: string[]): number {
  let options;
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`train: ${e.message}\nRun 'npm run train -- --help' for every flag.`);
    return 2;
  }
  if (options.help) {
    console.log(usage());
    return 0;
  }
  const { config, json, inferenceStats, driftLayer, intensity, ensemble: ensembleSamples } = options;
  const mnist = loadMnist();
  const { train, validation } = splitValidation(mnist.train, 0.1);
  const session = createSession(config, { train });
  const tty = !json && process.stdout.isTTY === true;
  const log = (line: string) => (json ? process.stderr.write(`${line}\n`) : console.log(line));

  if (!json) {
    console.log(`Training on ${session.train.count} images, validating on ${validation.count}, testing on ${mnist.test.count}.`);
    printSummary(session.model.summary());
  }

  const epochs: EpochRecord[] = [];
  const snapshots: InputSnapshot[] = [];
  // About 20 snapshots over the run, and one right after the first step (the reference).
  const snapshotEvery = Math.max(1, Math.floor(session.totalSteps / 20));
  if (driftLayer !== null) {
    try {
      inputLayerOf(session.model, driftLayer); // refuses a bad K before training starts
    } catch (e) {
      console.error(`train: --drift ${driftLayer}: ${(e as Error).message.replace(/^inputLayerOf: k /, 'the layer ')}`);
      return 2;
    }
  }
  let trainSeconds = 0;
  let samples = 0;
  for (let e = 0; e < config.epochs && !session.done; e++) {
    if (!json) console.log(`Epoch ${e + 1}/${config.epochs}`);
    const t0 = performance.now();
    let lastDraw = 0;
    do {
      const r = session.step();
      samples += r.diverged ? 0 : r.rows;
      if (r.diverged) break;
      if (driftLayer !== null && (session.globalStep === 1 || session.globalStep % snapshotEvery === 0 || session.done))
        snapshots.push(inputSnapshot(session.model, driftLayer, session.globalStep));
      if (tty && (performance.now() - lastDraw > 100 || r.epochEnded)) {
        lastDraw = performance.now();
        const m = session.epochMetrics();
        process.stdout.write(
          `\r${progress(r.stepInEpoch, session.stepsPerEpoch, (lastDraw - t0) / 1000)} - loss: ${m.loss.toFixed(4)} - accuracy: ${m.accuracy.toFixed(4)}`,
        );
      }
      if (r.epochEnded) break;
    } while (!session.done);
    const seconds = (performance.now() - t0) / 1000;
    trainSeconds += seconds;
    if (session.diverged) break;
    const m = session.epochMetrics();
    const val = session.evaluate(validation);
    const record: EpochRecord = {
      epoch: e + 1,
      loss: m.loss,
      accuracy: m.accuracy,
      val_loss: val.loss,
      val_accuracy: val.accuracy,
      seconds,
      samplesPerSecond: session.train.count / seconds,
    };
    epochs.push(record);
    if (!json) {
      const line = `${progress(session.stepsPerEpoch, session.stepsPerEpoch, seconds)} - loss: ${f(m.loss)} - accuracy: ${f(m.accuracy)} - val_loss: ${f(val.loss)} - val_accuracy: ${f(val.accuracy)}`;
      process.stdout.write(tty ? `\r${line}\n` : `${line}\n`);
    }
  }

  const diverged = session.diverged;
  let test: Evaluation | null = null;
  if (diverged) {
    log(`diverged at step ${diverged.step}: the loss became ${diverged.loss} (try a smaller --lr, or --clip-norm)`);
  } else {
    test = session.evaluate(mnist.test);
    if (!json) console.log(`test loss: ${f(test.loss)} - test accuracy: ${f(test.accuracy)} (${(100 * test.accuracy).toFixed(2)} %)`);
  }
  let inference: Record<string, Evaluation> | null = null;
  if (inferenceStats && !diverged) {
    const stats = recalibratedStats(session.model, session.train);
    const recalibrated = evaluateWithStats(session.model, mnist.test, stats);
    // Variance shift (Li et al. 2019): the moving variance BN learned in training over the variance its input has with dropout off.
    const bns = session.model.layers.flatMap((l) => (l.layer.kind === 'BatchNormalization' ? [l.layer] : []));
    bns.forEach((bn, i) => {
      const ratios = Array.from(stats[i].variance, (v, h) => bn.movingVariance[h] / v).filter(Number.isFinite);
      log(
        `${stats[i].name}: moving variance / variance of its input with dropout off, mean over units ${(ratios.reduce((a, r) => a + r, 0) / ratios.length).toFixed(3)}`,
      );
    });
    inference = {
      running: test!,
      recalibrated,
      ...Object.fromEntries([1, 8, 256].map((b) => [`batch${b}`, evaluateWithBatchStats(session.model, mnist.test, b)])),
    };
    for (const [how, e] of Object.entries(inference)) log(`test accuracy with ${how} BN statistics: ${(100 * e.accuracy).toFixed(2)} %`);
  }
  let shifts: IntensityResult[] | null = null;
  if (intensity && !diverged) {
    const changes = [
      { contrast: 1, brightness: 0 },
      { contrast: 0.5, brightness: 0 },
      { contrast: 2, brightness: 0 },
      { contrast: 1, brightness: 0.2 },
      { contrast: 1, brightness: 0.4 },
    ];
    shifts = intensityTest(session.model, mnist.test, changes);
    for (const s of shifts) {
      const batch = s.batch ? `, with batch statistics ${(100 * s.batch.accuracy).toFixed(2)} %` : '';
      log(
        `test accuracy at contrast ×${s.change.contrast}, brightness ${s.change.brightness >= 0 ? '+' : ''}${s.change.brightness}: ${(100 * s.running.accuracy).toFixed(2)} %${batch}; first Dense layer's unit means moved ${s.firstLayerShift.toFixed(2)} spreads`,
      );
    }
  }
  const layerDrift = driftLayer !== null ? drift(snapshots) : null;
  if (driftLayer !== null) {
    for (const p of snapshots)
      log(`step ${p.step}: input of Dense layer ${driftLayer} mean ${p.mean.toFixed(4)}, standard deviation ${p.std.toFixed(4)}`);
    if (layerDrift)
      log(
        `drift of Dense layer ${driftLayer}'s input: mean moved ${layerDrift.mean.toFixed(3)}, spread moved ${layerDrift.spread.toFixed(3)} (in first-step standard deviations)`,
      );
  }
  let ensemble: EnsembleResult | null = null;
  if (ensembleSamples && !diverged) {
    ensemble = dropoutEnsemble(session.model, mnist.test, { samples: ensembleSamples, seed: config.seed });
    log(`test accuracy of the scaled network (dropout off): ${(100 * ensemble.scaledAccuracy).toFixed(2)} %`);
    for (const e of ensemble.ensembles)
      log(
        `test accuracy averaging ${e.samples} sampled masks: ${(100 * e.accuracy).toFixed(2)} %, same class as the scaled network on ${(100 * e.agreement).toFixed(2)} %`,
      );
  }
  const samplesPerSecond = samples / trainSeconds;
  if (!json) console.log(`${Math.round(samplesPerSecond)} samples/s over ${trainSeconds.toFixed(1)} s of training`);
  else {
    const doc = {
      config,
      summary: session.model.summary(),
      epochs,
      test: test && { loss: test.loss, accuracy: test.accuracy },
      ...(inference ? { inference } : {}),
      ...(shifts ? { intensity: shifts } : {}),
      ...(driftLayer !== null ? { drift: { layer: driftLayer, snapshots, ...layerDrift } } : {}),
      ...(ensemble ? { ensemble } : {}),
      samplesPerSecond,
      trainSeconds,
      diverged: diverged ? { step: diverged.step, loss: String(diverged.loss) } : null,
    };
    console.log(JSON.stringify(doc, null, 2));
  }
  return diverged ? 1 : 0;
}

function f(v: number): string {
  return v.toFixed(4);
}

function progress(step: number, total: number, seconds: number): string {
  const width = 30;
  const done = Math.round((width * step) / total);
  const bar = step === total ? '='.repeat(width) : `${'='.repeat(Math.max(0, done - 1))}>${'.'.repeat(width - done)}`;
  const perStep = step ? (1000 * seconds) / step : 0;
  return `${String(step).padStart(String(total).length)}/${total} [${bar}] - ${Math.round(seconds)}s ${perStep.toFixed(0)}ms/step`;
}

function printSummary(s: ReturnType<ReturnType<typeof createSession>['model']['summary']>): void {
  const line = '_'.repeat(65);
  console.log(`Model: "sequential"\n${line}`);
  console.log(`${'Layer (type)'.padEnd(30)}${'Output Shape'.padEnd(22)}Param #`);
  console.log('='.repeat(65));
  for (const r of s.rows)
    console.log(`${`${r.name} (${r.type})`.padEnd(30)}${r.outputShape.padEnd(22)}${r.params.toLocaleString('en-US')}`);
  console.log('='.repeat(65));
  console.log(
    `Total params: ${s.total.toLocaleString('en-US')}\nTrainable params: ${s.trainable.toLocaleString('en-US')}\nNon-trainable params: ${s.nonTrainable.toLocaleString('en-US')}\n${line}`,
  );
}

process.exitCode = main(process.argv.slice(2));
