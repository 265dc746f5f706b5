/**
 * The code-cell worker: runs the reader's code off the main thread. Glue only — the evaluation is
 * run-code.ts, the checks the exercises, training train-own-layer.ts.
 *
 * Before any reader code runs, the network and storage globals are replaced by functions that
 * throw (fetch, XMLHttpRequest, WebSocket, importScripts, EventSource, caches, indexedDB, nested
 * workers…); the MNIST download for "train with your layer" uses the real fetch, kept in this
 * module's scope, which the reader's code (a function in the global scope) cannot reach. There is
 * no DOM in a worker. An endless loop is stopped by the page, which terminates this worker and
 * starts a fresh one.
 */
import { checkCell } from './check-cell.ts';
import { exerciseById } from './index.ts';
import type { FromCellWorker, ToCellWorker } from './protocol.ts';
import { CellRunError, runCell } from './run-code.ts';
import { trainOwnLayer, type NetworkBindings } from './train-own-layer.ts';

interface WorkerScope {
  postMessage(message: FromCellWorker): void;
  onmessage: ((event: MessageEvent<ToCellWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope & Record<string, unknown>;

// Captured before the lockdown, for the training data only.
const network: NetworkBindings = {
  fetch: scope.fetch ? (scope.fetch as typeof fetch).bind(self) : null,
  caches: (scope.caches as CacheStorage | undefined) ?? null,
};

const blockedGlobals = [
  'fetch', 'XMLHttpRequest', 'WebSocket', 'WebTransport', 'EventSource', 'importScripts', 'caches', 'indexedDB',
  'Worker', 'SharedWorker', 'BroadcastChannel', 'RTCPeerConnection',
];
// Replaced on the global object and on every prototype that defines them (fetch lives on
// WorkerGlobalScope.prototype), so `Object.getPrototypeOf(self).fetch` is gone too.
for (const name of blockedGlobals) {
  const stop = () => {
    throw new Error(`${name} is not available in code cells: a cell has no network and no storage`);
  };
  for (let target: object | null = self; target; target = Object.getPrototypeOf(target)) {
    if (target !== self && !Object.prototype.hasOwnProperty.call(target, name)) continue;
    try {
      Object.defineProperty(target, name, { get: stop, set: stop, configurable: false });
    } catch {
      // A property the browser made non-configurable cannot be replaced; none in the list is today.
    }
  }
}

/** Whether this worker may evaluate code at all: a CSP without 'unsafe-eval' forbids it. */
const evalAllowed = (() => {
  try {
    new Function('');
    return true;
  } catch {
    return false;
  }
})();

const cspMessage =
  "This site's Content-Security-Policy does not let the code-cell worker evaluate code (it needs 'unsafe-eval' in that worker's script-src; see the README, \"Code cells and CSP\"). The starter code and the exercise still read as text.";

function post(message: FromCellWorker): void {
  scope.postMessage(message);
}

function fail(id: number, e: unknown): void {
  if (e instanceof CellRunError) post({ id, type: 'failed', code: 'error', error: e.error, logs: e.logs });
  else post({ id, type: 'failed', code: 'error', error: { message: e instanceof Error ? `${e.name}: ${e.message}` : String(e), line: null }, logs: [] });
}

scope.onmessage = (event) => {
  const m = event.data;
  if (!evalAllowed) {
    post({ id: m.id, type: 'failed', code: 'csp', error: { message: cspMessage, line: null }, logs: [] });
    return;
  }
  try {
    switch (m.type) {
      case 'run': {
        const out = runCell(m.code, []);
        post({ id: m.id, type: 'ran', logs: out.logs, value: out.value });
        return;
      }
      case 'check':
        post({ id: m.id, type: 'checked', ...checkCell(exerciseById(m.exercise), m.code) });
        return;
      case 'train':
        trainOwnLayer(m, network, (progress) => post({ id: m.id, type: 'progress', progress })).then(
          (summary) => post({ id: m.id, type: 'trained', summary }),
          (e) => fail(m.id, e),
        );
        return;
    }
  } catch (e) {
    fail(m.id, e);
  }
};
