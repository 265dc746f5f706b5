/**
 * The worker's training loop without the worker: holds the runs, answers run requests, and
 * advances running runs in time-boxed slices. The worker file calls `work(budgetMs)` from a
 * MessageChannel task and yields in between, so pause/stop/update messages are handled between
 * two slices; the clock and the event sink are injected, so tests drive it synchronously.
 *
 * Several runs may be running, and probes of ended runs' kept models (probes/) may be under way:
 * each `work` call gives the whole slice to the next one in turn, so a BN and a no-BN run grow
 * side by side and a probe never holds the worker for longer than one of its slices. A probe is
 * answered when its last slice is done; meanwhile it sends `probe-progress` at most every
 * `probeProgressMs` (and after each slice that ends later), which keeps the page's deadline moving.
 *
 * Evaluation passes are sliced too (at most 1,000 rows per slice step), so no stretch without
 * reading messages is longer than one training step or one evaluation batch; `limits.ts` keeps
 * both short. The driver holds at most `maxRuns` runs and forgets ended runs beyond
 * `keepEndedRuns`, oldest first, so a page that never releases its runs cannot fill memory.
 *
 * Events: `state` on start, pause and resume; `progress` at most once per progressIntervalMs and
 * at every epoch end; `epoch` after each epoch's validation; `diagnostics` at most once per
 * interval when watched; `end` exactly once when a run finishes, stops, diverges or fails.
 */
import type { Dataset } from '../data/mnist.ts';
import { createSession, type Session, type StepOutcome } from '../train/session.ts';
import { evaluateSlices, type Slices } from '../train/slices.ts';
import { clip } from '../validate.ts';
import { layerDiagnostics, snapshotParams } from './diagnostics.ts';
import { checkRunCost, estimateRunCost, evaluationSliceRows, keepEndedRuns, maxRuns } from './limits.ts';
import { createGate, createRateMeter, type Gate, type RateMeter } from './pace.ts';
import { checkCost, checkNeeds, runProbe } from './probes/index.ts';
import {
  assertNever,
  type DiagnosticsOptions,
  type EndState,
  type Evaluation,
  type ProbeProgressEvent,
  type ProbeResult,
  type Reply,
  type RunEvent,
  type RunOptions,
  type RunState,
  type RunStatus,
  type ToWorker,
  type WorkerError,
} from './protocol.ts';

/** Minimum time between two progress events of a probe. */
export const probeProgressMs = 250;

export type RunRequest = Exclude<ToWorker, { type: 'load-data' | 'cancel-load' | 'ping' }>;

export interface DriverData {
  train: Dataset;
  validation: Dataset;
  test: Dataset;
}

export interface Driver {
  data: DriverData | null;
  /**
   * Answers a run request; the events it causes are emitted before it returns. A probe that
   * starts returns null: its reply is emitted when its last slice is done.
   */
  handle(request: RunRequest): Reply | null;
  /** Trains the next running run or advances the next probe for about `budgetMs`; returns whether there is more work. */
  work(budgetMs: number): boolean;
  /** Whether a run is training or a probe is under way. */
  readonly busy: boolean;
}

/** A probe under way on an ended run's kept model. */
interface ProbeJob {
  request: Extract<ToWorker, { type: 'probe' }>;
  slices: Slices<ProbeResult>;
  done: number;
  total: number;
  gate: Gate;
}

interface Run {
  id: string;
  session: Session;
  options: RunOptions;
  /** Rows per evaluation slice (fewer for wide models, see limits.ts). */
  evaluationRows: number;
  state: RunState;
  meter: RateMeter;
  progressGate: Gate;
  diagnostics: { options: DiagnosticsOptions; gate: Gate } | null;
  trainSeconds: number;
  epochSeconds: number;
  /** Duration of the last evaluation pass, for the ETA. */
  evaluationSeconds: number;
  epochsDone: number;
  lastBatchLoss: number;
  last: { train: Evaluation | null; validation: Evaluation | null; test: Evaluation | null };
  /** An evaluation pass in progress: advanced one batch per slice step, then `then` runs. */
  evaluating: {
    sets: Dataset[];
    current: Slices<Evaluation> | null;
    results: Evaluation[];
    seconds: number;
    then: (results: Evaluation[]) => void;
  } | null;
}

