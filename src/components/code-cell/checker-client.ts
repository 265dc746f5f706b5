/**
 * One request to a fresh checker worker (src/exercises/checker.worker.ts: the site's origin, never
 * runs reader code), ended when the request ends: the verdict of a Check from its recorded
 * outputs, or the MNIST files for "train with your own layer".
 */
import checkerUrl from '../../exercises/checker.worker.ts?worker&url';
import type { FromChecker, ToChecker } from '../../exercises/protocol.ts';
import type { LoadProgress } from '@engine/worker/data-assets.ts';
import { CellTimeout, isGone, SiteUpdated } from './sandbox-client.ts';

type Final = Exclude<FromChecker, { type: 'data-progress' }>;

export function askChecker(
  request: ToChecker,
  limitMs: number,
  options: { onProgress?: (p: LoadProgress) => void; signal?: AbortSignal } = {},
): Promise<Final> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(checkerUrl, { type: 'module', name: 'normlab-code-cell-checker' });
    const onAbort = () => end(new CellTimeout(String(options.signal?.reason ?? 'stopped')));
    options.signal?.addEventListener('abort', onAbort);
    const end = (error: Error | null, reply?: Final) => {
      options.signal?.removeEventListener('abort', onAbort);
      clearTimeout(timer);
      worker.terminate();
      if (error) reject(error);
      else resolve(reply!);
    };
    const timer = setTimeout(() => end(new Error(`the checker did not answer within ${limitMs / 1000} s`)), limitMs);
    worker.onmessage = (event: MessageEvent<FromChecker>) => {
      const m = event.data;
      if (m.type === 'data-progress') options.onProgress?.(m.progress);
      else end(null, m);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      void isGone(checkerUrl).then((gone) =>
        end(
          gone ? new SiteUpdated() : new Error(`the checker worker could not start or crashed${event.message ? `: ${event.message}` : ''}`),
        ),
      );
    };
    worker.postMessage(request);
  });
}
