import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FromCellWorker, ToCellWorker } from '../../exercises/protocol';
import { CellTimeout, CellWorkerClient, type WorkerLike } from './cell-worker-client';

/** A worker that answers Run requests after `delayMs`, or never when the code says `while (true)`. */
class FakeCellWorker implements WorkerLike {
  onmessage: ((event: MessageEvent<FromCellWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  postMessage(message: ToCellWorker): void {
    if (message.type === 'run' && message.code.includes('while (true)')) return;
    setTimeout(() => this.onmessage?.({ data: { id: message.id, type: 'ran', logs: [], value: '2' } } as unknown as MessageEvent<FromCellWorker>), 10);
  }
  terminate(): void {
    this.terminated = true;
  }
}

describe('CellWorkerClient', () => {
  afterEach(() => vi.useRealTimers());

  it('answers a request with the worker reply of the same id', async () => {
    const client = new CellWorkerClient(() => new FakeCellWorker());
    await expect(client.request({ type: 'run', code: '1 + 1' }, 1000)).resolves.toMatchObject({ type: 'ran', value: '2' });
  });

  it('stops an endless run after the limit by terminating the worker, and starts a fresh one for the next request', async () => {
    vi.useFakeTimers();
    const workers: FakeCellWorker[] = [];
    const client = new CellWorkerClient(() => {
      workers.push(new FakeCellWorker());
      return workers.at(-1)!;
    });
    const endless = client.request({ type: 'run', code: 'while (true) {}' }, 5000);
    const caught = endless.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(4999);
    expect(workers[0].terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await caught;
    expect(error).toBeInstanceOf(CellTimeout);
    expect((error as Error).message).toMatch(/stopped after 5 s/);
    expect(workers[0].terminated).toBe(true);
    const next = client.request({ type: 'run', code: '1 + 1' }, 5000);
    await vi.advanceTimersByTimeAsync(10);
    await expect(next).resolves.toMatchObject({ type: 'ran' });
    expect(workers).toHaveLength(2);
  });

  it('cancel(reason) stops the running request with that reason', async () => {
    const worker = new FakeCellWorker();
    const client = new CellWorkerClient(() => worker);
    const pending = client.request({ type: 'run', code: 'while (true) {}' }, 60_000);
    client.cancel('stopped by you');
    await expect(pending).rejects.toThrow('stopped by you');
    expect(worker.terminated).toBe(true);
  });

  it('rejects pending requests when the worker fails to start', async () => {
    const worker = new FakeCellWorker();
    worker.postMessage = () => {};
    const client = new CellWorkerClient(() => worker);
    const pending = client.request({ type: 'run', code: 'x' }, 1000);
    worker.onerror?.({ message: 'script blocked', preventDefault() {} } as unknown as ErrorEvent);
    await expect(pending).rejects.toThrow(/could not start or crashed: script blocked/);
  });
});
