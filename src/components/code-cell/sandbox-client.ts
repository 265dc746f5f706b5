/**
 * Runs each request (Run, Check or Train) in fresh workers of a sandbox: a hidden
 * `sandbox="allow-scripts"` frame of public/code-cell-sandbox.html (opaque origin, no connections)
 * that starts a supervisor worker (src/exercises/sandbox-supervisor.worker.ts), which starts the
 * reader worker (src/exercises/sandbox.worker.ts); the page fetches both scripts as text once. Both end with the request, so nothing the
 * reader's code started keeps running and nothing it changed carries over; a request that does not
 * end with a reply (time limit, Stop, a flood) removes the whole frame.
 *
 * Replies are untrusted data: parsed and re-capped here (sandbox-protocol.ts), counted, and only
 * the output shapes are accepted. A verdict never comes from here (see checker-client.ts).
 */
import supervisorUrl from '../../exercises/sandbox-supervisor.worker.ts?worker&url';
import runtimeUrl from '../../exercises/sandbox.worker.ts?worker&url';
import { outputCaps, parseSandboxReply, type SandboxReply, type SandboxRequest } from '../../exercises/sandbox-protocol.ts';
import type { TrainProgress } from '../../exercises/train-own-layer.ts';
import type { CellError } from '../../exercises/run-code.ts';
import { siteUrl } from '../../client/site-root';
import { stripTypes } from './strip-client.ts';

type Final = Exclude<SandboxReply, { type: 'progress' }>;

export class CellTimeout extends Error {
  override name = 'CellTimeout';
}

/** The site was redeployed since this page loaded: its lazily loaded files are gone. */
export class SiteUpdated extends Error {
  override name = 'SiteUpdated';
  constructor() {
    super(
      'This site was updated since the page loaded, so the code cell cannot load its files. Reload the page to use the new version (your code is kept).',
    );
  }
}