export function createDriver({ now, emit }: { now: () => number; emit: (event: RunEvent | ProbeProgressEvent | Reply) => void }): Driver {
  const runs = new Map<string, Run>();
  /** Probes under way, by the id of the run whose model they test (one at a time per run: BN three ways swaps the model's statistics meanwhile). */
  const probing = new Map<string, ProbeJob>();
  /** Ended runs, oldest first, for forgetting beyond keepEndedRuns. */
  const ended: string[] = [];
  let turn = 0;

  const status = (run: Run): RunStatus => ({ runId: run.id, state: run.state, step: run.session.globalStep });
  const named = (runId: string) => `'${clip(runId)}'`;
  const fail = (request: RunRequest, code: WorkerError['code'], message: string): Reply => ({
    type: 'reply',
    id: request.id,
    request: request.type,
    ok: false,
    error: { code, message },
  });
  const isEnded = (run: Run) => run.state !== 'running' && run.state !== 'paused';

  function watch(run: Run, options: DiagnosticsOptions | null): void {
    run.diagnostics = options && { options, gate: createGate(options.intervalMs) };
  }

  /** Starts evaluating `sets` in slices; `then` gets their results in order. */
  function evaluateThen(run: Run, sets: Dataset[], then: (results: Evaluation[]) => void): void {
    if (sets.length === 0) then([]);
    else run.evaluating = { sets, current: null, results: [], seconds: 0, then };
  }

  function evaluateSlice(run: Run): void {
    const e = run.evaluating!;
    const t0 = now();
    e.current ??= evaluateSlices(run.session.model, e.sets[e.results.length], run.evaluationRows);
    const slice = e.current.next();
    e.seconds += (now() - t0) / 1000;
    if (!slice.done) return;
    e.results.push(slice.value);
    e.current = null;
    if (e.results.length < e.sets.length) return;
    run.evaluationSeconds = e.seconds / e.sets.length;
    run.evaluating = null;
    e.then(e.results);
  }

  function forgetOldEnded(): void {
    while (ended.length > keepEndedRuns) runs.delete(ended.shift()!);
  }

  function emitProgress(run: Run): void {
    const s = run.session;
    const m = s.epochMetrics();
    const epoch = Math.max(0, Math.ceil(s.globalStep / s.stepsPerEpoch) - 1);
    const remainingEvaluations = s.config.epochs - run.epochsDone + (run.options.testEachEpoch ? s.config.epochs - run.epochsDone : 1);
    emit({
      type: 'progress',
      runId: run.id,
      step: s.globalStep,
      totalSteps: s.totalSteps,
      epoch,
      epochs: s.config.epochs,
      stepInEpoch: s.globalStep - epoch * s.stepsPerEpoch,
      stepsPerEpoch: s.stepsPerEpoch,
      loss: m.loss,
      accuracy: m.accuracy,
      batchLoss: run.lastBatchLoss,
      samplesPerSecond: run.meter.rate,
      elapsedSeconds: run.trainSeconds,
      etaSeconds: run.meter.eta(remainingSamples(s), remainingEvaluations, run.evaluationSeconds),
    });
  }

  /** The last step is done: evaluate the test set unless an epoch did, then end as finished. */
  function finish(run: Run): void {
    if (run.last.test !== null || !data) end(run, 'finished');
    else
      evaluateThen(run, [data.test], ([test]) => {
        run.last.test = test;
        end(run, 'finished');
      });
  }

  function end(run: Run, state: EndState, error: string | null = null): void {
    const s = run.session;
    run.state = state;
    run.evaluating = null;
    ended.push(run.id);
    const running = s.epochMetrics();
    emitProgress(run);
    emit({
      type: 'end',
      runId: run.id,
      state,
      summary: {
        steps: s.globalStep,
        epochs: run.epochsDone,
        seconds: run.trainSeconds,
        samplesPerSecond: run.meter.rate,
        train: run.last.train ?? (Number.isFinite(running.loss) ? running : null),
        validation: run.last.validation,
        test: run.last.test,
        diverged: s.diverged,
        error,
      },
    });
    forgetOldEnded();
  }

  function endEpoch(run: Run, outcome: StepOutcome): void {
    const s = run.session;
    run.epochsDone = outcome.epoch + 1;
    run.last.train = s.epochMetrics();
    const d = data;
    const validate = d !== null && d.validation.count > 0;
    const test = run.options.testEachEpoch && d !== null;
    const sets = d ? [...(validate ? [d.validation] : []), ...(test ? [d.test] : [])] : [];
    evaluateThen(run, sets, (results) => {
      run.last.validation = validate ? results[0] : null;
      run.last.test = test ? results[results.length - 1] : null;
      const samples = Math.min(s.train.count, s.stepsPerEpoch * s.config.batchSize);
      emitProgress(run);
      emit({
        type: 'epoch',
        runId: run.id,
        epoch: run.epochsDone,
        step: s.globalStep,
        train: run.last.train!,
        validation: run.last.validation,
        test: run.last.test,
        seconds: run.epochSeconds,
        samplesPerSecond: run.epochSeconds > 0 ? samples / run.epochSeconds : 0,
      });
      run.epochSeconds = 0;
      if (s.done) finish(run);
    });
  }

  function stepOnce(run: Run): void {
    if (run.evaluating) {
      evaluateSlice(run);
      return;
    }
    const s = run.session;
    const t0 = now();
    // A watched run always reports its last step too, so its final frame describes the trained model.
    const diagnose = run.diagnostics !== null && (run.diagnostics.gate.due(t0) || s.globalStep + 1 === s.totalSteps);
    const before = diagnose ? snapshotParams(s.model) : null;
    s.measureGradNorm = diagnose;
    const landscape = run.options.landscape;
    s.landscape = landscape && s.globalStep % landscape.every === 0 ? landscape.multiples : null;
    const batch = batchRows(s);
    let outcome: StepOutcome;
    try {
      outcome = s.step();
    } catch (e) {
      end(run, 'failed', e instanceof Error ? e.message : String(e));
      return;
    }
    const t1 = now();
    run.trainSeconds += (t1 - t0) / 1000;
    run.epochSeconds += (t1 - t0) / 1000;
    run.meter.add(batch, (t1 - t0) / 1000);
    run.lastBatchLoss = outcome.loss;
    if (outcome.diverged) {
      end(run, 'diverged');
      return;
    }
    if (diagnose && run.diagnostics) {
      const clippedShare = s.config.clipNorm === null ? null : s.clippedSteps / s.globalStep;
      emit({
        type: 'diagnostics',
        runId: run.id,
        step: s.globalStep,
        gradNorm: outcome.gradNorm,
        clippedShare,
        layers: layerDiagnostics(s.model, before, run.diagnostics.options.bins),
      });
    }
    if (outcome.landscape) emit({ type: 'landscape', runId: run.id, step: s.globalStep, ...outcome.landscape });
    // The last step always ends an epoch (totalSteps = stepsPerEpoch × epochs): endEpoch finishes.
    if (outcome.epochEnded) endEpoch(run, outcome);
    else if (run.progressGate.due(t1)) emitProgress(run);
  }

  /** Advances a probe for about `budgetMs`; replies when it is done (or failed). */
  function probeSlices(job: ProbeJob, start: number, budgetMs: number): void {
    const { request } = job;
    let result: ProbeResult | null = null;
    try {
      do {
        const slice = job.slices.next();
        if (slice.done) result = slice.value;
        else job.done += slice.value;
      } while (result === null && now() - start < budgetMs);
    } catch (e) {
      probing.delete(request.runId);
      emit(fail(request, 'internal', `probe: ${e instanceof Error ? e.message : String(e)}`));
      return;
    }
    if (result === null) {
      if (job.gate.due(now())) emit({ type: 'probe-progress', id: request.id, done: job.done, total: job.total });
      return;
    }
    probing.delete(request.runId);
    emit({ type: 'reply', id: request.id, request: 'probe', ok: true, result });
  }

  let data: DriverData | null = null;

  const driver: Driver = {
    get data() {
      return data;
    },
    set data(value) {
      data = value;
    },
    get busy() {
      return probing.size > 0 || [...runs.values()].some((r) => r.state === 'running');
    },
    handle(request) {
      const run = runs.get(request.runId);
      if (request.type !== 'start' && !run)
        return fail(
          request,
          'unknown-run',
          `${request.type}: no run ${named(request.runId)} in this worker (ended runs are forgotten after ${keepEndedRuns} newer ones end)`,
        );
      switch (request.type) {
        case 'start': {
          if (!data) return fail(request, 'no-data', 'start: the data is not loaded yet; send load-data first');
          if (run)
            return fail(request, 'bad-state', `start: a run ${named(request.runId)} already exists; release it or choose another id`);
          if (runs.size - ended.length >= maxRuns)
            return fail(request, 'bad-state', `start: this page already has ${maxRuns} runs going; stop one first`);
          const trainCount = request.config.trainLimit === null ? data.train.count : Math.min(request.config.trainLimit, data.train.count);
          const cost = estimateRunCost(request.config, data.train.features, 10, trainCount);
          const tooBig = checkRunCost(cost);
          if (tooBig) return fail(request, 'invalid-config', `start: ${tooBig}`);
          let session: Session;
          try {
            session = createSession(request.config, { train: data.train });
          } catch (e) {
            return fail(request, 'invalid-config', (e as Error).message);
          }
          const created: Run = {
            id: request.runId,
            session,
            options: request.options,
            evaluationRows: evaluationSliceRows(cost),
            state: 'running',
            meter: createRateMeter(),
            progressGate: createGate(request.options.progressIntervalMs),
            diagnostics: null,
            trainSeconds: 0,
            epochSeconds: 0,
            evaluationSeconds: 0,
            epochsDone: 0,
            lastBatchLoss: NaN,
            last: { train: null, validation: null, test: null },
            evaluating: null,
          };
          watch(created, request.options.diagnostics);
          runs.set(created.id, created);
          emit({ type: 'state', runId: created.id, state: 'running', step: 0 });
          return {
            type: 'reply',
            id: request.id,
            request: 'start',
            ok: true,
            result: {
              runId: created.id,
              config: { ...session.config, hidden: [...session.config.hidden] },
              summary: session.model.summary(),
              stepsPerEpoch: session.stepsPerEpoch,
              totalSteps: session.totalSteps,
              trainCount: session.train.count,
              validationCount: data.validation.count,
            },
          };
        }
        case 'pause':
        case 'resume': {
          const r = run!;
          if (isEnded(r))
            return fail(
              request,
              'bad-state',
              `${request.type}: run ${named(r.id)} has already ${r.state === 'failed' ? 'failed' : r.state}`,
            );
          const next = request.type === 'pause' ? 'paused' : 'running';
          if (r.state !== next) {
            r.state = next;
            // Progress is throttled: bring the page up to the exact step before it shows "paused at".
            if (next === 'paused') emitProgress(r);
            emit({ type: 'state', runId: r.id, state: next, step: r.session.globalStep });
          }
          return { type: 'reply', id: request.id, request: request.type, ok: true, result: status(r) };
        }
        case 'stop': {
          const r = run!;
          if (!isEnded(r)) end(r, 'stopped');
          return { type: 'reply', id: request.id, request: 'stop', ok: true, result: status(r) };
        }
        case 'update': {
          const r = run!;
          if (isEnded(r))
            return fail(
              request,
              'bad-state',
              `update: run ${named(r.id)} has ended (${r.state}); settings can change only while it runs or is paused`,
            );
          try {
            r.session.update(request.changes);
          } catch (e) {
            return fail(request, 'invalid-config', (e as Error).message);
          }
          return { type: 'reply', id: request.id, request: 'update', ok: true, result: status(r) };
        }
        case 'watch':
          watch(run!, request.diagnostics);
          return { type: 'reply', id: request.id, request: 'watch', ok: true, result: status(run!) };
        case 'release': {
          const r = run!;
          if (!isEnded(r)) end(r, 'stopped');
          runs.delete(r.id);
          ended.splice(ended.indexOf(r.id), 1);
          return { type: 'reply', id: request.id, request: 'release', ok: true, result: status(r) };
        }
        case 'probe': {
          const r = run!;
          const refusal = checkNeeds(request.probe.kind, { id: clip(r.id), state: r.state, config: r.session.config });
          if (refusal) return fail(request, 'bad-state', `probe: ${refusal}`);
          if (!data) return fail(request, 'no-data', 'probe: the data is not loaded');
          if (probing.has(r.id))
            return fail(request, 'bad-state', `probe: run ${named(r.id)} is being tested already; wait for that test to end`);
          const context = {
            model: r.session.model,
            config: r.session.config,
            train: r.session.train,
            test: data.test,
            rows: r.evaluationRows,
          };
          const { macs, refusal: tooLarge } = checkCost(request.probe, context);
          if (tooLarge) return fail(request, 'too-large', `probe: ${tooLarge}`);
          let slices: Slices<ProbeResult>;
          try {
            slices = runProbe(request.probe, context);
          } catch (e) {
            return fail(request, 'invalid-config', `probe: ${(e as Error).message}`);
          }
          probing.set(r.id, { request, slices, done: 0, total: macs, gate: createGate(probeProgressMs) });
          emit({ type: 'probe-progress', id: request.id, done: 0, total: macs });
          return null;
        }
        default:
          return assertNever(request);
      }
    },
    work(budgetMs) {
      const jobs: (Run | ProbeJob)[] = [...[...runs.values()].filter((r) => r.state === 'running'), ...probing.values()];
      if (jobs.length === 0) return false;
      const job = jobs[turn++ % jobs.length];
      const start = now();
      if ('slices' in job) probeSlices(job, start, budgetMs);
      else {
        do stepOnce(job);
        while (job.state === 'running' && now() - start < budgetMs);
      }
      return driver.busy;
    },
  };
  return driver;
}

/** Rows in the next mini-batch (the last batch of an epoch may be smaller, as in Keras). */
function batchRows(s: Session): number {
  const start = (s.globalStep % s.stepsPerEpoch) * s.config.batchSize;
  return Math.min(s.config.batchSize, s.train.count - start);
}

function remainingSamples(s: Session): number {
  const stepsLeft = s.totalSteps - s.globalStep;
  const epochsLeft = stepsLeft / s.stepsPerEpoch;
  return epochsLeft * s.train.count;
}
