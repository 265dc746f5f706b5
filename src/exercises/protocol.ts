/**
 * Messages between a code cell on the page and the code-cell worker. Every request carries an id;
 * the reply carries it back (several cells share one worker).
 */
import type { CheckReport } from './check-cell.ts';
import type { CellError } from './run-code.ts';
import type { TrainProgress, TrainRequest, TrainSummary } from './train-own-layer.ts';

export type ToCellWorker =
  | { id: number; type: 'run'; code: string }
  | { id: number; type: 'check'; exercise: string; code: string }
  | ({ id: number; type: 'train' } & TrainRequest);

export type FromCellWorker =
  | { id: number; type: 'ran'; logs: string[]; value: string | null }
  | ({ id: number; type: 'checked' } & CheckReport)
  | { id: number; type: 'progress'; progress: TrainProgress }
  | { id: number; type: 'trained'; summary: TrainSummary }
  /** code 'csp': the site's Content-Security-Policy forbids evaluating code in the worker. */
  | { id: number; type: 'failed'; code: 'error' | 'csp' | 'data'; error: CellError; logs: string[] };
