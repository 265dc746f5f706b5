/**
 * Messages between a code cell on the page and its checker worker (checker.worker.ts: site
 * origin, never runs the reader's code): "judge" turns a Check's recorded outputs into the verdict,
 * "load-data" fetches the MNIST files for "train with your own layer". One request per worker.
 * What the sandbox itself may send is in sandbox-protocol.ts.
 */
import type { DataFiles, LoadProgress } from '@engine/worker/data-assets.ts';
import type { StageResult } from './compare.ts';
import type { CheckOutputs } from './sandbox-protocol.ts';

export type ToChecker = { type: 'judge'; exercise: string; outputs: CheckOutputs } | { type: 'load-data'; manifestUrl: string };

export type FromChecker =
  | { type: 'judged'; stages: StageResult[]; pass: boolean }
  | { type: 'data-progress'; progress: LoadProgress }
  | { type: 'data'; files: DataFiles }
  | { type: 'failed'; message: string };
