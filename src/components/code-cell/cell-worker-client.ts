/**
 * One code-cell worker per cell, started on the cell's first Run and replaced after a timeout.
 * A request that runs past its time limit (an endless loop, most often) is stopped by terminating
 * the worker — the only way to interrupt a busy thread — and reported to the cell that sent it;
 * the next request starts a fresh worker.
 */
import type { FromCellWorker, ToCellWorker } from '../../exercises/protocol';

type Request = ToCellWorker extends infer T ? (T extends { id: number } ? Omit<T, 'id'> : never) : never;
type Final = Exclude<FromCellWorker, { type: 'progress' }>;
type Progress = Extract<FromCellWorker, { type: 'progress' }>['progress'];

/** The part of Worker this client uses (a fake in the unit tests). */
export interface WorkerLike {
  onmessage: ((event: MessageEvent<FromCellWorker>) => void) | null;
  onerror: ((event: ErrorEvent) => void) | null;
  postMessage(message: ToCellWorker): void;
  terminate(): void;
}

export class CellTimeout extends Error {
  override name = 'CellTimeout';
}

export class CellWorkerClient {
  #worker: WorkerLike | null = null;
  #nextId = 1;
  #pending = new Map<number, { resolve(m: Final): void; reject(e: Error): void; progress?: (p: Progress) => void; timer: ReturnType<typeof setTimeout> }>();

  constructor(private readonly create: () => WorkerLike) {}

  #start(): WorkerLike {
    if (this.#worker) return this.#worker;
    const worker = this.create();
    worker.onmessage = (event: MessageEvent<FromCellWorker>) => {
      const m = event.data;
      const waiter = this.#pending.get(m?.id);
      if (!waiter) return;
      if (m.type === 'progress') {
        waiter.progress?.(m.progress);
        return;
      }
      clearTimeout(waiter.timer);
      this.#pending.delete(m.id);
      waiter.resolve(m);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.#stop(new Error(`the code-cell worker could not start or crashed${event.message ? `: ${event.message}` : ''}`));
    };
    this.#worker = worker;
    return worker;
  }

  #stop(reason: Error): void {
    this.#worker?.terminate();
    this.#worker = null;
    for (const [id, waiter] of this.#pending) {
      clearTimeout(waiter.timer);
      waiter.reject(reason);
      this.#pending.delete(id);
    }
  }

  /** Sends one request; rejects with CellTimeout after `limitMs` (and restarts the worker). */
  request(message: Request, limitMs: number, progress?: (p: Progress) => void): Promise<Final> {
    const worker = this.#start();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#stop(new CellTimeout(`stopped after ${limitMs / 1000} s: the code was still running (an endless loop?). A fresh worker is ready for the next run.`));
      }, limitMs);
      this.#pending.set(id, { resolve, reject, progress, timer });
      worker.postMessage({ ...message, id } as ToCellWorker);
    });
  }

  /** Stops whatever is running (a training run the reader cancels) the same way a timeout does. */
  cancel(reason: string): void {
    this.#stop(new CellTimeout(reason));
  }
}
