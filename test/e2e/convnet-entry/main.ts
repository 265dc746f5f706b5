/**
 * A test-only page (never in the site's build): the site's own client module and training
 * worker, driven from the page, for test/e2e/convnet.perf.spec.ts. No widget trains a ConvNet yet
 * (the widgets' model settings follow in the lessons issue), so this page does what a widget does
 * — load the data once, start a run, listen to its events until it ends — with a ConvNet config.
 */
import { dataManifestUrl } from '@client/site-root';
import { getTrainingClient } from '@client/shared-client';
import { newRunId } from '@client/training-client';
import type { TrainConfig } from '@engine/train/config.ts';
import type { EndEvent } from '@engine/worker/protocol.ts';

/** One ended run as the spec reads it; times are the page's `performance.now()`. */
export interface TimedRun {
  state: EndEvent['state'];
  summary: EndEvent['summary'];
  startedAt: number;
  endedAt: number;
}

const client = getTrainingClient();

async function loadData(): Promise<void> {
  const data = await client.loadData({ manifestUrl: dataManifestUrl() });
  if (!data.ok) throw new Error(`loading the data failed: ${data.error.message}`);
}

function train(config: Partial<TrainConfig>): Promise<TimedRun> {
  const runId = newRunId();
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const off = client.onRun(runId, (event) => {
      if (event.type !== 'end') return;
      off();
      resolve({ state: event.state, summary: event.summary, startedAt, endedAt: performance.now() });
    });
    void client.start(runId, config).then((started) => {
      if (!started.ok) {
        off();
        reject(new Error(`start refused: ${started.error.message}`));
      }
    });
  });
}

Object.assign(window, { convnet: { loadData, train } });
document.getElementById('status')!.textContent = 'ready';
