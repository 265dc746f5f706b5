/**
 * Strips a cell's types in the page's type-stripping worker (src/exercises/strip-types.worker.ts),
 * started on the first request and kept for the page's life: it only parses text. A request that
 * does not come back within the limit ends the worker, failing what was waiting; the next request
 * starts a fresh one.
 */
import stripUrl from '../../exercises/strip-types.worker.ts?worker&url';
import type { StripReply, StripRequest } from '../../exercises/strip-types.worker.ts';
import type { StrippedCode } from '../../exercises/to-javascript.ts';
import { workerFailure } from './sandbox-client.ts';

/** Parsing a cell takes milliseconds, starting the worker seconds on a loaded machine; this bounds a parser that never returns. */
const stripLimitMs = 60_000;

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, { resolve: (r: StrippedCode) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();

function end(error: Error): void {
  worker?.terminate();
  worker = null;
  for (const { reject, timer } of waiting.values()) {
    clearTimeout(timer);
    reject(error);
  }
  waiting.clear();
}

function start(): Worker {
  const w = new Worker(stripUrl, { type: 'module', name: 'normlab-code-cell-types' });
  w.onmessage = (event: MessageEvent<StripReply>) => {
    const { id, ...result } = event.data;
    const entry = waiting.get(id);
    if (!entry) return;
    waiting.delete(id);
    clearTimeout(entry.timer);
    entry.resolve(result as StrippedCode);
  };
  w.onerror = (event: ErrorEvent) => void workerFailure(stripUrl, "the code cell's type-stripping worker", event).then(end);
  return w;
}

/** Starts the worker ahead of the first request (it takes seconds on a loaded machine, parsing milliseconds). */
export function warmStripTypes(): void {
  worker ??= start();
}

/** The cell's JavaScript, or its first syntax error with the line. */
export function stripTypes(code: string): Promise<StrippedCode> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    const timer = setTimeout(
      () => end(new Error(`the code cell's types could not be stripped within ${stripLimitMs / 1000} s`)),
      stripLimitMs,
    );
    waiting.set(id, { resolve, reject, timer });
    (worker ??= start()).postMessage({ id, code } satisfies StripRequest);
  });
}
