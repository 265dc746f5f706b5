/**
 * One training worker per page, shared by every widget on it: the data is loaded once and
 * several runs can advance side by side. A plan that trains several runs at once asks for more
 * (`getTrainingClients`): the extra workers are kept for the next plan. A crashed or terminated
 * worker is replaced on the next call.
 */
import { createTrainingClient, type TrainingClient } from './training-client';

let shared: TrainingClient | null = null;
const extra: TrainingClient[] = [];

function newClient(name: string): TrainingClient {
  return createTrainingClient(new Worker(new URL('../../engine/worker/training.worker.ts', import.meta.url), { type: 'module', name }));
}

export function getTrainingClient(): TrainingClient {
  if (!shared?.alive) shared = newClient('normlab-training');
  return shared;
}

/** `n` training workers, one run each at a time: the page's shared one first, then extra ones (each loads the data itself). */
export function getTrainingClients(n: number): TrainingClient[] {
  for (let i = 0; i < n - 1; i++) if (!extra[i]?.alive) extra[i] = newClient(`normlab-training-${i + 2}`);
  return [getTrainingClient(), ...extra.slice(0, Math.max(0, n - 1))];
}
