/**
 * Requests to the checker worker (src/exercises/checker.worker.ts: the site's origin, never runs
 * reader code): the verdict of a Check from its recorded outputs, or the MNIST files for "train
 * with your own layer" — to a fresh worker per request, or to one kept by a lane.
 */
import checkerUrl from '../../exercises/checker.worker.ts?worker&url';
import type { FromChecker, ToChecker } from '../../exercises/protocol.ts';
import type { LoadProgress } from '@engine/worker/data-assets.ts';
import { CellTimeout, workerFailure } from './sandbox-client.ts';

type Final = Exclude<FromChecker, { type: 'data-progress' }>;

/**
 * A checker worker kept for a series of requests, one at a time: the grading page's lanes ask
 * it for hundreds of verdicts, and starting a worker for each was most of the main thread's work.
 * Safe to keep: the checker only ever receives the outputs the sandbox recorded, never reader
 * code. A request that fails or times out ends the worker; the next request starts a fresh one.
 */
export class CheckerLane {
  #worker: Worker | null = null;
  #busy = false;

  ask(request: ToChecker, limitMs: number, options: { onProgress?: (p: LoadProgress) => void; signal?: AbortSignal } = {}): Promise<Final> {
    if (this.#busy) return Promise.reject(new Error('CheckerLane.ask: one request at a time, received a second while the first runs'));
    this.#busy = true;
    return new Promise((resolve, reject) => {
      const worker = this.#started();
      const onAbort = () => end(new CellTimeout(String(options.signal?.reason ?? 'stopped')));
      options.signal?.addEventListener('abort', onAbort);
      const end = (error: Error | null, reply?: Final) => {
        options.signal?.removeEventListener('abort', onAbort);
        clearTimeout(timer);
        worker.onmessage = null;
        worker.onerror = null;
        this.#busy = false;
        if (error) {
          this.#end(worker);
          reject(error);
        } else resolve(reply!);
      };
      const timer = setTimeout(() => end(new Error(`the checker did not answer within ${limitMs / 1000} s`)), limitMs);
      worker.onmessage = (event: MessageEvent<FromChecker>) => {
        const m = event.data;
        if (m.type === 'data-progress') options.onProgress?.(m.progress);
        else end(null, m);
      };
      worker.onerror = (event: ErrorEvent) => void workerFailure(checkerUrl, 'the checker worker', event).then((e) => end(e));

      worker.postMessage(request);
    });
  }

  /** Starts the worker ahead of the first request. */
  warm(): void {
    this.#started();
  }

  #started(): Worker {
    return (this.#worker ??= new Worker(checkerUrl, { type: 'module', name: 'normlab-code-cell-checker' }));
  }

  /** Ends the worker (a later request starts a fresh one). */
  dispose(): void {
    if (this.#worker) this.#end(this.#worker);
  }

  #end(worker: Worker): void {
    worker.terminate();
    if (this.#worker === worker) this.#worker = null;
  }
}

/** One request to a fresh checker worker, ended with the request (a code cell's Check, or its data). */
export async function askChecker(
  request: ToChecker,
  limitMs: number,
  options: { onProgress?: (p: LoadProgress) => void; signal?: AbortSignal } = {},
): Promise<Final> {
  const lane = new CheckerLane();
  try {
    return await lane.ask(request, limitMs, options);
  } finally {
    lane.dispose();
  }
}
