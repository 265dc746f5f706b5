/**
 * An experiment as data: a plan of runs (arms × one swept axis × seeds, each a partial
 * TrainConfig over a shared base), what to record, which chart, and — where the lesson asks a
 * question — a verdict computed from the finished runs only. `expandPlan` turns a plan into the
 * ordered list of runs the kit's runner (runner.ts) queues, every configuration validated by the
 * engine's one config parser, so a bad combination is refused before anything starts.
 */
import { parseTrainConfig, type TrainConfig } from '@engine';
import type { DiagnosticsOptions } from '@engine/worker/protocol.ts';

/** One variant of the model or training, e.g. `{ id: 'batch', label: 'BN', config: { norm: 'batch' } }`. */
export interface Arm {
  id: string;
  label: string;
  config: Partial<TrainConfig>;
}

/** The setting a sweep varies, with the values it takes (in run order). */
export interface Axis {
  key: keyof TrainConfig;
  /** Axis title, e.g. 'learning rate'. */
  label: string;
  /** Values of `key` (validated with the rest of the config when the plan expands). */
  values: readonly unknown[];
  /** How a value reads in a queue entry or a chart tick, e.g. (v) => `lr ${v}`. */
  format: (value: unknown) => string;
  /** Numeric position on the chart's x axis (depth → number of layers, …). */
  position: (value: unknown) => number;
  /** 'log' for learning rates, batch sizes and init scales. */
  scale: 'log' | 'linear';
  /** A tick's text at a position, for an axis of named values (data orders); default the number itself. */
  tick?: (position: number) => string;
}

/** What a run should record beyond its metrics (saved with the run). */
export interface RecordSpec {
  /** Per-layer diagnostics frames at most this often, with this many histogram bins. */
  diagnostics?: DiagnosticsOptions;
  /** Keep each trained model in the worker after its run (to test it again; the worker forgets the oldest beyond a few). */
  models?: boolean;
}

export interface ExperimentPlan {
  /** The widget name runs are saved under (and listed by). */
  widget: string;
  base: Partial<TrainConfig>;
  arms: readonly Arm[];
  axis: Axis | null;
  seeds: readonly number[];
  record: RecordSpec;
  /** Which chart shows the results: training curves per run, or final values against the axis. */
  chart: 'curves' | 'sweep';
  /** The plan compares its arms' times: its runs go one at a time (else several at once, lanes.ts). */
  sequential?: boolean;
}

/** One run of a plan, in run order. */
export interface PlanEntry {
  /** Unique within the plan, readable: 'lr 0.1 · BN · seed 1' (also the saved run's label). */
  key: string;
  arm: Arm;
  /** The axis value's position (null without an axis). */
  position: number | null;
  /** The axis value as text ('' without an axis). */
  point: string;
  seed: number;
  config: TrainConfig;
}

/**
 * Every run of the plan: for each axis value (in order), each seed, each arm — so the arms of one
 * point run back to back, one after another, and are timed the same way. Throws (with the entry's
 * name and the engine's message) when a combination is invalid, e.g. batch 1 with BN.
 */
export function expandPlan(plan: ExperimentPlan): PlanEntry[] {
  if (plan.arms.length === 0) throw new RangeError(`${plan.widget}: a plan needs at least one arm, received none`);
  if (plan.seeds.length === 0) throw new RangeError(`${plan.widget}: a plan needs at least one seed, received none`);
  const axis = plan.axis;
  const points = axis ? axis.values.map((v) => ({ value: v, point: axis.format(v), position: axis.position(v) })) : [null];
  if (points.length === 0) throw new RangeError(`${plan.widget}: the axis '${plan.axis?.key}' needs at least one value, received none`);
  const entries = points.flatMap((p) =>
    plan.seeds.flatMap((seed) =>
      plan.arms.map((arm): PlanEntry => {
        const key = [p?.point, arm.label, plan.seeds.length > 1 ? `seed ${seed}` : null].filter(Boolean).join(' · ');
        const settings = { ...plan.base, ...arm.config, ...(p && axis ? { [axis.key]: p.value } : {}), seed };
        let config: TrainConfig;
        try {
          config = parseTrainConfig(settings);
        } catch (e) {
          throw new RangeError(`${key}: ${(e as Error).message.replace(/^train config: /, '')}`);
        }
        return { key, arm, position: p?.position ?? null, point: p?.point ?? '', seed, config };
      }),
    ),
  );
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.key))
      throw new RangeError(`${plan.widget}: two runs are both called '${e.key}'; give arms and axis values distinct labels`);
    seen.add(e.key);
  }
  return entries;
}

/** The first reason the plan cannot run, in words for the control that causes it; null when it can. */
export function planProblem(plan: ExperimentPlan): string | null {
  try {
    expandPlan(plan);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * A verdict on finished runs only: `compute` sees the results once every entry is done, and the
 * answer is 'pending' before that (so it never flips while runs are still going). A run that was
 * cancelled or failed leaves the question unanswered ('incomplete').
 */
export type Verdict<T> = { state: 'pending' } | { state: 'incomplete'; reason: string } | { state: 'decided'; value: T };

export function verdictOf<R, T>(
  entries: readonly { key: string; state: string; result: R | null }[],
  compute: (results: ReadonlyMap<string, R>) => T,
): Verdict<T> {
  if (entries.length === 0 || entries.some((e) => e.state === 'pending' || e.state === 'running')) return { state: 'pending' };
  const unfinished = entries.find((e) => e.state !== 'done' || e.result === null);
  if (unfinished) return { state: 'incomplete', reason: `${unfinished.key} did not finish (${unfinished.state})` };
  return { state: 'decided', value: compute(new Map(entries.map((e) => [e.key, e.result as R]))) };
}

/**
 * The one way the kit compares two models' times (claim 9's): each side lists the seconds per
 * epoch of its runs, one per repeat, timed alone (a `sequential` plan, arms alternating). The
 * noise is the larger relative spread (max − min over mean) between the repeats of either side,
 * never below `floor` (5 %: on a shared machine two identical runs differ by that much) — and it
 * is only known with at least two repeats a side: with one run each, `noise` and `withinNoise`
 * are null, and no difference may be called "beyond the noise".
 */
export function compareTimes(
  a: readonly number[],
  b: readonly number[],
  floor = 0.05,
): { ratio: number; noise: number | null; withinNoise: boolean | null } | null {
  if (a.length === 0 || b.length === 0) return null;
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const spread = (xs: readonly number[]) => (Math.max(...xs) - Math.min(...xs)) / mean(xs);
  const ratio = mean(b) / mean(a) - 1;
  if (a.length < 2 || b.length < 2) return { ratio, noise: null, withinNoise: null };
  const noise = Math.max(floor, spread(a), spread(b));
  return { ratio, noise, withinNoise: Math.abs(ratio) <= noise };
}

/**
 * A group id that carries how many runs were planned, so a sweep cancelled after 2 of 10 runs
 * reloads as "2 of 10", not "2 of 2": `<widget>-<time>-n<planned>`.
 */
export function planGroupId(widget: string, planned: number, now = Date.now()): string {
  return `${widget}-${now.toString(36)}-n${planned}`;
}

/** The planned run count of a group made by `planGroupId`, or null for older groups. */
export function plannedRuns(group: string): number | null {
  const m = /-n(\d+)$/.exec(group);
  return m ? Number(m[1]) : null;
}
