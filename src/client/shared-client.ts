/**
 * One training worker per page, shared by every widget on it: the data is loaded once and
 * several runs can advance side by side. A crashed or terminated worker is replaced on the next
 * call.
 */
import { dataManifestUrl } from './data-url';
import { createTrainingClient, type TrainingClient } from './training-client';

let shared: TrainingClient | null = null;

export function getTrainingClient(): TrainingClient {
  if (!shared?.alive) {
    const worker = new Worker(new URL('../../engine/worker/training.worker.ts', import.meta.url), { type: 'module', name: 'normlab-training' });
    shared = createTrainingClient(worker);
  }
  return shared;
}

/** The manifest URL for this site, wherever it is hosted. */
export function siteDataManifestUrl(): string {
  return dataManifestUrl(import.meta.env.BASE_URL, window.location.href);
}