/** Why a worker of the site (`url`, named `what`) failed: the site was redeployed, or it could not start or crashed. */
export async function workerFailure(url: string, what: string, event: ErrorEvent): Promise<Error> {
  event.preventDefault();
  if (await isGone(url)) return new SiteUpdated();
  return new Error(`${what} could not start or crashed${event.message ? `: ${event.message}` : ''}`);
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

let sources: Promise<{ supervisor: string; runtime: string }> | null = null;

/** The texts of the sandbox's two scripts, fetched once per page. */
function sandboxSources(): Promise<{ supervisor: string; runtime: string }> {
  const text = (url: string) =>
    fetch(url).then(async (r) => {
      if (r.status === 404 || r.status === 410) throw new SiteUpdated();
      if (!r.ok) throw new Error(`the code-cell sandbox script ${url} could not be loaded: HTTP ${r.status}`);
      return r.text();
    });
  sources ??= Promise.all([text(supervisorUrl), text(runtimeUrl)]).then(([supervisor, runtime]) => ({ supervisor, runtime }));
  sources.catch(() => (sources = null));
  return sources;
}

const sandboxPage = () => siteUrl('code-cell-sandbox.html');

/** How long after the frame's load event its ready message may still arrive. */
const startGraceMs = 5000;
/** Starting a frame and two workers: seconds on a loaded machine; the code's own limit starts after. */
const startLimitMs = 60_000;

/** The request with its code's types stripped (strip-client.ts), or the first syntax error. */
async function inJavaScript(request: SandboxRequest): Promise<{ ok: true; request: SandboxRequest } | { ok: false; error: CellError }> {
  if (request.type === 'train') {
    const [forward, backward] = await Promise.all([stripTypes(request.forwardCode), stripTypes(request.backwardCode)]);
    if (!forward.ok) return forward;
    if (!backward.ok) return backward;
    return { ok: true, request: { ...request, forwardCode: forward.code, backwardCode: backward.code } };
  }
  const js = await stripTypes(request.code);
  return js.ok ? { ok: true, request: { ...request, code: js.code } } : js;
}

interface RunOptions {
  /** The exercise's function names, the only names a Check's recorded calls may carry. */
  functions?: readonly string[];
  onProgress?: (p: TrainProgress) => void;
  transfer?: ArrayBuffer[];
  /** Aborting ends the request at once with a CellTimeout carrying the abort reason. */
  signal?: AbortSignal;
}

/**
 * One cell's sandbox frame. It is kept between requests while they end normally (the supervisor
 * has then ended both workers itself) and removed — with every worker in it — when a request
 * ends any other way: time limit, Stop, a flood, an unreadable reply.
 */
export class SandboxFrame {
  #frame: HTMLIFrameElement | null = null;
  #ready: Promise<Window> | null = null;

  #open(): Promise<Window> {
    if (this.#ready) return this.#ready;
    const frame = document.createElement('iframe');
    this.#frame = frame;
    this.#ready = new Promise<Window>((resolve, reject) => {
      let grace: ReturnType<typeof setTimeout> | undefined;
      const onMessage = (event: MessageEvent) => {
        if (event.source !== frame.contentWindow || event.data?.type !== 'normlab-sandbox-ready') return;
        removeEventListener('message', onMessage);
        clearTimeout(grace);
        resolve(frame.contentWindow!);
      };
      addEventListener('message', onMessage);
      frame.addEventListener(
        'load',
        () => {
          grace = setTimeout(() => {
            removeEventListener('message', onMessage);
            void isGone(sandboxPage()).then((gone) =>
              reject(
                gone
                  ? new SiteUpdated()
                  : new SandboxBlocked(
                      'Code cells are switched off here: the sandbox page they run in did not start. This site\'s Content-Security-Policy may forbid its script (see the README, "Code cells and CSP").',
                    ),
              ),
            );
          }, startGraceMs);
        },
        { once: true },
      );
    });
    this.#ready.catch(() => this.dispose());
    frame.setAttribute('sandbox', 'allow-scripts');
    frame.hidden = true;
    frame.tabIndex = -1;
    frame.title = 'Code-cell sandbox';
    frame.setAttribute('aria-hidden', 'true');
    frame.dataset.codeCellSandbox = '';
    frame.src = sandboxPage();
    document.body.append(frame);
    return this.#ready;
  }

  /**
   * Starts the frame and fetches the sandbox's scripts ahead of the first request (the grading page
   * does this while the instructor picks files), so that work is not done while results come in.
   * A failure is not reported here: the first request meets it and says why.
   */
  warm(): void {
    this.#open().catch(() => {});
    sandboxSources().catch(() => {});
  }

  /** Removes the frame: its workers end with it. */
  dispose(): void {
    this.#frame?.remove();
    this.#frame = null;
    this.#ready = null;
  }

  /** Sends one request to a fresh supervisor and reader worker in this frame. */
  run(request: SandboxRequest, limitMs: number, options: RunOptions = {}): Promise<Final> {
    return new Promise<Final>((resolve, reject) => {
      const channel = new MessageChannel();
      const frameWindow = this.#frame?.contentWindow ?? null;
      let messages = 0;
      let done = false;
      let limit: ReturnType<typeof setTimeout> | undefined;
      const stop = (error: Error | null, final?: Final) => {
        if (done) return;
        done = true;
        options.signal?.removeEventListener('abort', onAbort);
        removeEventListener('message', onWindowMessage);
        clearTimeout(startTimer);
        clearTimeout(limit);
        channel.port1.onmessage = null;
        channel.port1.close();
        if (error || (final?.type === 'failed' && final.code === 'cut')) this.dispose();
        if (error) reject(error);
        else resolve(final!);
      };
      const onAbort = () => stop(new CellTimeout(String(options.signal?.reason ?? 'stopped')));
      const onWindowMessage = (event: MessageEvent) => {
        if (event.source === (this.#frame?.contentWindow ?? frameWindow) && event.data?.type === 'normlab-sandbox-failed') {
          stop(
            new SandboxBlocked(
              `Code cells are switched off here: the sandbox could not start its worker (${String(event.data.message).slice(0, 300)}). This site's Content-Security-Policy must allow blob: workers and 'unsafe-eval' in the sandbox page; see the README, "Code cells and CSP".`,
            ),
          );
        }
      };
      const startTimer = setTimeout(
        () => stop(new CellTimeout(`the sandbox did not start within ${startLimitMs / 1000} s; the machine may be very busy. Try again.`)),
        startLimitMs,
      );
      channel.port1.onmessage = (event: MessageEvent<unknown>) => {
        if (++messages > outputCaps.messages) {
          stop(null, {
            type: 'failed',
            code: 'cut',
            error: {
              message: `the sandbox sent more than ${outputCaps.messages} messages, so it was stopped and the output cut`,
              line: null,
            },
            logs: [],
            cut: true,
          });
          return;
        }
        if (messages === 1 && (event.data as { type?: unknown } | null)?.type === 'started') {
          // The reader worker is about to run the code: its time limit starts now.
          clearTimeout(startTimer);
          limit = setTimeout(
            () =>
              stop(
                new CellTimeout(
                  `stopped after ${limitMs / 1000} s: the code was still running (an endless loop?). The next run starts a fresh sandbox.`,
                ),
              ),
            limitMs,
          );
          return;
        }
        let m: SandboxReply;
        try {
          m = parseSandboxReply(event.data, options.functions ?? null);
        } catch (e) {
          stop(new Error(`the sandbox sent something that is not a reply: ${(e as Error).message}`));
          return;
        }
        if (m.type === 'progress') options.onProgress?.(m.progress);
        else stop(null, m);
      };
      addEventListener('message', onWindowMessage);
      options.signal?.addEventListener('abort', onAbort);
      Promise.all([this.#open(), sandboxSources(), inJavaScript(request)]).then(
        ([target, { supervisor, runtime }, js]) => {
          if (done) return;
          // A syntax error ends the request here: the code never reaches the sandbox.
          if (!js.ok) return stop(null, { type: 'failed', code: 'error', error: js.error, logs: [], cut: false });
          target.postMessage(
            { type: 'normlab-sandbox-start', supervisor, runtime, request: js.request, transfer: options.transfer ?? [] },
            '*',
            [channel.port2, ...(options.transfer ?? [])],
          );
        },
        (e: unknown) => stop(e instanceof Error ? e : new Error(String(e))),
      );
    });
  }
}
