/**
 * The code-cell sandbox's reader runtime: one classic script (Vite's worker build, `?worker&url`)
 * that the page fetches as text and the sandbox's supervisor (sandbox-supervisor.worker.ts) starts
 * as a fresh `blob:` worker for every request, inside public/code-cell-sandbox.html — a frame
 * loaded with `sandbox="allow-scripts"` (an opaque origin) whose policy allows no connection, no
 * script URL and only `blob:` workers, which inherit that policy and origin. It runs the reader's
 * code for exactly one request (Run, Check or Train) and replies with outputs. Nothing here is
 * trusted: a Check's verdict is computed by the page's checker worker from the recorded outputs
 * (check-cell.ts), and the supervisor and the page parse every reply as untrusted data.
 *
 * The browser, not this code, keeps the reader's code off the network and out of storage (the
 * README's "Code cells" section lists what was measured in Chromium).
 */
import { recordCheck } from './check-cell.ts';
import { exerciseById } from './index.ts';
import { CellRunError, formatValue, isCut, runCell } from './run-code.ts';
import type { SandboxReply, SandboxRequest } from './sandbox-protocol.ts';
import { trainOwnLayer } from './train-own-layer.ts';

/** What the supervisor (sandbox-supervisor.worker.ts) sends this worker: its one request. */
export interface ReaderStart {
  role: 'reader';
  request: SandboxRequest;
}

interface Scope {
  onmessage: ((event: MessageEvent<ReaderStart>) => void) | null;
  postMessage(message: unknown): void;
}
const scope = self as unknown as Scope;
// Taken before any reader code runs; the reader may still forge messages, which is why the
// supervisor and the page parse them and the verdict is computed elsewhere.
const post = scope.postMessage.bind(scope);

const cspMessage =
  'This site\'s Content-Security-Policy does not let the code-cell sandbox evaluate code (see the README, "Code cells and CSP"). The starter code and the exercise still read as text.';

function failed(e: unknown, code: 'error' | 'csp' = 'error'): SandboxReply {
  if (e instanceof CellRunError) return { type: 'failed', code, error: e.error, logs: e.logs, cut: false };
  return {
    type: 'failed',
    code,
    error: { message: e instanceof Error ? `${e.name}: ${e.message}` : String(e), line: null },
    logs: [],
    cut: false,
  };
}

function evalAllowed(): boolean {
  try {
    new Function('');
    return true;
  } catch {
    return false;
  }
}

async function read(request: SandboxRequest): Promise<void> {
  // The page starts the code's time limit now, not while the frame and the workers were starting.
  post({ type: 'started' });
  if (!evalAllowed()) return post(failed(new Error(cspMessage), 'csp'));
  try {
    switch (request.type) {
      case 'run': {
        const out = runCell(request.code, []);
        const raw = out.raw as { then?: unknown } | null;
        // A promise on the last line is awaited (within the page's time limit): `fetch(…)` shows its outcome.
        if (raw !== null && typeof raw === 'object' && typeof raw.then === 'function') {
          const settled = await Promise.resolve(out.raw).then(
            (v) => ({ ok: true, v }),
            (v: unknown) => ({ ok: false, v }),
          );
          if (!settled.ok)
            throw new CellRunError(
              {
                message: `the promise on the last line was rejected: ${settled.v instanceof Error ? `${settled.v.name}: ${settled.v.message}` : String(settled.v)}`,
                line: null,
              },
              out.logs,
            );
          const value = settled.v === undefined ? null : formatValue(settled.v);
          return post({ type: 'ran', logs: out.logs, value, cut: out.cut || isCut(value) });
        }
        return post({ type: 'ran', logs: out.logs, value: out.value, cut: out.cut });
      }
      case 'check': {
        const recorded = recordCheck(exerciseById(request.exercise), request.code);
        return post({ type: 'outputs', ...recorded });
      }
      case 'train':
        return post({
          type: 'trained',
          summary: trainOwnLayer(request, request.files, (progress) => post({ type: 'progress', progress })),
        });
    }
  } catch (e) {
    post(failed(e));
  }
}

scope.onmessage = (event) => {
  scope.onmessage = null;
  if (event.data?.role === 'reader') void read(event.data.request);
};
