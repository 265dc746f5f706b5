/**
 * The checker worker: a module worker of the site's origin that never evaluates the reader's code.
 * It computes every verdict from outputs the sandbox recorded (check-cell.ts `judgeCheck`) and
 * loads the training data with the real fetch and caches (load-training-data.ts). Glue only.
 */
import type { DataFiles } from '@engine/worker/data-assets.ts';
import { judgeCheck } from './check-cell.ts';
import { exerciseById } from './index.ts';
import { loadTrainingData } from './load-training-data.ts';
import type { FromChecker, ToChecker } from './protocol.ts';

const scope = self as unknown as {
  postMessage(m: FromChecker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToChecker>) => void) | null;
};
const fail = (e: unknown) => scope.postMessage({ type: 'failed', message: e instanceof Error ? e.message : String(e) });

scope.onmessage = (event) => {
  const m = event.data;
  try {
    switch (m.type) {
      case 'judge':
        scope.postMessage({ type: 'judged', ...judgeCheck(exerciseById(m.exercise), m.outputs) });
        return;
      case 'load-data':
        loadTrainingData(m.manifestUrl, (progress) => scope.postMessage({ type: 'data-progress', progress })).then(
          (files: DataFiles) =>
            scope.postMessage(
              { type: 'data', files },
              Object.values(files).map((b) => b.buffer as ArrayBuffer),
            ),
          fail,
        );
        return;
    }
  } catch (e) {
    fail(e);
  }
};
