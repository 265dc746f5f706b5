/**
 * Test doubles for the training worker: a FakeWorker whose messages cross a structured clone
 * asynchronously, like postMessage, and `driverWorker()`, a fake running the real run driver on
 * a toy dataset, so client code is tested against the real protocol without a browser.
 */
import { createRandom } from '@engine/random.ts';
import type { Dataset } from '@engine/data/mnist.ts';
import { createDriver } from '@engine/worker/run-driver.ts';
import { parseToWorker, type FromWorker } from '@engine/worker/protocol.ts';
import type { WorkerLike } from '../training-client';

export class FakeWorker implements WorkerLike {
  sent: unknown[] = [];
  terminated = false;
  #listeners = new Map<string, ((event: Event) => void)[]>();
  onPost: (message: unknown) => void = () => {};

  postMessage(message: unknown): void {
    const copy = structuredClone(message);
    this.sent.push(copy);
    queueMicrotask(() => this.onPost(copy));
  }
  addEventListener(type: string, listener: (event: Event) => void): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }
  terminate(): void {
    this.terminated = true;
  }
  /** Delivers a message from the "worker" to the page. */
  deliver(data: unknown): void {
    const event = { data: structuredClone(data) } as MessageEvent;
    for (const listener of this.#listeners.get('message') ?? []) listener(event);
  }
  crash(message: string): void {
    for (const listener of this.#listeners.get('error') ?? []) listener({ message } as ErrorEvent);
  }
}

/** An easy 10-class problem: class c lights up feature 2c. */
export function toyDataset(count: number, seed: number): Dataset {
  const F = 20;
  const random = createRandom(seed);
  const images = new Uint8Array(count * F);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const c = Math.floor(random() * 10);
    labels[i] = c;
    images[i * F + 2 * c] = 255;
  }
  return { images, labels, count, features: F };
}

export function driverWorker(): FakeWorker {
  const worker = new FakeWorker();
  const post = (m: FromWorker) => worker.deliver(m);
  const driver = createDriver({ now: () => performance.now(), emit: post });
  let pump: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    pump ??= setTimeout(() => {
      pump = undefined;
      if (driver.work(5)) schedule();
    });
  };
  worker.onPost = (data) => {
    const parsed = parseToWorker(data);
    if (!parsed.ok)
      return post({ type: 'reply', id: parsed.id, request: null, ok: false, error: { code: 'invalid-message', message: parsed.error } });
    const request = parsed.message;
    if (request.type === 'load-data') {
      post({ type: 'data-progress', id: request.id, loaded: 50, total: 100, source: 'network' });
      post({ type: 'data-progress', id: request.id, loaded: 100, total: 100, source: 'network' });
      driver.data = { train: toyDataset(300, 1), validation: toyDataset(50, 2), test: toyDataset(50, 3) };
      return post({
        type: 'reply',
        id: request.id,
        request: 'load-data',
        ok: true,
        result: { train: 300, validation: 50, test: 50, features: 20, source: 'network', seconds: 0.1 },
      });
    }
    if (request.type === 'ping') return post({ type: 'reply', id: request.id, request: 'ping', ok: true, result: { busy: driver.busy } });
    if (request.type === 'cancel-load')
      return post({ type: 'reply', id: request.id, request: 'cancel-load', ok: true, result: { cancelled: false } });
    const reply = driver.handle(request);
    if (reply) post(reply);
    if (driver.busy) schedule();
  };
  return worker;
}
