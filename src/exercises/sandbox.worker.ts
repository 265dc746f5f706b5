/**
 * The code-cell sandbox runtime. Built as one classic script (Vite's worker build, `?worker&url`);
 * the page fetches its text and hands it to public/code-cell-sandbox.html, a frame loaded with
 * `sandbox="allow-scripts"` (an opaque origin) whose policy allows no connection, no script URL,
 * and only `blob:` workers. There the text runs twice, as two `blob:` workers that inherit the
 * frame's policy and origin:
 *
 * - the **supervisor** (never runs reader code) starts the reader worker, reads its messages as
 *   untrusted data (sandbox-protocol.ts: capped, thinned, counted), forwards only "ran",
 *   "outputs", "progress", "trained" and "failed" to the page's port, and ends the reader worker at
 *   its first final reply — a message flood or a huge reply costs this thread, not the page's;
 * - the **reader** runs the reader's code for exactly one request (Run, Check or Train) and
 *   replies with outputs. Nothing here is trusted: a Check's verdict is computed by the page's
 *   checker worker from the recorded outputs (check-cell.ts).
 *
 * The browser, not this code, keeps the reader's code off the network and out of storage (the
 * README's "Code cells" section lists what was measured in Chromium).
 */
import { recordCheck } from './check-cell.ts';
import { exerciseById } from './index.ts';
import { CellRunError, formatValue, runCell } from './run-code.ts';
import { outputCaps, parseSandboxReply, type SandboxReply, type SandboxRequest } from './sandbox-protocol.ts';
import { trainOwnLayer } from './train-own-layer.ts';

type Start = { role: 'supervisor'; runtime: string; request: SandboxRequest } | { role: 'reader'; request: SandboxRequest };

interface Scope {
  onmessage: ((event: MessageEvent<Start>) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}
const scope = self as unknown as Scope;
// Taken before any reader code runs; the reader may still forge messages, which is why the
// supervisor and the page parse them and the verdict is computed elsewhere.
const post = scope.postMessage.bind(scope);

const cspMessage =
  "This site's Content-Security-Policy does not let the code-cell sandbox evaluate code (see the README, \"Code cells and CSP\"). The starter code and the exercise still read as text.";

function failed(e: unknown, code: 'error' | 'csp' | 'cut' = 'error'): SandboxReply {
  if (e instanceof CellRunError) return { type: 'failed', code, error: e.error, logs: e.logs, cut: false };
  return { type: 'failed', code, error: { message: e instanceof Error ? `${e.name}: ${e.message}` : String(e), line: null }, logs: [], cut: false };
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
  if (!evalAllowed()) return post(failed(new Error(cspMessage), 'csp'));
  try {
    switch (request.type) {
      case 'run': {
        const out = runCell(request.code, []);
        const raw = out.raw as { then?: unknown } | null;
        // A promise on the last line is awaited (within the page's time limit): `fetch(…)` shows its outcome.
        if (raw !== null && typeof raw === 'object' && typeof raw.then === 'function') {
          const settled = await Promise.resolve(out.raw).then((v) => ({ ok: true, v }), (v: unknown) => ({ ok: false, v }));
          if (!settled.ok) throw new CellRunError({ message: `the promise on the last line was rejected: ${settled.v instanceof Error ? `${settled.v.name}: ${settled.v.message}` : String(settled.v)}`, line: null }, out.logs);
          return post({ type: 'ran', logs: out.logs, value: settled.v === undefined ? null : formatValue(settled.v), cut: false });
        }
        return post({ type: 'ran', logs: out.logs, value: out.value, cut: false });
      }
      case 'check':
        return post({ type: 'outputs', ...recordCheck(exerciseById(request.exercise), request.code), cut: false });
      case 'train':
        return post({ type: 'trained', summary: trainOwnLayer(request, request.files, (progress) => post({ type: 'progress', progress })) });
    }
  } catch (e) {
    post(failed(e));
  }
}

/** Starts the reader worker and relays its replies, parsed and capped, to the page's port. */
function supervise(runtime: string, request: SandboxRequest, port: MessagePort): void {
  const done = (reply: SandboxReply) => {
    reader?.terminate();
    port.postMessage(reply);
    scope.close();
  };
  let reader: Worker | null = null;
  try {
    reader = new Worker(URL.createObjectURL(new Blob([runtime], { type: 'text/javascript' })), { name: 'normlab-code-cell' });
  } catch (e) {
    return done(failed(e, 'csp'));
  }
  let messages = 0;
  let lastProgress = -Infinity;
  reader.onmessage = (event: MessageEvent<unknown>) => {
    if (++messages > outputCaps.messages) {
      return done({ type: 'failed', code: 'cut', error: { message: `the code sent more than ${outputCaps.messages.toLocaleString('en')} messages, so it was stopped and its output cut`, line: null }, logs: [], cut: true });
    }
    let reply: SandboxReply;
    try {
      reply = parseSandboxReply(event.data);
    } catch (e) {
      return done(failed(new Error(`the code's worker sent something that is not a reply: ${(e as Error).message}`)));
    }
    if (reply.type !== 'progress') return done(reply);
    const now = performance.now();
    if (now - lastProgress >= 100 || reply.progress.done === 1) {
      lastProgress = now;
      port.postMessage(reply);
    }
  };
  reader.onmessageerror = () => done(failed(new Error('a message from the code could not be read')));
  reader.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    done(failed(new Error(event.message || 'the code stopped its worker')));
  };
  const transfer = request.type === 'train' ? Object.values(request.files).map((b) => b.buffer as ArrayBuffer) : [];
  reader.postMessage({ role: 'reader', request } satisfies Start, transfer);
}

scope.onmessage = (event) => {
  const m = event.data;
  scope.onmessage = null;
  if (m.role === 'supervisor' && event.ports[0]) supervise(m.runtime, m.request, event.ports[0]);
  else if (m.role === 'reader') void read(m.request);
};
