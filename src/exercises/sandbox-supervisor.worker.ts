/**
 * The code-cell sandbox's supervisor: a small classic script (Vite's worker build, `?worker&url`)
 * that public/code-cell-sandbox.html starts as a `blob:` worker for each request. It never runs
 * the reader's code. It starts the reader runtime (sandbox.worker.ts, whose text the page sends)
 * as a nested `blob:` worker, reads that worker's messages as untrusted data
 * (sandbox-protocol.ts: parsed, capped, counted, progress thinned), forwards only "ran",
 * "outputs", "progress", "trained" and "failed" to the page's port, and ends the reader worker at
 * its first final reply, then itself — a message flood or a huge reply costs this thread, not the
 * page's.
 */
import { isReplyLike, outputCaps, parseSandboxReply, type SandboxReply, type SandboxRequest } from './sandbox-protocol.ts';
import type { ReaderStart } from './sandbox.worker.ts';

interface SupervisorStart {
  role: 'supervisor';
  runtime: string;
  request: SandboxRequest;
}

const scope = self as unknown as { onmessage: ((event: MessageEvent<SupervisorStart>) => void) | null; close(): void };

function failed(message: string, code: 'error' | 'csp' = 'error'): SandboxReply {
  return { type: 'failed', code, error: { message, line: null }, logs: [], cut: false };
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
    return done(failed(e instanceof Error ? e.message : String(e), 'csp'));
  }
  let messages = 0;
  let lastProgress = -Infinity;
  reader.onmessage = (event: MessageEvent<unknown>) => {
    if (++messages > outputCaps.messages) {
      return done({
        type: 'failed',
        code: 'cut',
        error: {
          message: `the code sent more than ${outputCaps.messages.toLocaleString('en')} messages, so it was stopped and its output cut`,
          line: null,
        },
        logs: [],
        cut: true,
      });
    }
    if (messages === 1 && (event.data as { type?: unknown } | null)?.type === 'started') return port.postMessage({ type: 'started' });
    if (!isReplyLike(event.data)) return;
    let reply: SandboxReply;
    try {
      reply = parseSandboxReply(event.data);
    } catch (e) {
      return done(failed(`the code's worker sent something that is not a reply: ${(e as Error).message}`));
    }
    if (reply.type !== 'progress') return done(reply);
    const now = performance.now();
    if (now - lastProgress >= 100 || reply.progress.done === 1) {
      lastProgress = now;
      port.postMessage(reply);
    }
  };
  reader.onmessageerror = () => done(failed('a message from the code could not be read'));
  reader.onerror = (event: ErrorEvent) => {
    event.preventDefault();
    done(failed(event.message || 'the code stopped its worker'));
  };
  const transfer = request.type === 'train' ? Object.values(request.files).map((b) => b.buffer as ArrayBuffer) : [];
  reader.postMessage({ role: 'reader', request } satisfies ReaderStart, transfer);
}

scope.onmessage = (event) => {
  scope.onmessage = null;
  if (event.data?.role === 'supervisor' && event.ports[0]) supervise(event.data.runtime, event.data.request, event.ports[0]);
};
