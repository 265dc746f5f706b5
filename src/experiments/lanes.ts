/**
 * How many runs of a plan the queue trains at once, each in a worker of its own: every core the
 * device reports where it has fewer than four, else all but one (left for the page); never more
 * runs than the plan has; and only as many workers as fit the memory budget (each holds its own
 * copy of the data set beside its run). A plan that compares its arms' times declares itself
 * `sequential` and runs one at a time, so every time is measured alone on an otherwise idle machine.
 */
import { trainImages } from '@engine';
import { estimateRunCost } from '@engine/worker/limits.ts';
import { expandPlan, type ExperimentPlan } from './plan';

/** What one training worker holds besides its run: the MNIST bytes it keeps (47 MB of training images, 8 MB of test images, labels). */
export const workerDataBytes = 60e6;

/** Memory all training workers of a page may hold together, at most; a quarter of what the device reports, where it says. */
export const memoryBudgetBytes = 1e9;

export interface Device {
  /** `navigator.hardwareConcurrency`. */
  cores: number;
  /** `navigator.deviceMemory` (GB) where the browser reports it. */
  memoryGb?: number;
}

export function parallelRuns(plan: ExperimentPlan, device: Device): number {
  const entries = expandPlan(plan);
  if (plan.sequential || entries.length <= 1) return 1;
  const cores = Math.max(1, Math.floor(device.cores) || 1);
  const byCores = cores >= 4 ? cores - 1 : cores;
  const budget = Math.min(memoryBudgetBytes, device.memoryGb ? (device.memoryGb * 1e9) / 4 : Infinity);
  const perWorker =
    workerDataBytes + Math.max(...entries.map((e) => estimateRunCost(e.config, 784, 10, e.config.trainLimit ?? trainImages).bytes));
  const byMemory = Math.floor(budget / perWorker);
  return Math.max(1, Math.min(byCores, entries.length, byMemory));
}
