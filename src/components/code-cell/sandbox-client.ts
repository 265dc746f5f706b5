/**
 * Runs one request (Run, Check or Train) in a fresh sandbox: a hidden `sandbox="allow-scripts"`
 * frame of public/code-cell-sandbox.html (opaque origin, no connections) that starts the runtime
 * (src/exercises/sandbox.worker.ts, fetched as text once per page) as blob: workers. The frame is
 * removed when the request ends — reply, time limit, Stop or error — which ends its workers, so
 * nothing the reader's code started keeps running and nothing it changed carries over.
 *
 * Replies are untrusted data: parsed and re-capped here (sandbox-protocol.ts), counted, and only
 * the output shapes are accepted. A verdict never comes from here (see checker-client.ts).
 */
import runtimeUrl from '../../exercises/sandbox.worker.ts?worker&url';
import { outputCaps, parseSandboxReply, type SandboxReply, type SandboxRequest } from '../../exercises/sandbox-protocol.ts';
import type { TrainProgress } from '../../exercises/train-own-layer.ts';

type Final = Exclude<SandboxReply, { type: 'progress' }>;

export class CellTimeout extends Error {
  override name = 'CellTimeout';
}

/** The site was redeployed since this page loaded: its lazily loaded files are gone. */
export class SiteUpdated extends Error {
  override name = 'SiteUpdated';
  constructor() {
    super('This site was updated since the page loaded, so the code cell cannot load its files. Reload the page to use the new version (your code is kept).');
  }
}

/** A Content-Security-Policy (or the browser) keeps the sandbox from starting. */
export class SandboxBlocked extends Error {
  override name = 'SandboxBlocked';
}

/** Whether `url` is gone (404/410): a file of an older build. */
export async function isGone(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { method: 'HEAD', cache: 'no-store' });
    return r.status === 404 || r.status === 410;
  } catch {
    return false;
  }
}

let runtimeText: Promise<string> | null = null;

function runtime(): Promise<string> {
  runtimeText ??= fetch(runtimeUrl).then(async (r) => {
    if (r.status === 404 || r.status === 410) throw new SiteUpdated();
    if (!r.ok) throw new Error(`the code-cell runtime (${runtimeUrl}) could not be loaded: HTTP ${r.status}`);
    return r.text();
  });
  runtimeText.catch(() => (runtimeText = null));
  return runtimeText;
}

const sandboxPage = () => `${import.meta.env.BASE_URL}code-cell-sandbox.html`;

/** How long after the frame's load event its start message may still arrive. */
const startGraceMs = 1500;

/**
 * Sends one request to a fresh sandbox. `functions`: the exercise's function names, the only
 * names a Check's recorded calls may carry. Aborting `signal` ends the request at once (the frame
 * and its workers go away) with a CellTimeout carrying the abort reason.
 */
export function runInSandbox(
  request: SandboxRequest,
  limitMs: number,
  options: { functions?: readonly string[]; onProgress?: (p: TrainProgress) => void; transfer?: ArrayBuffer[]; signal?: AbortSignal } = {},
): Promise<Final> {
  return new Promise<Final>((resolve, reject) => {
    let finish: (error: Error | null, reply?: Final) => void;
    const frame = document.createElement('iframe');
    const channel = new MessageChannel();
    let started = false;
    let messages = 0;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const onWindowMessage = (event: MessageEvent) => {
      if (event.source !== frame.contentWindow || !event.data || typeof event.data !== 'object') return;
      if (event.data.type === 'normlab-sandbox-ready' && !started) {
        started = true;
        void runtime().then(
          (text) => frame.contentWindow?.postMessage({ type: 'normlab-sandbox-start', runtime: text, request, transfer: options.transfer ?? [] }, '*', [channel.port2, ...(options.transfer ?? [])]),
          (e: unknown) => finish(e instanceof Error ? e : new Error(String(e))),
        );
      } else if (event.data.type === 'normlab-sandbox-failed') {
        finish(new SandboxBlocked(`Code cells are switched off here: the sandbox could not start its worker (${String(event.data.message).slice(0, 300)}). This site's Content-Security-Policy must allow blob: workers and 'unsafe-eval' in the sandbox page; see the README, "Code cells and CSP".`));
      }
    };
    const onAbort = () => finish(new CellTimeout(String(options.signal?.reason ?? 'stopped')));
    finish = (error, final) => {
      options.signal?.removeEventListener('abort', onAbort);
      for (const t of timers) clearTimeout(t);
      removeEventListener('message', onWindowMessage);
      channel.port1.onmessage = null;
      channel.port1.close();
      frame.remove();
      finish = () => {};
      if (error) reject(error);
      else resolve(final!);
    };
    channel.port1.onmessage = (event: MessageEvent<unknown>) => {
      if (++messages > outputCaps.messages) {
        finish(null, { type: 'failed', code: 'cut', error: { message: `the sandbox sent more than ${outputCaps.messages} messages, so it was stopped and the output cut`, line: null }, logs: [], cut: true });
        return;
      }
      let m: SandboxReply;
      try {
        m = parseSandboxReply(event.data, options.functions ?? null);
      } catch (e) {
        finish(new Error(`the sandbox sent something that is not a reply: ${(e as Error).message}`));
        return;
      }
      if (m.type === 'progress') options.onProgress?.(m.progress);
      else finish(null, m);
    };
    addEventListener('message', onWindowMessage);
    options.signal?.addEventListener('abort', onAbort);
    timers.push(setTimeout(() => finish(new CellTimeout(`stopped after ${limitMs / 1000} s: the code was still running (an endless loop?). The next run starts a fresh sandbox.`)), limitMs));
    frame.addEventListener('load', () => {
      timers.push(setTimeout(() => {
        if (started) return;
        void isGone(sandboxPage()).then((gone) => finish(gone ? new SiteUpdated() : new SandboxBlocked(
          "Code cells are switched off here: the sandbox page they run in did not start. This site's Content-Security-Policy may forbid its script (see the README, \"Code cells and CSP\").",
        )));
      }, startGraceMs));
    }, { once: true });
    frame.setAttribute('sandbox', 'allow-scripts');
    frame.hidden = true;
    frame.tabIndex = -1;
    frame.title = 'Code-cell sandbox';
    frame.setAttribute('aria-hidden', 'true');
    frame.dataset.codeCellSandbox = '';
    frame.src = sandboxPage();
    document.body.append(frame);
  });
}
